package sqlite

import (
	"encoding/json"
	"fmt"

	"github.com/talkdex/talkdex/internal/catalog"
)

// talkCard is the JSON in talks.card: a talk's speakers, links and source
// tags in position order (schema/0003_talk_cards.sql). A page of search
// results reads them from the talk's own row, where the tables they are
// kept in would cost four more lookups per talk, each most likely on a page
// no cache holds: at 100k talks they made loading a page take twice as long.
type talkCard struct {
	Speakers [][2]string `json:"speakers"` // name, affiliation
	Links    [][2]string `json:"links"`    // kind, url
	Tags     []string    `json:"tags"`
}

// cardOf renders the card of a talk as the upsert writes its rows.
func cardOf(t *catalog.Talk) (string, error) {
	c := talkCard{
		Speakers: make([][2]string, len(t.Speakers)),
		Links:    make([][2]string, len(t.Links)),
		Tags:     t.Tags,
	}
	for i, sp := range t.Speakers {
		c.Speakers[i] = [2]string{sp.Name, sp.Affiliation}
	}
	for i, l := range t.Links {
		c.Links[i] = [2]string{l.Kind, l.URL}
	}
	if c.Tags == nil {
		c.Tags = []string{}
	}
	b, err := json.Marshal(&c)
	if err != nil {
		return "", fmt.Errorf("card of talk %q: %w", t.Title, err)
	}
	return string(b), nil
}

// fillFromCard sets t's speakers, links and tags from its stored card.
func fillFromCard(t *catalog.Talk, card []byte) error {
	if card == nil {
		// Every row has one: migration 0003 wrote them, and every write
		// of a talk writes its card.
		return fmt.Errorf("talk %d has no card", t.ID)
	}
	var c talkCard
	if err := json.Unmarshal(card, &c); err != nil {
		return fmt.Errorf("talk %d: read card: %w", t.ID, err)
	}
	t.Speakers = make([]catalog.Speaker, len(c.Speakers))
	for i, sp := range c.Speakers {
		t.Speakers[i] = catalog.Speaker{Name: sp[0], Affiliation: sp[1]}
	}
	t.Links = make([]catalog.Link, len(c.Links))
	for i, l := range c.Links {
		t.Links[i] = catalog.Link{Kind: l[0], URL: l[1]}
	}
	t.Tags = c.Tags
	if t.Tags == nil {
		t.Tags = []string{}
	}
	return nil
}
