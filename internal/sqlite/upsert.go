package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// hashVersion is mixed into every content hash; bump it when the hashed
// representation changes so that the next import rewrites every talk once
// instead of comparing hashes of different shapes.
const hashVersion = "talkdex-talk-v1\n"

// contentHash covers the source fields of a normalised talk: everything
// except its ids and the user's personal data, which an import never owns.
func contentHash(t *catalog.Talk) (string, error) {
	c := *t
	c.ID, c.EventID = 0, 0
	c.ClearPersonal()
	b, err := json.Marshal(&c)
	if err != nil {
		return "", fmt.Errorf("hash talk %q: %w", t.Title, err)
	}
	h := sha256.New()
	h.Write([]byte(hashVersion))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// UpsertTalks writes talks in one transaction, keyed on their source key;
// on any error nothing of the call is written. Invalid records are skipped
// with a reason. A talk whose source fields are unchanged is not written at
// all. Personal fields in the records only fill kinds of personal data a
// talk does not have yet, so re-importing an old export never overwrites the
// user's later changes. Each talk gets its ID and EventID set.
func (s *Store) UpsertTalks(ctx context.Context, talks []*catalog.Talk) (catalog.ImportReport, error) {
	var rep catalog.ImportReport
	skip := func(t *catalog.Talk, reason string) {
		ref := t.Title
		if ref == "" {
			ref = t.Source.Key
		}
		rep.Skipped++
		rep.Skips = append(rep.Skips, catalog.Skip{Ref: ref, Reason: reason})
	}

	// Later records win over earlier ones with the same key, so only the
	// last of each key is written; the earlier ones are reported.
	last := map[string]int{}
	valid := make([]bool, len(talks))
	for i, t := range talks {
		if t == nil {
			rep.Skipped++
			rep.Skips = append(rep.Skips, catalog.Skip{Ref: fmt.Sprintf("record %d", i+1), Reason: "record is empty"})
			continue
		}
		t.Normalize()
		if err := t.Validate(); err != nil {
			skip(t, catalog.ErrorMessage(err))
			continue
		}
		valid[i] = true
		last[t.Source.Key] = i
	}
	var todo []*catalog.Talk
	var superseded []*catalog.Talk
	for i, t := range talks {
		if !valid[i] {
			continue
		}
		if last[t.Source.Key] != i {
			superseded = append(superseded, t)
			skip(t, fmt.Sprintf("a later record in the same import has the same source key %q and replaces it", t.Source.Key))
			continue
		}
		todo = append(todo, t)
	}

	if len(todo) == 0 {
		return rep, nil
	}

	type result struct{ id, eventID int64 }
	results := make([]result, len(todo))
	var counts struct{ inserted, updated, unchanged int }
	err := s.write(ctx, func(tx *sql.Tx) error {
		u, err := newUpserter(ctx, tx)
		if err != nil {
			return err
		}
		defer u.close()
		for i, t := range todo {
			if err := ctx.Err(); err != nil {
				return err
			}
			id, eventID, outcome, err := u.upsert(t)
			if err != nil {
				return fmt.Errorf("upsert talk %q (%s): %w", t.Title, t.Source.Key, err)
			}
			results[i] = result{id, eventID}
			switch outcome {
			case inserted:
				counts.inserted++
			case updated:
				counts.updated++
			default:
				counts.unchanged++
			}
		}
		return u.finish()
	})
	if err != nil {
		return catalog.ImportReport{}, fmt.Errorf("upsert talks: %w", err)
	}

	// Only after the commit: on rollback the ids would name nothing.
	byKey := map[string]result{}
	for i, t := range todo {
		t.ID, t.EventID = results[i].id, results[i].eventID
		byKey[t.Source.Key] = results[i]
	}
	for _, t := range superseded {
		r := byKey[t.Source.Key]
		t.ID, t.EventID = r.id, r.eventID
	}
	rep.Inserted, rep.Updated, rep.Unchanged = counts.inserted, counts.updated, counts.unchanged
	return rep, nil
}

type outcome int

const (
	unchanged outcome = iota
	inserted
	updated
)

// upserter holds one UpsertTalks transaction's prepared statements and
// caches. The caches live only as long as the transaction, so a rollback can
// never leave them naming rows that do not exist.
type upserter struct {
	ctx context.Context
	tx  *sql.Tx
	now string

	stmts map[string]*sql.Stmt

	seriesIDs  map[string]int64
	events     map[eventKey]*eventRow
	speakerIDs map[string]int64
	tagIDs     map[string]int64

	// Rows an update may have orphaned, and events whose span must be
	// recomputed; handled once in finish.
	oldSpeakers map[int64]bool
	oldTags     map[int64]bool
	oldEvents   map[int64]bool
	spanEvents  map[int64]bool
}

type eventKey struct {
	seriesID int64
	name     string
}

type eventRow struct {
	id   int64
	year int
}

func newUpserter(ctx context.Context, tx *sql.Tx) (*upserter, error) {
	u := &upserter{
		ctx: ctx, tx: tx, now: now(),
		stmts:       map[string]*sql.Stmt{},
		seriesIDs:   map[string]int64{},
		events:      map[eventKey]*eventRow{},
		speakerIDs:  map[string]int64{},
		tagIDs:      map[string]int64{},
		oldSpeakers: map[int64]bool{},
		oldTags:     map[int64]bool{},
		oldEvents:   map[int64]bool{},
		spanEvents:  map[int64]bool{},
	}
	for name, query := range upsertStatements() {
		st, err := tx.PrepareContext(ctx, query)
		if err != nil {
			u.close()
			return nil, fmt.Errorf("prepare %s: %w", name, err)
		}
		u.stmts[name] = st
	}
	return u, nil
}

// upsertStatements lists every statement an upsert runs by name; they are
// prepared once per call.
func upsertStatements() map[string]string {
	return map[string]string{
		"findTalk": `SELECT id, event_id, content_hash, withdrawn, source_name FROM talks WHERE source_key = ?`,
		"insertTalk": `INSERT INTO talks (source_key, event_id, year, title, abstract, start_at, start_unix,
			duration_minutes, track, room, language, source_name, source_url, content_hash, withdrawn, card, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"updateTalk": `UPDATE talks SET event_id = ?, year = ?, title = ?, abstract = ?, start_at = ?, start_unix = ?,
			duration_minutes = ?, track = ?, room = ?, language = ?, source_name = ?, source_url = ?,
			content_hash = ?, withdrawn = ?, card = ?, updated_at = ? WHERE id = ?`,

		"findSeries":   `SELECT id FROM series WHERE name = ?`,
		"insertSeries": `INSERT INTO series (name) VALUES (?)`,
		"findEvent":    `SELECT id, year FROM events WHERE series_id = ? AND name = ?`,
		"insertEvent":  `INSERT INTO events (series_id, name, year) VALUES (?, ?, ?)`,
		"setEventYear": `UPDATE events SET year = ? WHERE id = ?`,

		"findSpeaker":       `SELECT id FROM speakers WHERE name = ?`,
		"insertSpeaker":     `INSERT INTO speakers (name) VALUES (?)`,
		"oldSpeakers":       `SELECT speaker_id FROM talk_speakers WHERE talk_id = ?`,
		"deleteSpeakers":    `DELETE FROM talk_speakers WHERE talk_id = ?`,
		"insertTalkSpeaker": `INSERT INTO talk_speakers (talk_id, position, speaker_id, affiliation) VALUES (?, ?, ?, ?)`,

		"deleteLinks": `DELETE FROM links WHERE talk_id = ?`,
		"insertLink":  `INSERT INTO links (talk_id, position, kind, url) VALUES (?, ?, ?, ?)`,

		"findTag":       `SELECT id FROM tags WHERE name = ?`,
		"insertTag":     `INSERT INTO tags (name) VALUES (?)`,
		"oldTags":       `SELECT tag_id FROM talk_tags WHERE talk_id = ?`,
		"deleteTags":    `DELETE FROM talk_tags WHERE talk_id = ?`,
		"insertTalkTag": `INSERT INTO talk_tags (talk_id, position, tag_id) VALUES (?, ?, ?)`,

		// ON CONFLICT DO NOTHING is the "fill, never overwrite" rule: an
		// existing row, even a tombstone the user left by clearing, wins.
		"fillRating": `INSERT INTO ratings (talk_id, stars, rated_at) VALUES (?, ?, ?) ON CONFLICT (talk_id) DO NOTHING`,
		"fillNote":   `INSERT INTO notes (talk_id, body, updated_at) VALUES (?, ?, ?) ON CONFLICT (talk_id) DO NOTHING`,
		"fillWatch": `INSERT INTO watch (talk_id, watched, updated_at, watched_at, to_watch_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (talk_id) DO NOTHING`,
		// Personal tags have no tombstone: a talk that has none takes the
		// record's, one that has some keeps its own (see fillPersonal).
		"hasMyTags": `SELECT EXISTS (SELECT 1 FROM personal_tags WHERE talk_id = ?)`,
		"fillMyTag": `INSERT INTO personal_tags (talk_id, tag, added_at) VALUES (?, ?, ?)
			ON CONFLICT (talk_id, tag) DO NOTHING`,

		"outbox": `INSERT INTO index_outbox (talk_id, created_at) VALUES (?, ?)`,
	}
}

func (u *upserter) close() {
	for _, st := range u.stmts {
		st.Close()
	}
}

func (u *upserter) exec(name string, args ...any) (sql.Result, error) {
	res, err := u.stmts[name].ExecContext(u.ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return res, nil
}

func (u *upserter) insert(name string, args ...any) (int64, error) {
	res, err := u.exec(name, args...)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return id, nil
}

// lookup runs a single-row query; found is false when there is no row.
func (u *upserter) lookup(name string, args []any, dest ...any) (found bool, err error) {
	err = u.stmts[name].QueryRowContext(u.ctx, args...).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("%s: %w", name, err)
	}
	return true, nil
}

// findOrInsert returns the id of the row named name via find/insert
// statements, through cache.
func (u *upserter) findOrInsert(cache map[string]int64, find, insert, name string) (int64, error) {
	if id, ok := cache[name]; ok {
		return id, nil
	}
	var id int64
	found, err := u.lookup(find, []any{name}, &id)
	if err != nil {
		return 0, err
	}
	if !found {
		if id, err = u.insert(insert, name); err != nil {
			return 0, err
		}
	}
	cache[name] = id
	return id, nil
}

func (u *upserter) eventID(t *catalog.Talk) (int64, error) {
	seriesID, err := u.findOrInsert(u.seriesIDs, "findSeries", "insertSeries", t.Series)
	if err != nil {
		return 0, err
	}
	key := eventKey{seriesID, t.Event}
	ev := u.events[key]
	if ev == nil {
		ev = &eventRow{}
		found, err := u.lookup("findEvent", []any{seriesID, t.Event}, &ev.id, &ev.year)
		if err != nil {
			return 0, err
		}
		if !found {
			ev.year = t.Year
			if ev.id, err = u.insert("insertEvent", seriesID, t.Event, t.Year); err != nil {
				return 0, err
			}
		}
		u.events[key] = ev
	}
	if ev.year == 0 && t.Year != 0 {
		if _, err := u.exec("setEventYear", t.Year, ev.id); err != nil {
			return 0, err
		}
		ev.year = t.Year
	}
	return ev.id, nil
}

// upsert writes one normalised, valid talk.
func (u *upserter) upsert(t *catalog.Talk) (id, eventID int64, out outcome, err error) {
	var oldHash, oldSource string
	var oldEventID int64
	var oldWithdrawn bool
	found, err := u.lookup("findTalk", []any{t.Source.Key}, &id, &oldEventID, &oldHash, &oldWithdrawn, &oldSource)
	if err != nil {
		return 0, 0, 0, err
	}
	if found && oldSource != "" && oldSource != t.Source.Name {
		// Another export of the same talk (a pretalx event's ICS feed after
		// its schedule.xml): the stored record stays and this one only
		// fills what it lacks, so a poorer export never strips a richer one.
		olds, err := loadTalks(u.ctx, u.tx, nil, oneTalk(id))
		if err != nil {
			return 0, 0, 0, err
		}
		if len(olds) == 1 {
			mergeFromOtherSource(olds[0], t)
		}
	}
	hash, err := contentHash(t)
	if err != nil {
		return 0, 0, 0, err
	}

	out = unchanged
	eventID = oldEventID
	// The flag is compared on its own because WithdrawMissing sets it
	// without rehashing: a withdrawn talk that reappears must be rewritten.
	if !found || oldHash != hash || oldWithdrawn != t.Withdrawn {
		if eventID, err = u.eventID(t); err != nil {
			return 0, 0, 0, err
		}
		startText, startUnix := formatStart(t.Start)
		card, err := cardOf(t)
		if err != nil {
			return 0, 0, 0, err
		}
		if found {
			_, err = u.exec("updateTalk", eventID, t.Year, t.Title, t.Abstract, startText, startUnix,
				t.DurationMinutes, t.Track, t.Room, t.Language, t.Source.Name, t.Source.URL,
				hash, t.Withdrawn, card, u.now, id)
			if err == nil {
				err = u.clearChildren(id)
			}
			if oldEventID != eventID {
				u.oldEvents[oldEventID] = true
				u.spanEvents[oldEventID] = true
			}
			out = updated
		} else {
			id, err = u.insert("insertTalk", t.Source.Key, eventID, t.Year, t.Title, t.Abstract, startText, startUnix,
				t.DurationMinutes, t.Track, t.Room, t.Language, t.Source.Name, t.Source.URL,
				hash, t.Withdrawn, card, u.now, u.now)
			out = inserted
		}
		if err != nil {
			return 0, 0, 0, err
		}
		if err := u.insertChildren(id, t); err != nil {
			return 0, 0, 0, err
		}
		u.spanEvents[eventID] = true
	}

	filled, err := u.fillPersonal(id, t)
	if err != nil {
		return 0, 0, 0, err
	}
	if filled && out == unchanged {
		out = updated
	}
	if out != unchanged {
		if _, err := u.exec("outbox", id, u.now); err != nil {
			return 0, 0, 0, err
		}
	}
	return id, eventID, out, nil
}

// clearChildren deletes a talk's speakers, links and tags before they are
// rewritten, remembering which speakers and tags may now be orphans.
func (u *upserter) clearChildren(id int64) error {
	for _, q := range []struct {
		list string
		seen map[int64]bool
	}{{"oldSpeakers", u.oldSpeakers}, {"oldTags", u.oldTags}} {
		rows, err := u.stmts[q.list].QueryContext(u.ctx, id)
		if err != nil {
			return fmt.Errorf("%s: %w", q.list, err)
		}
		for rows.Next() {
			var ref int64
			if err := rows.Scan(&ref); err != nil {
				rows.Close()
				return fmt.Errorf("%s: %w", q.list, err)
			}
			q.seen[ref] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("%s: %w", q.list, err)
		}
	}
	for _, name := range []string{"deleteSpeakers", "deleteLinks", "deleteTags"} {
		if _, err := u.exec(name, id); err != nil {
			return err
		}
	}
	return nil
}

func (u *upserter) insertChildren(id int64, t *catalog.Talk) error {
	for i, sp := range t.Speakers {
		speakerID, err := u.findOrInsert(u.speakerIDs, "findSpeaker", "insertSpeaker", sp.Name)
		if err != nil {
			return err
		}
		if _, err := u.exec("insertTalkSpeaker", id, i, speakerID, sp.Affiliation); err != nil {
			return err
		}
	}
	for i, l := range t.Links {
		if _, err := u.exec("insertLink", id, i, l.Kind, l.URL); err != nil {
			return err
		}
	}
	for i, tag := range t.Tags {
		tagID, err := u.findOrInsert(u.tagIDs, "findTag", "insertTag", tag)
		if err != nil {
			return err
		}
		if _, err := u.exec("insertTalkTag", id, i, tagID); err != nil {
			return err
		}
	}
	return nil
}

// fillPersonal applies the record's personal fields that the talk has no
// row for yet, and reports whether it wrote any.
func (u *upserter) fillPersonal(id int64, t *catalog.Talk) (bool, error) {
	filled := false
	fill := func(name string, args ...any) error {
		res, err := u.exec(name, args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		filled = filled || n > 0
		return nil
	}
	// A record's own dates (from an export) are kept, so that a round trip
	// does not make every rating look new.
	if t.Rating != 0 {
		if err := fill("fillRating", id, t.Rating, stampOr(t.RatedAt, u.now)); err != nil {
			return false, err
		}
	}
	if strings.TrimSpace(t.Note) != "" {
		if err := fill("fillNote", id, t.Note, stampOr(t.NoteUpdatedAt, u.now)); err != nil {
			return false, err
		}
	}
	switch t.Watch {
	case catalog.WatchWatched:
		toWatch := sql.NullString{}
		if !t.ToWatchAt.IsZero() {
			toWatch = sql.NullString{String: stampOr(t.ToWatchAt, u.now), Valid: true}
		}
		if err := fill("fillWatch", id, 1, u.now, stampOr(t.WatchedAt, u.now), toWatch); err != nil {
			return false, err
		}
	case catalog.WatchToWatch:
		if err := fill("fillWatch", id, 0, u.now, nil, stampOr(t.ToWatchAt, u.now)); err != nil {
			return false, err
		}
	}
	if len(t.MyTags) > 0 {
		var has bool
		if err := u.stmts["hasMyTags"].QueryRowContext(u.ctx, id).Scan(&has); err != nil {
			return false, fmt.Errorf("hasMyTags: %w", err)
		}
		for _, tag := range t.MyTags {
			if has {
				break
			}
			if err := fill("fillMyTag", id, tag, u.now); err != nil {
				return false, err
			}
		}
	}
	return filled, nil
}

// finish removes speakers, tags, events and series that updates in this
// transaction left without talks, and recomputes the time span of every
// event whose talks changed.
func (u *upserter) finish() error {
	for id := range u.oldSpeakers {
		if _, err := u.tx.ExecContext(u.ctx, `DELETE FROM speakers WHERE id = ?
			AND NOT EXISTS (SELECT 1 FROM talk_speakers WHERE speaker_id = ?)`, id, id); err != nil {
			return fmt.Errorf("delete orphaned speaker %d: %w", id, err)
		}
	}
	for id := range u.oldTags {
		if _, err := u.tx.ExecContext(u.ctx, `DELETE FROM tags WHERE id = ?
			AND NOT EXISTS (SELECT 1 FROM talk_tags WHERE tag_id = ?)`, id, id); err != nil {
			return fmt.Errorf("delete orphaned tag %d: %w", id, err)
		}
	}
	for id := range u.oldEvents {
		var seriesID int64
		err := u.tx.QueryRowContext(u.ctx, `DELETE FROM events WHERE id = ?
			AND NOT EXISTS (SELECT 1 FROM talks WHERE event_id = ?) RETURNING series_id`, id, id).Scan(&seriesID)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("delete emptied event %d: %w", id, err)
		}
		delete(u.spanEvents, id)
		if _, err := u.tx.ExecContext(u.ctx, `DELETE FROM series WHERE id = ?
			AND NOT EXISTS (SELECT 1 FROM events WHERE series_id = ?)`, seriesID, seriesID); err != nil {
			return fmt.Errorf("delete emptied series %d: %w", seriesID, err)
		}
	}
	for id := range u.spanEvents {
		if err := u.refreshEventSpan(id); err != nil {
			return err
		}
	}
	return nil
}

// refreshEventSpan sets an event's start and end from its talks: the
// earliest start, and the latest end (start plus duration), each keeping the
// offset the source gave it. Both lookups run on the talks_event index and
// read one talk row each, as this runs for every event an import touches.
func (u *upserter) refreshEventSpan(eventID int64) error {
	var first, last sql.NullString
	var lastMinutes int
	err := u.tx.QueryRowContext(u.ctx, `SELECT start_at FROM talks
		WHERE event_id = ? AND start_unix IS NOT NULL ORDER BY start_unix LIMIT 1`, eventID).Scan(&first)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("event %d start: %w", eventID, err)
	}
	// A bare column next to MAX() comes from the row holding the maximum.
	err = u.tx.QueryRowContext(u.ctx, `SELECT t.start_at, t.duration_minutes FROM talks t
		WHERE t.id = (SELECT id FROM (SELECT id, MAX(start_unix + 60 * duration_minutes)
			FROM talks WHERE event_id = ? AND start_unix IS NOT NULL))`, eventID).Scan(&last, &lastMinutes)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("event %d end: %w", eventID, err)
	}
	start, err := parseStart(first)
	if err != nil {
		return err
	}
	end, err := parseStart(last)
	if err != nil {
		return err
	}
	if !end.IsZero() {
		end = end.Add(time.Duration(lastMinutes) * time.Minute)
	}
	startText, startUnix := formatStart(start)
	endText, _ := formatStart(end)
	if _, err := u.tx.ExecContext(u.ctx, `UPDATE events SET start_at = ?, start_unix = ?, end_at = ? WHERE id = ?`,
		startText, startUnix, endText, eventID); err != nil {
		return fmt.Errorf("event %d span: %w", eventID, err)
	}
	return nil
}

// mergeFromOtherSource makes in the stored record old, with gaps filled from
// in: every field old has wins; the longer abstract wins; links and tags are
// the union; speakers without an affiliation take one in gives under the
// same name. Source identity stays old's. Personal fields of in are left as
// they are (the upsert only fills those where the talk has none).
func mergeFromOtherSource(old, in *catalog.Talk) {
	in.Series, in.Event, in.Source, in.Withdrawn = old.Series, old.Event, old.Source, old.Withdrawn
	pick := func(o, n string) string {
		if o != "" {
			return o
		}
		return n
	}
	in.Title, in.Track, in.Room, in.Language = pick(old.Title, in.Title), pick(old.Track, in.Track), pick(old.Room, in.Room), pick(old.Language, in.Language)
	if len(old.Abstract) >= len(in.Abstract) {
		in.Abstract = old.Abstract
	}
	if !old.Start.IsZero() {
		in.Start = old.Start
	}
	if old.DurationMinutes > 0 {
		in.DurationMinutes = old.DurationMinutes
	}
	if old.Year > 0 {
		in.Year = old.Year
	}
	if len(old.Speakers) > 0 {
		affiliation := map[string]string{}
		for _, sp := range in.Speakers {
			affiliation[strings.ToLower(sp.Name)] = sp.Affiliation
		}
		speakers := make([]catalog.Speaker, len(old.Speakers))
		for i, sp := range old.Speakers {
			if sp.Affiliation == "" {
				sp.Affiliation = affiliation[strings.ToLower(sp.Name)]
			}
			speakers[i] = sp
		}
		in.Speakers = speakers
	}
	links := append([]catalog.Link{}, old.Links...)
	seenLink := map[string]bool{}
	for _, l := range old.Links {
		seenLink[l.URL] = true
	}
	for _, l := range in.Links {
		if !seenLink[l.URL] {
			seenLink[l.URL] = true
			links = append(links, l)
		}
	}
	in.Links = links
	tags := append([]string{}, old.Tags...)
	seenTag := map[string]bool{}
	for _, tag := range old.Tags {
		seenTag[strings.ToLower(tag)] = true
	}
	for _, tag := range in.Tags {
		if !seenTag[strings.ToLower(tag)] {
			seenTag[strings.ToLower(tag)] = true
			tags = append(tags, tag)
		}
	}
	in.Tags = tags
}
