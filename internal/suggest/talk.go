// Package suggest completes what a user is typing into a search box: talk
// titles, speaker names, series and events, from an in-memory index that
// answers in microseconds and follows the catalog with incremental updates.
//
// Matching folds case and accents, and every query word must be a prefix of
// some word of an entry, so "seg rou" completes "Segment Routing in
// Practice" and "zoe" finds "Zoë". The index is derived, like the Bleve
// index: the caller builds it from the store at startup and applies each
// change with Upsert or Remove.
package suggest

import "github.com/talkdex/talkdex/internal/catalog"

// Kind says what a suggestion completes.
type Kind string

// The kinds of suggestion, in the order results are grouped.
const (
	KindTitle   Kind = "title"
	KindSpeaker Kind = "speaker"
	KindSeries  Kind = "series"
	KindEvent   Kind = "event"
)

// kindOf names a kind by its internal index.
func kindOf(k kindIndex) Kind {
	return [...]Kind{KindTitle, KindSpeaker, KindSeries, KindEvent}[k]
}

// kindIndex numbers the kinds for arrays; its order is the output order.
type kindIndex uint8

const (
	titleKind kindIndex = iota
	speakerKind
	seriesKind
	eventKind
	kindCount
)

// Suggestion is one completion, shaped for the JSON API.
type Suggestion struct {
	Kind Kind   `json:"kind"`
	Text string `json:"text"`
	// TalkID is the talk a title suggestion opens. When several talks share
	// the title it is the one with the highest weight (then the newest id).
	TalkID int64 `json:"talk_id,omitempty"`
	// Count is how many talks a speaker, series or event has; for a title
	// it is set only when more than one talk bears it.
	Count int `json:"count,omitempty"`
}

// Talk is what the index needs to know about a talk.
type Talk struct {
	ID       int64
	Title    string
	Speakers []string
	Series   string
	Event    string
	// TitleWeight ranks this talk's title among titles that match equally
	// well; the caller decides it (FromCatalog: 1, plus the user's stars).
	// Values below 1 count as 1.
	TitleWeight int
}

// FromCatalog takes a catalog talk as the index sees it. A talk the user
// rated ranks its title above unrated ones, the more stars the higher.
func FromCatalog(t *catalog.Talk) Talk {
	speakers := make([]string, 0, len(t.Speakers))
	for _, s := range t.Speakers {
		speakers = append(speakers, s.Name)
	}
	return Talk{
		ID:          t.ID,
		Title:       t.Title,
		Speakers:    speakers,
		Series:      t.Series,
		Event:       t.Event,
		TitleWeight: 1 + t.Rating,
	}
}
