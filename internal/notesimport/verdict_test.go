package notesimport

import "testing"

func TestSuggestRating(t *testing.T) {
	tests := []struct {
		verdict string
		want    int
	}{
		{"Super Good!", 5},
		{"Really really good.", 5},
		{"REALLY REALLY GOOD", 5},
		{"really good", 4},
		{"Very good", 4},
		{"great", 4},
		{"Excellent!!", 5},
		{"good", 4},
		{"Good.", 4},
		{"interesting", 3},
		{"interesting both parts.", 3},
		{"second part interesting.", 3},
		{"very interesting", 4},
		{"ok", 3},
		{"OK-ish", 3},
		{"meh", 2},
		{"boring", 2},
		{"very boring", 1},
		{"bad", 1},
		// The longest phrase wins, so a negation beats the word it negates.
		{"not good", 2},
		{"not bad", 3},
		{"not great, a bit boring", 2},
		{"so so", 3},
		// No rating words, or none at all.
		{"", 0},
		{"watched twice", 0},
		{"goodness knows", 0},
	}
	for _, tt := range tests {
		if got := SuggestRating(tt.verdict); got != tt.want {
			t.Errorf("SuggestRating(%q) = %d, want %d", tt.verdict, got, tt.want)
		}
	}
}
