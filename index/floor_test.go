package index

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/talkdex/talkdex/internal/catalog"
)

// The floor index must hold every talk fed, with positions in the three
// fields it indexes, and nothing of the fields it leaves out: it is timed
// as the least work an import can do, so doing less would flatter it and
// doing more would not be the least.
func TestFloorIndexHoldsTitlesAbstractsAndSpeakersOnly(t *testing.T) {
	talks := sampleTalks()
	path := filepath.Join(t.TempDir(), "floor.bleve")
	if err := FloorIndex(context.Background(), path, feedOf(talks)); err != nil {
		t.Fatalf("FloorIndex: %v", err)
	}
	bi, err := bleve.OpenUsing(path, scorchConfig())
	if err != nil {
		t.Fatalf("open floor index: %v", err)
	}
	defer bi.Close()

	count, err := bi.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	if count != uint64(len(talks)) {
		t.Errorf("floor index holds %d talks, want %d", count, len(talks))
	}
	fields, err := bi.Fields()
	if err != nil {
		t.Fatal(err)
	}
	// _id is Bleve's own, in every index.
	fields = slices.DeleteFunc(fields, func(f string) bool { return f == "_id" })
	slices.Sort(fields)
	if want := []string{fieldAbstract, fieldSpeakers, fieldTitle}; !slices.Equal(fields, want) {
		t.Errorf("floor index fields = %v, want %v", fields, want)
	}

	find := func(q query.Query) []string {
		t.Helper()
		res, err := bi.Search(bleve.NewSearchRequestOptions(q, 100, 0, false))
		if err != nil {
			t.Fatalf("search floor index: %v", err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		slices.Sort(ids)
		return ids
	}
	// Talk 1's abstract says "route reflectors scale iBGP": a phrase in
	// the abstract needs positions, and no stemming is done.
	phrase := bleve.NewMatchPhraseQuery("route reflectors scale")
	phrase.SetField(fieldAbstract)
	if got := find(phrase); !slices.Equal(got, []string{"1"}) {
		t.Errorf("phrase in abstracts found %v, want [1]", got)
	}
	speaker := bleve.NewMatchQuery("huston")
	speaker.SetField(fieldSpeakers)
	var want []string
	for _, tk := range talks {
		for _, s := range tk.Speakers {
			if s.Name == "Geoff Huston" {
				want = append(want, docID(tk.ID))
			}
		}
	}
	slices.Sort(want)
	if got := find(speaker); len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("speaker huston found %v, want %v", got, want)
	}
}

func TestFloorIndexReportsWhatStoppedIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "floor.bleve")
	err := FloorIndex(context.Background(), path, feedOf([]*catalog.Talk{{Title: "no id"}}))
	if err == nil || !containsAll(err.Error(), "floor index", "no id") {
		t.Errorf("FloorIndex of a talk without id: err = %v, want one naming the missing id", err)
	}
	failing := errors.New("source broke")
	err = FloorIndex(context.Background(), filepath.Join(t.TempDir(), "f2"), func(emit func(*catalog.Talk) error) error {
		return failing
	})
	if !errors.Is(err, failing) {
		t.Errorf("FloorIndex with a failing feed: err = %v, want it to wrap %v", err, failing)
	}
}
