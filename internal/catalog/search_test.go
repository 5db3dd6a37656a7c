package catalog

import (
	"slices"
	"testing"
	"time"
)

func TestSortTiesNewest(t *testing.T) {
	at := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	hit := func(id int64, score float64, start time.Time) SearchHit {
		return SearchHit{ID: id, Score: score, Talk: &Talk{ID: id, Start: start}}
	}
	hits := []SearchHit{
		hit(1, 3, at(2010)), hit(2, 2, at(2015)), hit(3, 2, time.Time{}), hit(4, 2, at(2020)), hit(5, 1, at(2024)),
	}
	SortTiesNewest(hits)
	var got []int64
	for _, h := range hits {
		got = append(got, h.ID)
	}
	if want := []int64{1, 4, 2, 3, 5}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v (scores first, equal scores newest first, no start last)", got, want)
	}
}

func TestSavedSearchValidate(t *testing.T) {
	for _, tt := range []struct {
		ss   SavedSearch
		fine bool
	}{
		{SavedSearch{Name: "bgp", Query: `bgp -evpn "route leak"`}, true},
		{SavedSearch{Name: "broken quote", Query: `"open`}, false},
		{SavedSearch{Name: "unknown field", Query: "colour:red"}, false},
		{SavedSearch{Name: "", Query: "bgp"}, false},
		{SavedSearch{Name: "a/b", Query: "bgp"}, false},
		{SavedSearch{Name: "bad sort", Sort: "loudest"}, false},
	} {
		err := tt.ss.Validate()
		if (err == nil) != tt.fine || (err != nil && ErrorCode(err) != EINVALID) {
			t.Errorf("%+v: Validate() = %v", tt.ss, err)
		}
	}
}
