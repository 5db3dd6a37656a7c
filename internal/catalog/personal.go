package catalog

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Watch-list states. A talk with no state is simply not on the list.
const (
	WatchNone     = "none"
	WatchToWatch  = "to_watch"
	WatchWatched  = "watched"
	maxTagRunes   = 40
	MaxTagsOnTalk = 32
)

// Limits on saved searches.
const (
	MaxSavedSearchName  = 80
	MaxSavedSearchQuery = 1000
)

// ValidWatchState reports whether s is a state a user can set.
func ValidWatchState(s string) bool {
	return s == WatchNone || s == WatchToWatch || s == WatchWatched
}

// NormalizeTag turns what a user typed into a personal tag: trimmed, inner
// whitespace collapsed, lower case (so "BGP" and "bgp" are one tag), at most
// 40 characters, no control characters and no commas (commas separate tags
// in the CLI and in CSV exports).
func NormalizeTag(s string) (string, error) {
	tag := strings.ToLower(strings.Join(strings.Fields(s), " "))
	switch {
	case tag == "":
		return "", Errorf(EINVALID, "a tag cannot be empty")
	case !utf8.ValidString(tag):
		return "", Errorf(EINVALID, "tag %q is not valid UTF-8", tag)
	case utf8.RuneCountInString(tag) > maxTagRunes:
		return "", Errorf(EINVALID, "tag %q is longer than %d characters", tag, maxTagRunes)
	case strings.ContainsAny(tag, ",") || strings.IndexFunc(tag, unicode.IsControl) >= 0:
		return "", Errorf(EINVALID, "tag %q holds a comma or a control character", tag)
	}
	return tag, nil
}

// NormalizeTags normalises every tag, drops duplicates and keeps the order.
func NormalizeTags(tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	seen := map[string]bool{}
	for _, raw := range tags {
		tag, err := NormalizeTag(raw)
		if err != nil {
			return nil, err
		}
		if !seen[tag] {
			seen[tag] = true
			out = append(out, tag)
		}
	}
	if len(out) > MaxTagsOnTalk {
		return nil, Errorf(EINVALID, "%d tags given; a talk holds at most %d", len(out), MaxTagsOnTalk)
	}
	return out, nil
}

// NoteRevision is a body a note had before it was overwritten or cleared.
type NoteRevision struct {
	ID         int64     `json:"id"`
	Body       string    `json:"body"`
	ReplacedAt time.Time `json:"replaced_at"`
	// Source names what replaced it, when that was not the user's own edit
	// (e.g. "notes import: blog-2023.txt").
	Source string `json:"source,omitempty"`
}

// NoteHistory is a talk's note now and every body it had before, newest
// first.
type NoteHistory struct {
	TalkID    int64          `json:"talk_id"`
	Current   string         `json:"current"`
	UpdatedAt time.Time      `json:"updated_at,omitzero"`
	Revisions []NoteRevision `json:"revisions"`
}

// TagCount is one personal tag with the number of talks that carry it.
type TagCount struct {
	Tag   string `json:"tag"`
	Count int    `json:"count"`
}

// SavedSearch is a named query plus filters. Its feed lists the talks that
// match, newest additions to the catalog first.
type SavedSearch struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Query     string     `json:"q"`
	Filter    TalkFilter `json:"filters"`
	Sort      string     `json:"sort,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// Validate checks a saved search before it is stored.
func (s *SavedSearch) Validate() error {
	s.Name = strings.Join(strings.Fields(s.Name), " ")
	s.Query = strings.TrimSpace(s.Query)
	switch {
	case s.Name == "":
		return Errorf(EINVALID, "a saved search needs a name")
	case utf8.RuneCountInString(s.Name) > MaxSavedSearchName:
		return Errorf(EINVALID, "name %q is longer than %d characters", s.Name, MaxSavedSearchName)
	case strings.ContainsAny(s.Name, "/\\?#") || strings.IndexFunc(s.Name, unicode.IsControl) >= 0:
		return Errorf(EINVALID, "name %q holds one of / \\ ? # or a control character; they would break its feed URL", s.Name)
	case len(s.Query) > MaxSavedSearchQuery:
		return Errorf(EINVALID, "query is %d bytes; the limit is %d", len(s.Query), MaxSavedSearchQuery)
	}
	// A query that does not parse is refused when it is saved, not every
	// time its feed is read.
	if _, err := ParseQuery(s.Query); err != nil {
		return err
	}
	req := s.Request()
	return req.Normalize()
}

// Request is the search the saved search stands for.
func (s *SavedSearch) Request() SearchRequest {
	return SearchRequest{Query: s.Query, Filter: s.Filter, Sort: s.Sort}
}
