package formats

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// pyvideoSource is the source name of talks read from pyvideo.
const pyvideoSource = "pyvideo"

// detectPyvideo claims pyvideo talks: their own fields (videos, recorded,
// the dump's _event/_path) or speakers given as plain names.
// detectPyvideo claims a talk: every pyvideo talk has videos, recorded and
// speakers. _event and _path alone do not count: pyvideo's events.jsonl
// carries them too, and its records are events, not talks.
func detectPyvideo(h *head) bool {
	if h.has("videos") || h.has("recorded") {
		return true
	}
	k, ok := h.kind("speakers")
	return ok && k == kindStringArray
}

type pyvideoTalk struct {
	Event       string           `json:"_event"`
	Path        string           `json:"_path"`
	Title       string           `json:"title"`
	Speakers    []string         `json:"speakers"`
	Description string           `json:"description"`
	Summary     string           `json:"summary"`
	Abstract    string           `json:"abstract"`
	Recorded    string           `json:"recorded"`
	Language    string           `json:"language"`
	Tags        []string         `json:"tags"`
	Videos      []pyvideoVideo   `json:"videos"`
	RelatedURLs []pyvideoRelated `json:"related_urls"`
	Duration    *float64         `json:"duration"` // seconds; some files give fractions
	Slug        string           `json:"slug"`
	Category    string           `json:"category"` // deprecated copy of the event title
}

type pyvideoVideo struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// pyvideoRelated is one of "related_urls": a bare URL or {label, url}.
type pyvideoRelated struct {
	URL   string
	Label string
}

