package sqlite

import (
	"context"
	"database/sql"
	"reflect"
	"testing"

	"github.com/talkdex/talkdex/internal/catalog"
)

// tableChildren reads a talk's speakers, links and tags from the tables
// that keep them, as talks were loaded before they had cards.
func tableChildren(t *testing.T, db *sql.DB, id int64) (speakers []catalog.Speaker, links []catalog.Link, tags []string) {
	t.Helper()
	speakers, links, tags = []catalog.Speaker{}, []catalog.Link{}, []string{}
	each := func(q string, scan func(*sql.Rows) error) {
		rows, err := db.Query(q, id)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	each(`SELECT sp.name, ts.affiliation FROM talk_speakers ts JOIN speakers sp ON sp.id = ts.speaker_id
		WHERE ts.talk_id = ? ORDER BY ts.position`, func(r *sql.Rows) error {
		var sp catalog.Speaker
		err := r.Scan(&sp.Name, &sp.Affiliation)
		speakers = append(speakers, sp)
		return err
	})
	each(`SELECT kind, url FROM links WHERE talk_id = ? ORDER BY position`, func(r *sql.Rows) error {
		var l catalog.Link
		err := r.Scan(&l.Kind, &l.URL)
		links = append(links, l)
		return err
	})
	each(`SELECT tg.name FROM talk_tags tt JOIN tags tg ON tg.id = tt.tag_id
		WHERE tt.talk_id = ? ORDER BY tt.position`, func(r *sql.Rows) error {
		var tag string
		err := r.Scan(&tag)
		tags = append(tags, tag)
		return err
	})
	return speakers, links, tags
}

// checkCardsMatchTables fails when any talk loads other speakers, links or
// tags than its tables hold.
func checkCardsMatchTables(t *testing.T, s *Store) {
	t.Helper()
	n := 0
	err := s.EachTalk(context.Background(), func(tk *catalog.Talk) error {
		n++
		speakers, links, tags := tableChildren(t, s.reader, tk.ID)
		if !reflect.DeepEqual(tk.Speakers, speakers) || !reflect.DeepEqual(tk.Links, links) || !reflect.DeepEqual(tk.Tags, tags) {
			t.Errorf("talk %d loads speakers %v, links %v, tags %v; its tables hold %v, %v, %v",
				tk.ID, tk.Speakers, tk.Links, tk.Tags, speakers, links, tags)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no talks to check")
	}
}

// TestCardsFollowEveryWrite re-imports talks with their speakers, links and
// tags changed, reordered, emptied and merged from a second source: each
// time every talk loads what its tables hold.
func TestCardsFollowEveryWrite(t *testing.T) {
	s := openStore(t)
	talks := synthTalks(0, 30)
	talks[3].Speakers, talks[3].Links, talks[3].Tags = nil, nil, nil
	mustUpsert(t, s, talks)
	checkCardsMatchTables(t, s)

	again := synthTalks(0, 30)
	again[0].Speakers = []catalog.Speaker{again[0].Speakers[1], {Name: "Ünïcode \"Quoted\" Speaker", Affiliation: "<Org>"}}
	again[1].Links = again[1].Links[:1]
	again[2].Tags = []string{"new tag", again[2].Tags[0]}
	again[3] = synthTalks(3, 1)[0] // gains what it lacked
	again[4].Speakers, again[4].Links, again[4].Tags = nil, nil, nil
	rep := mustUpsert(t, s, again)
	if rep.Updated != 5 {
		t.Fatalf("updated %d talks, want 5: %+v", rep.Updated, rep)
	}
	checkCardsMatchTables(t, s)

	// Another export of talk 5 without its links or tags only fills in.
	other := synthTalks(5, 1)[0]
	other.Source.Name = "ics"
	other.Links, other.Tags = nil, nil
	other.Speakers = append(other.Speakers, catalog.Speaker{Name: "Only in the other export"})
	mustUpsert(t, s, []*catalog.Talk{other})
	checkCardsMatchTables(t, s)

	got, err := s.FindTalkByID(context.Background(), talks[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := again[0].Speakers; !reflect.DeepEqual(got.Speakers, want) {
		t.Errorf("speakers after the re-import: %v, want %v", got.Speakers, want)
	}
}

// TestUpgradeWritesCards builds a database as release two left it, with
// speakers, links and tags inserted out of position order and a talk with
// none, and opens it: the migration gives every talk its card, in position
// order, and a talk without any loads empty lists.
func TestUpgradeWritesCards(t *testing.T) {
	ctx := context.Background()
	path := databaseAsReleased(t, 2,
		`INSERT INTO series (id, name) VALUES (1, 'NZNOG')`,
		`INSERT INTO events (id, series_id, name, year) VALUES (1, 1, 'NZNOG 2020', 2020)`,
		`INSERT INTO talks (id, source_key, event_id, year, title, content_hash, created_at, updated_at)
			VALUES (1, 'k1', 1, 2020, 'RPKI in practice', 'h1', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'),
			       (2, 'k2', 1, 2020, 'Lightning talks', 'h2', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`,
		`INSERT INTO speakers (id, name) VALUES (1, 'Second Speaker'), (2, 'First "Speaker"')`,
		`INSERT INTO talk_speakers (talk_id, position, speaker_id, affiliation) VALUES (1, 1, 1, ''), (1, 0, 2, 'REANNZ')`,
		`INSERT INTO links (talk_id, position, kind, url) VALUES (1, 1, 'slides', 'https://example.org/s.pdf'), (1, 0, 'video', 'https://example.org/v')`,
		`INSERT INTO tags (id, name) VALUES (1, 'rpki'), (2, 'security')`,
		`INSERT INTO talk_tags (talk_id, position, tag_id) VALUES (1, 1, 1), (1, 0, 2)`,
	)

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer s.Close()
	got, err := s.TalksByIDs(ctx, []int64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	first := got[1]
	if first == nil || got[2] == nil {
		t.Fatalf("loaded %v", got)
	}
	wantSpeakers := []catalog.Speaker{{Name: `First "Speaker"`, Affiliation: "REANNZ"}, {Name: "Second Speaker"}}
	wantLinks := []catalog.Link{{Kind: "video", URL: "https://example.org/v"}, {Kind: "slides", URL: "https://example.org/s.pdf"}}
	if !reflect.DeepEqual(first.Speakers, wantSpeakers) || !reflect.DeepEqual(first.Links, wantLinks) ||
		!reflect.DeepEqual(first.Tags, []string{"security", "rpki"}) {
		t.Errorf("upgraded talk loads speakers %v, links %v, tags %v", first.Speakers, first.Links, first.Tags)
	}
	bare := got[2]
	if bare.Speakers == nil || len(bare.Speakers) != 0 || bare.Links == nil || len(bare.Links) != 0 || bare.Tags == nil || len(bare.Tags) != 0 {
		t.Errorf("talk without speakers, links or tags loads %#v, %#v, %#v; want empty lists", bare.Speakers, bare.Links, bare.Tags)
	}
	checkCardsMatchTables(t, s)
}

// TestTalkWithoutCardLoadsFromItsTables: a row whose card is missing or
// unreadable (written around talkdex) loads its speakers, links and tags
// from the tables, alone or among talks that have cards.
func TestTalkWithoutCardLoadsFromItsTables(t *testing.T) {
	s := openStore(t)
	talks := synthTalks(0, 4)
	talks[2].Tags = nil
	mustUpsert(t, s, talks)
	for _, q := range []struct {
		id   int64
		card any
	}{{talks[1].ID, nil}, {talks[2].ID, `{"speakers": 1}`}, {talks[3].ID, `not json`}} {
		if _, err := s.writer.Exec(`UPDATE talks SET card = ? WHERE id = ?`, q.card, q.id); err != nil {
			t.Fatal(err)
		}
	}
	checkCardsMatchTables(t, s)
	got, err := s.FindTalkByID(context.Background(), talks[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Speakers, talks[1].Speakers) || !reflect.DeepEqual(got.Links, talks[1].Links) || !reflect.DeepEqual(got.Tags, talks[1].Tags) {
		t.Errorf("talk without a card loads %v, %v, %v; want %v, %v, %v",
			got.Speakers, got.Links, got.Tags, talks[1].Speakers, talks[1].Links, talks[1].Tags)
	}
	page, err := s.TalksByIDs(context.Background(), []int64{talks[0].ID, talks[2].ID})
	if err != nil {
		t.Fatal(err)
	}
	if tags := page[talks[2].ID].Tags; tags == nil || len(tags) != 0 {
		t.Errorf("talk without tags and without a readable card loads tags %#v, want an empty list", tags)
	}
}

// TestCardsHoldWhatTheTablesHoldForInvalidText: text that is not UTF-8 is
// repaired before it is written, so the card, which is JSON, and the
// tables hold the same.
func TestCardsHoldWhatTheTablesHoldForInvalidText(t *testing.T) {
	s := openStore(t)
	talks := synthTalks(0, 1)
	talks[0].Speakers = []catalog.Speaker{{Name: "M\xfcller", Affiliation: "Caf\xe9"}}
	talks[0].Tags = []string{"r\xe9seau"}
	mustUpsert(t, s, talks)
	checkCardsMatchTables(t, s)
}
