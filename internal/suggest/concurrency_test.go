package suggest

import (
	"math/rand/v2"
	"sync"
	"testing"
)

// TestConcurrentReadsAndWrites runs suggestions while other goroutines
// upsert and remove talks (run it with -race), then checks that the index
// counts what the writers left.
func TestConcurrentReadsAndWrites(t *testing.T) {
	const writers, readers, rounds = 2, 4, 200
	ix := Build(randomTalks(rand.New(rand.NewPCG(5, 6)), 200))
	var wg sync.WaitGroup
	for w := range writers {
		// Each writer owns its own ids, so the end state is known.
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for i, tk := range randomTalks(rng, rounds) {
				tk.ID = int64(1000*(w+1) + i)
				ix.Upsert(tk)
				if i%2 == 1 {
					ix.Remove(tk.ID - 1)
				}
			}
		})
	}
	for r := range readers {
		wg.Go(func() {
			queries := []string{"a", "ro sec", "zoe", "mu", "meeting 1", "b", "peer pol"}
			for i := range rounds {
				q := queries[(i+r)%len(queries)]
				for _, s := range ix.Suggest(q, 0) {
					if s.Text == "" || s.Kind == "" {
						t.Errorf("Suggest(%q) gave an empty suggestion: %+v", q, s)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	// 200 built, and each writer keeps every other of its talks.
	if got, want := ix.Stats().Talks, 200+writers*rounds/2; got != want {
		t.Errorf("talks = %d, want %d", got, want)
	}
}