func (p *pyvideoRelated) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &p.URL)
	}
	var obj struct {
		URL   string `json:"url"`
		Label string `json:"label"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	p.URL, p.Label = obj.URL, obj.Label
	return nil
}

// pyvideoEvent is what we know about a talk's event.
type pyvideoEvent struct {
	folder    string // pyvideo/data folder, "" when unknown
	title     string
	realTitle bool   // title came from pyvideo's metadata, not a guess
	path      string // the talk file's path in pyvideo/data, "" when unknown
}

// pyvideoReader holds per-input state: event titles found next to the input
// and memoised series names.
type pyvideoReader struct {
	opts   Options
	titles map[string]string // event folder → title; "" marks a folder looked up and not found
	series map[string]string // event title → series
	single *pyvideoEvent     // the event of a single talk file, once looked up
}

// readPyvideo reads pyvideo talks: one talk file, or JSON lines of them.
// pyvideo's catalog (github.com/pyvideo/data) keeps one JSON file per talk
// at <event>/videos/<slug>.json and the event's title in
// <event>/category.json. Bulk dumps put every talk on one line and add
// "_event" (the event folder) and "_path" (the file's path), with the
// events in an events.jsonl beside them.
//
// How a pyvideo talk becomes a talk record:
//
//   - event is the event's title from events.jsonl or category.json. When
//     neither is there (stdin, a bare dump) the title is guessed from the
//     folder name ("pycon-us-2019" → "PyCon US 2019", see titleFromSlug), and
//     a talk with no folder at all falls back to its deprecated "category".
//   - series is the event title without its year (see seriesFromEvent).
//   - start comes from "recorded". pyvideo mostly gives a date only; that
//     becomes midnight UTC of that day, so that talks still sort by date. A
//     time without an offset is taken as UTC. year is the recorded year, or
//     the year in the event title when "recorded" is missing.
//   - links: each of "videos" is a video; each of "related_urls" is slides
//     when its URL or label looks like slides (speakerdeck, slideshare, a
//     PDF or other deck file, "slides"), else a page.
//   - abstract is "description", else "summary", else "abstract"; tags and
//     speakers are taken as they are (empty names dropped).
//   - language goes from ISO 639-3 to two letters where we know the code.
//   - source: name "pyvideo", key "pyvideo:" + the talk's path in
//     pyvideo/data (the same for a bulk dump and a single file, so importing
//     both upserts one talk), url the talk's pyvideo.org page when the
//     event's real title is known (pyvideo builds it from slugs of the
//     titles; see pelicanSlug).
func readPyvideo(ctx context.Context, r *bufio.Reader, opts Options, out *sink) error {
	p := &pyvideoReader{opts: opts, titles: map[string]string{}, series: map[string]string{}}
	if err := p.loadEvents(ctx); err != nil {
		return err
	}
	return eachRecord(ctx, r, out, func(loc location, raw []byte) error {
		var rec pyvideoTalk
		if reason, ok := decodeRecord(raw, &rec, "a pyvideo talk"); !ok {
			out.skip(loc, reason)
			return nil
		}
		if rec.Videos == nil && rec.Recorded == "" && rec.Speakers == nil {
			out.skip(loc, "not a pyvideo talk: it has no videos, recorded or speakers (an event record?)")
			return nil
		}
		ev, err := p.event(ctx, &rec)
		if err != nil {
			return err
		}
		if ev.title == "" {
			out.skip(loc, fmt.Sprintf("pyvideo talk %q names no event: no _event field, no category.json beside it and no category field", strings.TrimSpace(rec.Title)))
			return nil
		}
		return out.talk(loc, p.talk(&rec, ev))
	})
}

// loadEvents reads events.jsonl (or .gz) beside the input, if there is one.
func (p *pyvideoReader) loadEvents(ctx context.Context) error {
	if p.opts.Dir == "" {
		return nil
	}
	for _, name := range []string{"events.jsonl", "events.jsonl.gz"} {
		err := p.loadEventsFile(ctx, filepath.Join(p.opts.Dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		return err
	}
	return nil
}

func (p *pyvideoReader) loadEventsFile(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var r io.Reader = br
	if magic, _ := br.Peek(2); isGzip(magic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return catalog.Errorf(catalog.EINVALID, "%s: bad gzip data: %v", path, err)
		}
		defer zr.Close()
		r = zr
	}
	lines := bufio.NewScanner(r)
	lines.Buffer(make([]byte, 0, 64<<10), maxRecordBytes)
	for lines.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		var ev struct {
			Folder string `json:"_event"`
			Title  string `json:"title"`
		}
		// A damaged line costs only its event's title: talks then get
		// the title guessed from the folder name.
		if json.Unmarshal(lines.Bytes(), &ev) == nil && ev.Folder != "" && strings.TrimSpace(ev.Title) != "" {
			p.titles[ev.Folder] = ev.Title
		}
	}
	if err := lines.Err(); err != nil {
		return fmt.Errorf("read pyvideo events %s: %w", path, err)
	}
	return nil
}

// event works out the talk's event: from _event for dump lines, else from
// where the single talk file sits.
func (p *pyvideoReader) event(ctx context.Context, rec *pyvideoTalk) (pyvideoEvent, error) {
	if rec.Event == "" && rec.Path == "" {
		ev, err := p.singleFileEvent(ctx)
		if err != nil || ev.title != "" {
			return ev, err
		}
		ev.title = strings.TrimSpace(rec.Category)
		ev.realTitle = ev.title != ""
		return ev, nil
	}
	folder := rec.Event
	if folder == "" {
		folder, _, _ = strings.Cut(rec.Path, "/")
	}
	ev := pyvideoEvent{folder: folder, path: rec.Path}
	title, err := p.folderTitle(ctx, folder)
	if err != nil {
		return ev, err
	}
	switch {
	case title != "":
		ev.title, ev.realTitle = title, true
	case strings.TrimSpace(rec.Category) != "":
		ev.title, ev.realTitle = rec.Category, true
	default:
		ev.title = titleFromSlug(folder)
	}
	return ev, nil
}

// folderTitle finds an event's title in events.jsonl or, for a dump at the
// root of a pyvideo/data checkout, in <folder>/category.json.
func (p *pyvideoReader) folderTitle(ctx context.Context, folder string) (string, error) {
	if title, ok := p.titles[folder]; ok || p.opts.Dir == "" || !fs.ValidPath(folder) {
		return title, nil
	}
	title, err := categoryTitle(ctx, filepath.Join(p.opts.Dir, filepath.FromSlash(folder), "category.json"))
	if catalog.ErrorCode(err) == catalog.EINVALID {
		// One damaged category.json must not stop a bulk import; its
		// talks get the title guessed from the folder name.
		title, err = "", nil
	}
	p.titles[folder] = title
	return title, err
}

// singleFileEvent finds the event of a talk file read on its own. In
// pyvideo/data's layout the file is <event>/videos/<slug>.json next to
// <event>/category.json; flattened copies (like our fixtures) keep
// "<event>-category.json" beside "<event>-<slug>.json". The longest such
// prefix of the file's name wins.
func (p *pyvideoReader) singleFileEvent(ctx context.Context) (pyvideoEvent, error) {
	if p.single != nil {
		return *p.single, nil
	}
	ev, err := p.findSingleFileEvent(ctx)
	if err != nil {
		return ev, err
	}
	p.single = &ev
	return ev, nil
}

func (p *pyvideoReader) findSingleFileEvent(ctx context.Context) (pyvideoEvent, error) {
	dir, name := p.opts.Dir, p.opts.Name
	if dir == "" || name == "" {
		return pyvideoEvent{}, nil
	}
	if filepath.Base(dir) == "videos" {
		eventDir := filepath.Dir(dir)
		title, err := categoryTitle(ctx, filepath.Join(eventDir, "category.json"))
		if err != nil || title != "" {
			folder := filepath.Base(eventDir)
			return pyvideoEvent{folder: folder, title: title, realTitle: title != "", path: folder + "/videos/" + name}, err
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return pyvideoEvent{}, fmt.Errorf("look for pyvideo category.json beside %s: %w", name, err)
	}
	best := ""
	for _, e := range entries {
		prefix, ok := strings.CutSuffix(e.Name(), "category.json")
		if !ok || e.IsDir() {
			continue
		}
		prefix = strings.TrimSuffix(prefix, "-")
		if prefix != "" && strings.HasPrefix(name, prefix+"-") && len(prefix) > len(best) {
			best = prefix
		}
	}
	if best != "" {
		title, err := categoryTitle(ctx, filepath.Join(dir, best+"-category.json"))
		if title != "" || err != nil {
			return pyvideoEvent{folder: best, title: title, realTitle: title != "", path: best + "/videos/" + strings.TrimPrefix(name, best+"-")}, err
		}
	}
	// A talk file dropped into its event folder beside category.json.
	title, err := categoryTitle(ctx, filepath.Join(dir, "category.json"))
	if title != "" {
		folder := filepath.Base(dir)
		return pyvideoEvent{folder: folder, title: title, realTitle: true, path: folder + "/videos/" + name}, err
	}
	return pyvideoEvent{}, err
}

// categoryTitle reads the title from a pyvideo category.json; a missing or
// untitled file gives "".
func categoryTitle(ctx context.Context, path string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read pyvideo category %s: %w", path, err)
	}
	var cat struct {
		Title string `json:"title"`
	}
	if err := json.Unmarshal(b, &cat); err != nil {
		return "", catalog.Errorf(catalog.EINVALID, "%s is not a pyvideo category.json: %s", filepath.Base(path), describeJSONError(err))
	}
	return strings.TrimSpace(cat.Title), nil
}

// talk maps one pyvideo record onto a talk record (see readPyvideo).
func (p *pyvideoReader) talk(rec *pyvideoTalk, ev pyvideoEvent) *catalog.Talk {
	eventTitle := catalog.CleanText(ev.title)
	series, ok := p.series[eventTitle]
	if !ok {
		series = seriesFromEvent(eventTitle)
		p.series[eventTitle] = series
	}
	t := &catalog.Talk{
		Series:   series,
		Event:    eventTitle,
		Title:    rec.Title,
		Abstract: firstNonBlank(rec.Description, rec.Summary, rec.Abstract),
		Language: languageCode(rec.Language),
		Tags:     rec.Tags,
		Source:   catalog.Source{Name: pyvideoSource},
	}
	if start, ok := parseRecorded(rec.Recorded); ok {
		t.Start, t.Year = start, start.Year()
	} else {
		t.Year = yearFromTitle(eventTitle)
	}
	if rec.Duration != nil && *rec.Duration > 0 && *rec.Duration < 7*24*3600 {
		t.DurationMinutes = int(math.Round(*rec.Duration / 60))
	}
	t.Speakers = make([]catalog.Speaker, 0, len(rec.Speakers))
	for _, name := range rec.Speakers {
		t.Speakers = append(t.Speakers, catalog.Speaker{Name: name})
	}
	t.Links = pyvideoLinks(rec)

	slug := strings.TrimSpace(rec.Slug)
	if slug == "" {
		slug, _ = pelicanSlug(rec.Title)
	}
	switch {
	case ev.path != "":
		t.Source.Key = pyvideoSource + ":" + ev.path
	case ev.folder != "" && slug != "":
		t.Source.Key = pyvideoSource + ":" + ev.folder + "/" + slug
	}
	if eventSlug, ok := pelicanSlug(eventTitle); ok && ev.realTitle && slug != "" {
		t.Source.URL = "https://pyvideo.org/" + eventSlug + "/" + slug + ".html"
	}
	return t
}

// parseRecorded reads pyvideo's "recorded": YYYY-MM-DD, optionally with a
// time and an offset.
func parseRecorded(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

func pyvideoLinks(rec *pyvideoTalk) []catalog.Link {
	links := make([]catalog.Link, 0, len(rec.Videos)+len(rec.RelatedURLs))
	seen := make(map[string]bool, cap(links))
	add := func(kind, url string) {
		url = strings.TrimSpace(url)
		if url == "" || seen[url] {
			return
		}
		seen[url] = true
		links = append(links, catalog.Link{Kind: kind, URL: url})
	}
	for _, v := range rec.Videos {
		add(catalog.LinkVideo, v.URL)
	}
	for _, rel := range rec.RelatedURLs {
		add(relatedKind(rel.URL, rel.Label), rel.URL)
	}
	return links
}

// relatedKind tells slides from other related pages by the URL and label.
func relatedKind(url, label string) string {
	u, l := strings.ToLower(url), strings.ToLower(label)
	pathOnly, _, _ := strings.Cut(u, "?")
	pathOnly, _, _ = strings.Cut(pathOnly, "#")
	switch {
	case strings.Contains(l, "slide"),
		strings.Contains(u, "speakerdeck.com"),
		strings.Contains(u, "slideshare.net"),
		strings.Contains(u, "slides"),
		strings.Contains(u, "docs.google.com/presentation"):
		return catalog.LinkSlides
	}
	for _, ext := range []string{".pdf", ".ppt", ".pptx", ".key", ".odp"} {
		if strings.HasSuffix(pathOnly, ext) {
			return catalog.LinkSlides
		}
	}
	return catalog.LinkPage
}

func firstNonBlank(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
