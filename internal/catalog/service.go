package catalog

import "context"

// Skip names a record an import could not use, and why. A Warning is a
// note on records that were imported all the same (say, a schedule that
// breaks its format's schema in a harmless way); it counts as no skip.
type Skip struct {
	Ref     string `json:"ref"`    // e.g. "talks.jsonl:1234" or a title
	Reason  string `json:"reason"` // what was wrong with it
	Warning bool   `json:"warning,omitempty"`
}

// CountSkips counts the skips that are not warnings.
func CountSkips(skips []Skip) int {
	n := 0
	for _, s := range skips {
		if !s.Warning {
			n++
		}
	}
	return n
}

// ImportReport counts what an import did to the catalog.
type ImportReport struct {
	Inserted  int    `json:"inserted"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Skipped   int    `json:"skipped"`
	Skips     []Skip `json:"skips,omitempty"`
}

// Add merges o into r.
func (r *ImportReport) Add(o ImportReport) {
	r.Inserted += o.Inserted
	r.Updated += o.Updated
	r.Unchanged += o.Unchanged
	r.Skipped += o.Skipped
	r.Skips = append(r.Skips, o.Skips...)
}

// Stats summarises the catalog.
type Stats struct {
	Series       int `json:"series"`
	Events       int `json:"events"`
	Talks        int `json:"talks"`
	Speakers     int `json:"speakers"`
	Rated        int `json:"rated"`
	Noted        int `json:"noted"`
	Watched      int `json:"watched"`
	IndexPending int `json:"index_pending"`
	IndexedDocs  int `json:"indexed_docs,omitempty"`
	// Index says how searches are answered: ready, rebuilding (from the
	// database while the index is rebuilt), failed, remote or none.
	Index string `json:"index,omitempty"`
}

// TalkService is what the HTTP server and the CLI need from the catalog.
// Writes return EINVALID for bad input and ENOTFOUND for unknown ids.
type TalkService interface {
	SearchTalks(ctx context.Context, req SearchRequest) (*SearchResult, error)
	FindTalkByID(ctx context.Context, id int64) (*Talk, error)
	SetRating(ctx context.Context, id int64, stars int) error
	ClearRating(ctx context.Context, id int64) error
	SetNote(ctx context.Context, id int64, text string) error
	SetWatched(ctx context.Context, id int64, watched bool) error
	// SetWatch sets a talk's place on the watch list: WatchToWatch,
	// WatchWatched or WatchNone.
	SetWatch(ctx context.Context, id int64, state string) error
	AddMyTags(ctx context.Context, id int64, tags []string) error
	RemoveMyTags(ctx context.Context, id int64, tags []string) error
	SetMyTags(ctx context.Context, id int64, tags []string) error
	ListMyTags(ctx context.Context) ([]TagCount, error)
	NoteHistory(ctx context.Context, id int64) (*NoteHistory, error)
	RevertNote(ctx context.Context, id, revision int64) error
	// WatchList returns the talks on the watch list, to watch or watched.
	WatchList(ctx context.Context) ([]*Talk, error)
	CreateSavedSearch(ctx context.Context, s *SavedSearch) error
	UpdateSavedSearch(ctx context.Context, name string, s *SavedSearch) error
	DeleteSavedSearch(ctx context.Context, name string) error
	FindSavedSearch(ctx context.Context, name string) (*SavedSearch, error)
	ListSavedSearches(ctx context.Context) ([]*SavedSearch, error)
	// Suggest completes a partly typed search: titles, speakers, series
	// and events whose words start with the query's words.
	Suggest(ctx context.Context, q string, limit int) ([]Suggestion, error)
	// RelatedTalks returns up to n talks like the given one, most alike
	// first; ENOTFOUND for an unknown id.
	RelatedTalks(ctx context.Context, id int64, n int) ([]*Talk, error)
	ListSeries(ctx context.Context) ([]*Series, error)
	ListEvents(ctx context.Context, filter EventFilter) ([]*Event, error)
	FindEventByID(ctx context.Context, id int64) (*Event, error)
	Stats(ctx context.Context) (*Stats, error)
}

// Suggestion is one completion of what a user is typing. TalkID is set for
// a title; Count is the number of talks of a speaker, series or event (and
// of a title several talks share).
type Suggestion struct {
	Kind   string `json:"kind"` // title, speaker, series or event
	Text   string `json:"text"`
	TalkID int64  `json:"talk_id,omitempty"`
	Count  int    `json:"count,omitempty"`
}

// IndexChange is one outbox row: talk TalkID changed (or was deleted) and
// the index must catch up. Seq orders the outbox.
type IndexChange struct {
	Seq    int64
	TalkID int64
}
