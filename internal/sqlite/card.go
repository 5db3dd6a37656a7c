package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/talkdex/talkdex/internal/catalog"
)

// talkCard is the JSON in talks.card: a talk's speakers, links and source
// tags in position order (schema/0003_talk_cards.sql). A page of search
// results reads them from the talk's own row, where the five tables they
// are kept in cost a lookup each per talk, most likely on a page no cache
// holds: at 100k talks they made loading a page take twice as long.
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

// fillFromCard sets t's speakers, links and tags from its stored card,
// and reports whether it could: a row without a card, or with one that is
// not JSON of this shape, was written around talkdex, and its talk is
// loaded from the tables instead (see childrenFromTables).
func fillFromCard(t *catalog.Talk, card []byte) bool {
	var c talkCard
	if card == nil || json.Unmarshal(card, &c) != nil {
		return false
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
	return true
}

// childReads read the speakers, links and tags of the talks whose ids are
// listed in one JSON parameter, each in talk and position order, and add
// each row to its talk.
var childReads = []struct {
	what, query string
	add         func(rows *sql.Rows, talks map[int64]*catalog.Talk) error
}{
	{"speakers", `SELECT ts.talk_id, sp.name, ts.affiliation
	FROM talk_speakers ts JOIN speakers sp ON sp.id = ts.speaker_id
	WHERE ts.talk_id IN (` + listedIDs + `) ORDER BY ts.talk_id, ts.position`,
		func(rows *sql.Rows, talks map[int64]*catalog.Talk) error {
			var id int64
			var sp catalog.Speaker
			if err := rows.Scan(&id, &sp.Name, &sp.Affiliation); err != nil {
				return err
			}
			talks[id].Speakers = append(talks[id].Speakers, sp)
			return nil
		}},
	{"links", `SELECT talk_id, kind, url FROM links
	WHERE talk_id IN (` + listedIDs + `) ORDER BY talk_id, position`,
		func(rows *sql.Rows, talks map[int64]*catalog.Talk) error {
			var id int64
			var l catalog.Link
			if err := rows.Scan(&id, &l.Kind, &l.URL); err != nil {
				return err
			}
			talks[id].Links = append(talks[id].Links, l)
			return nil
		}},
	{"tags", `SELECT tt.talk_id, tg.name FROM talk_tags tt JOIN tags tg ON tg.id = tt.tag_id
	WHERE tt.talk_id IN (` + listedIDs + `) ORDER BY tt.talk_id, tt.position`,
		func(rows *sql.Rows, talks map[int64]*catalog.Talk) error {
			var id int64
			var tag string
			if err := rows.Scan(&id, &tag); err != nil {
				return err
			}
			talks[id].Tags = append(talks[id].Tags, tag)
			return nil
		}},
}

// childrenFromTables sets the speakers, links and tags of talks from the
// tables that keep them, for talks whose card could not be read. No
// statement is prepared for this: it is not meant to happen.
func childrenFromTables(ctx context.Context, tx *sql.Tx, talks map[int64]*catalog.Talk) error {
	ids := make([]int64, 0, len(talks))
	for id, t := range talks {
		ids = append(ids, id)
		t.Speakers, t.Links, t.Tags = []catalog.Speaker{}, []catalog.Link{}, []string{}
	}
	arg := jsonIDs(ids)
	for _, cr := range childReads {
		err := eachRow(ctx, tx, nil, cr.query, []any{arg}, func(rows *sql.Rows) error { return cr.add(rows, talks) })
		if err != nil {
			return fmt.Errorf("query %s: %w", cr.what, err)
		}
	}
	return nil
}
