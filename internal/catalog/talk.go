// Package catalog holds talkdex's domain: talks, events, series, the personal
// layer, search requests and results, and the service interfaces that the
// storage, index and HTTP packages implement or consume. It imports nothing
// of ours and only the standard library.
package catalog

import (
	"strings"
	"time"
	"unicode"
)

// Link kinds. Importers map whatever a source calls them onto these.
const (
	LinkVideo  = "video"
	LinkSlides = "slides"
	LinkPage   = "page"
	LinkOther  = "other"
)

// Limits on personal data, enforced by the store and reported as EINVALID.
const (
	MinStars     = 1
	MaxStars     = 5
	MaxNoteBytes = 64 * 1024
)

// Speaker is a person presenting a talk.
type Speaker struct {
	Name        string `json:"name"`
	Affiliation string `json:"affiliation"`
}

// Link points at a video, slides or a page about a talk.
type Link struct {
	Kind string `json:"kind"`
	URL  string `json:"url"`
}

// Source says where a talk record came from. Key is the stable identity a
// re-import upserts on (see SourceKey).
type Source struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
	Key  string `json:"key,omitempty"`
}

// Talk is the talk record: the same JSON in the API, exports and dry-runs.
// Rating, Note and Watched are the user's personal data; they live in their
// own tables and are merged in on read.
type Talk struct {
	ID              int64     `json:"id,omitempty"`
	EventID         int64     `json:"event_id,omitempty"`
	Series          string    `json:"series"`
	Event           string    `json:"event"`
	Year            int       `json:"year,omitempty"`
	Title           string    `json:"title"`
	Speakers        []Speaker `json:"speakers"`
	Abstract        string    `json:"abstract,omitempty"`
	Start           time.Time `json:"start,omitzero"`
	DurationMinutes int       `json:"duration_minutes,omitempty"`
	Track           string    `json:"track,omitempty"`
	Room            string    `json:"room,omitempty"`
	Language        string    `json:"language,omitempty"`
	Tags            []string  `json:"tags"`
	Links           []Link    `json:"links"`
	Source          Source    `json:"source"`
	Rating          int       `json:"rating,omitempty"`
	RatedAt         time.Time `json:"rated_at,omitzero"`
	Note            string    `json:"note,omitempty"`
	NoteUpdatedAt   time.Time `json:"note_updated_at,omitzero"`
	Watched         bool      `json:"watched,omitempty"`
	// Watch is the talk's place on the watch list: WatchToWatch or
	// WatchWatched; empty when it is not on the list. Watched is true
	// exactly when Watch is WatchWatched (kept for older clients).
	Watch     string    `json:"watch,omitempty"`
	ToWatchAt time.Time `json:"to_watch_at,omitzero"`
	WatchedAt time.Time `json:"watched_at,omitzero"`
	// MyTags are the user's own tags, kept apart from the source's Tags.
	MyTags []string `json:"my_tags,omitempty"`
	// Added is when the talk entered this catalog; imports ignore it.
	Added time.Time `json:"added,omitzero"`
	// Withdrawn marks a talk that a re-scrape no longer found on its
	// program page; it is kept, with the user's data, rather than deleted.
	Withdrawn bool `json:"withdrawn,omitempty"`
}

// HasLink reports whether the talk has a link of the given kind.
func (t *Talk) HasLink(kind string) bool {
	for _, l := range t.Links {
		if l.Kind == kind {
			return true
		}
	}
	return false
}

// ClearPersonal drops the user's data and the catalog's bookkeeping from a
// record, leaving what its source said.
func (t *Talk) ClearPersonal() {
	t.Rating, t.RatedAt = 0, time.Time{}
	t.Note, t.NoteUpdatedAt = "", time.Time{}
	t.Watched, t.Watch, t.ToWatchAt, t.WatchedAt = false, "", time.Time{}, time.Time{}
	t.MyTags = nil
	t.Added = time.Time{}
}

// SpeakerNames returns the speakers' names in order.
func (t *Talk) SpeakerNames() []string {
	names := make([]string, 0, len(t.Speakers))
	for _, s := range t.Speakers {
		names = append(names, s.Name)
	}
	return names
}

