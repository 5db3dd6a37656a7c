package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/talkdex/talkdex/internal/app"
	"github.com/talkdex/talkdex/internal/catalog"
)

// TestWithdrawnTalkIsMarked: a talk gone from its program page stays
// findable (it may hold the user's notes) but says that it was withdrawn.
func TestWithdrawnTalkIsMarked(t *testing.T) {
	svc := newTestService(t)
	gone := &catalog.Talk{Series: "Example NOG", Event: "Example NOG 2020", Title: "Vanished Keynote", Withdrawn: true,
		Source: catalog.Source{Name: "example", Key: "example:vanished"}}
	_, err := svc.(*app.Catalog).Import(context.Background(), func(ctx context.Context, emit func(*catalog.Talk) error) ([]catalog.Skip, error) {
		return nil, emit(gone)
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	env := newTestEnvWith(t, svc)
	client := env.browser()
	_, body := env.get(client, "/?q=vanished")
	if !strings.Contains(string(body), "badge-withdrawn") {
		t.Errorf("search result does not mark the withdrawn talk")
	}
	_, body = env.get(client, fmt.Sprintf("/talks/%d", env.talkID("Vanished Keynote")))
	if !strings.Contains(string(body), "no longer on its program page") {
		t.Errorf("talk page does not say the talk was withdrawn")
	}
	if other := env.talkID(seedTalks()[0].Title); other > 0 {
		_, body = env.get(client, fmt.Sprintf("/talks/%d", other))
		if strings.Contains(string(body), "no longer on its program page") {
			t.Errorf("a talk still on its page is marked withdrawn")
		}
	}
}