// Normalize fills nil slices and trims text so that records compare and
// serialise the same however they were built.
func (t *Talk) Normalize() {
	t.Series = CleanText(t.Series)
	t.Event = CleanText(t.Event)
	t.Title = CleanText(t.Title)
	t.Abstract = strings.TrimSpace(ValidText(t.Abstract))
	t.Track = CleanText(t.Track)
	t.Room = CleanText(t.Room)
	t.Language = strings.ToLower(CleanText(t.Language))
	if t.Speakers == nil {
		t.Speakers = []Speaker{}
	}
	speakers := t.Speakers[:0]
	for _, s := range t.Speakers {
		s.Name, s.Affiliation = CleanText(s.Name), CleanText(s.Affiliation)
		if s.Name != "" {
			speakers = append(speakers, s)
		}
	}
	t.Speakers = speakers
	if t.Tags == nil {
		t.Tags = []string{}
	}
	tags := t.Tags[:0]
	for _, tag := range t.Tags {
		if tag = CleanText(tag); tag != "" {
			tags = append(tags, tag)
		}
	}
	t.Tags = tags
	if t.Links == nil {
		t.Links = []Link{}
	}
	links := t.Links[:0]
	for _, l := range t.Links {
		l.URL, l.Kind = strings.TrimSpace(ValidText(l.URL)), ValidText(l.Kind)
		if l.URL == "" {
			continue
		}
		if l.Kind == "" {
			l.Kind = LinkOther
		}
		links = append(links, l)
	}
	t.Links = links
	// The two spellings of "watched" agree: older records only set Watched.
	if t.Watched && t.Watch == "" {
		t.Watch = WatchWatched
	}
	if t.Watch == WatchNone {
		t.Watch = ""
	}
	t.Watched = t.Watch == WatchWatched
	if tags, err := NormalizeTags(t.MyTags); err == nil {
		t.MyTags = tags
	}
	if len(t.MyTags) == 0 {
		t.MyTags = nil
	}
	if t.Year == 0 && !t.Start.IsZero() {
		t.Year = t.Start.Year()
	}
	if t.Source.Key == "" {
		t.Source.Key = SourceKey(t)
	}
}

// Validate reports what makes a record unusable as a talk. Importers skip
// such records with this message as the reason.
func (t *Talk) Validate() error {
	switch {
	case t.Title == "":
		return Errorf(EINVALID, "talk has no title")
	case t.Series == "":
		return Errorf(EINVALID, "talk %q has no series", t.Title)
	case t.Event == "":
		return Errorf(EINVALID, "talk %q has no event", t.Title)
	case t.Rating != 0 && (t.Rating < MinStars || t.Rating > MaxStars):
		return Errorf(EINVALID, "talk %q has rating %d; ratings are %d to %d stars", t.Title, t.Rating, MinStars, MaxStars)
	case len(t.Note) > MaxNoteBytes:
		return Errorf(EINVALID, "talk %q has a note of %d bytes; the limit is %d", t.Title, len(t.Note), MaxNoteBytes)
	case t.Watch != "" && t.Watch != WatchToWatch && t.Watch != WatchWatched:
		return Errorf(EINVALID, "talk %q has watch %q; use %s or %s", t.Title, t.Watch, WatchToWatch, WatchWatched)
	}
	if _, err := NormalizeTags(t.MyTags); err != nil {
		return Errorf(EINVALID, "talk %q: my_tags: %s", t.Title, ErrorMessage(err))
	}
	return nil
}

// SourceKey is a talk's stable identity across re-imports: the source name
// and the source's own id if the importer set one (Source.Key), else the
// talk's canonical URL, else its event and normalised title.
func SourceKey(t *Talk) string {
	if t.Source.Key != "" {
		return t.Source.Key
	}
	if t.Source.URL != "" {
		return "url:" + strings.TrimRight(strings.TrimSpace(t.Source.URL), "/")
	}
	return "title:" + NormalizeTitle(t.Event) + "|" + NormalizeTitle(t.Title)
}

// CleanText folds runs of white space into one space and trims the ends,
// and replaces bytes that are not UTF-8 (see ValidText).
func CleanText(s string) string {
	return strings.Join(strings.Fields(ValidText(s)), " ")
}

// ValidText replaces each run of bytes that are not UTF-8 (a page in
// Latin-1 that claims UTF-8) with U+FFFD. JSON can only carry valid text,
// so a talk stored as JSON anywhere (the store's cards, exports, the API)
// would otherwise say something else than the same talk stored as text.
func ValidText(s string) string {
	return strings.ToValidUTF8(s, "\uFFFD")
}

// NormalizeTitle lower-cases s and keeps only letters and digits, single
// spaced, so that "Peering DB Update" and "peering-db  update!" compare equal.
func NormalizeTitle(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}
