package feeds

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	gfeeds "github.com/gorilla/feeds"
	"github.com/talkdex/talkdex/internal/catalog"
)

// AtomInfo describes an Atom feed as a whole.
type AtomInfo struct {
	Title string
	// ID is the feed's permanent id (an IRI). Empty means SelfURL.
	ID string
	// SelfURL is where the feed itself is served (rel="self"), PageURL the
	// HTML page showing the same search (rel="alternate"). Either may be
	// empty.
	SelfURL, PageURL string
	// Updated is when the feed last changed. Zero means the newest entry's
	// Added time.
	Updated time.Time
}

// WriteAtom writes an Atom 1.0 feed (RFC 4287) of entries, in the order
// given.
//
// Each entry's id is a name-based urn:uuid derived from the talk's source
// key (see talkUUID); its title is the talk's title; it links to the talk's
// page (rel="alternate") and to each video (rel="related"); its summary is
// plain text naming the event and speakers, then the abstract, cut to about
// 500 runes; its authors are the speakers, or the series when nobody is
// named (RFC 4287 wants an author on every entry of an authorless feed);
// updated and published are Entry.Added; each tag is a category.
func WriteAtom(w io.Writer, info AtomInfo, entries []Entry) error {
	feed, err := newAtomFeed(info, entries)
	if err != nil {
		return err
	}
	if err := gfeeds.WriteXML(feed, w); err != nil {
		return fmt.Errorf("write atom feed: %w", err)
	}
	return nil
}

// atomFeed is gorilla/feeds' AtomFeed plus what Atom 1.0 needs and that
// type cannot hold: several links (self and alternate). Fields of the outer
// struct shadow the embedded ones of the same XML name, which is how
// Entries takes the extended entry type.
type atomFeed struct {
	*gfeeds.AtomFeed
	Links   []gfeeds.AtomLink
	Entries []*atomEntry `xml:"entry"`
}

// FeedXml makes atomFeed a gorilla/feeds XmlFeed. It must be defined here:
// the one promoted from the embedded AtomFeed would return the inner
// struct and drop the extensions.
func (f *atomFeed) FeedXml() any { return f }

// atomEntry is gorilla/feeds' AtomEntry plus several authors and proper
// categories: its own Author holds one person and its Category is element
// text, while RFC 4287 puts a category's name in a term attribute.
type atomEntry struct {
	*gfeeds.AtomEntry
	Authors    []*gfeeds.AtomAuthor
	Categories []atomCategory
}

type atomCategory struct {
	XMLName xml.Name `xml:"category"`
	Term    string   `xml:"term,attr"`
}

func newAtomFeed(info AtomInfo, entries []Entry) (*atomFeed, error) {
	id := cleanURL(firstNonEmpty(info.ID, info.SelfURL))
	if id == "" {
		return nil, catalog.Errorf(catalog.EINVALID, "atom feed %q needs an ID or a SelfURL", info.Title)
	}
	updated := info.Updated
	if updated.IsZero() {
		updated = newestAdded(entries)
	}
	feed := &atomFeed{AtomFeed: &gfeeds.AtomFeed{
		Xmlns:   "http://www.w3.org/2005/Atom",
		Title:   line(info.Title),
		Id:      id,
		Updated: atomTime(updated),
	}}
	if u := cleanURL(info.SelfURL); u != "" {
		feed.Links = append(feed.Links, gfeeds.AtomLink{Href: u, Rel: "self", Type: "application/atom+xml"})
	}
	if u := cleanURL(info.PageURL); u != "" {
		feed.Links = append(feed.Links, gfeeds.AtomLink{Href: u, Rel: "alternate", Type: "text/html"})
	}
	for i, e := range entries {
		entry, err := newAtomEntry(i, e, updated)
		if err != nil {
			return nil, err
		}
		feed.Entries = append(feed.Entries, entry)
	}
	return feed, nil
}

// newAtomEntry maps the i'th talk. feedUpdated stands in for a missing
// Added, since RFC 4287 requires updated on every entry. Errors carry the
// index in their message, which is all the HTTP layer shows of them.
func newAtomEntry(i int, e Entry, feedUpdated time.Time) (*atomEntry, error) {
	t := e.Talk
	if t == nil {
		return nil, catalog.Errorf(catalog.EINVALID, "atom entry %d has no talk", i)
	}
	page := cleanURL(e.URL)
	if page == "" {
		// An entry without content must have an alternate link (RFC 4287
		// 4.1.2), and a feed of talks nobody can open is a wiring bug.
		return nil, catalog.Errorf(catalog.EINVALID, "atom entry %d (talk %q) has no URL", i, t.Title)
	}
	updated := e.Added
	if updated.IsZero() {
		updated = feedUpdated
	}
	entry := &atomEntry{AtomEntry: &gfeeds.AtomEntry{
		Title:   line(t.Title),
		Id:      talkUUID(t).URN(),
		Updated: atomTime(updated),
		Links:   []gfeeds.AtomLink{{Href: page, Rel: "alternate", Type: "text/html"}},
		Summary: &gfeeds.AtomSummary{Content: atomSummary(t), Type: "text"},
	}}
	if !e.Added.IsZero() {
		entry.Published = atomTime(e.Added)
	}
	seen := map[string]bool{page: true}
	for _, l := range t.Links {
		u := cleanURL(l.URL)
		if l.Kind == catalog.LinkVideo && u != "" && !seen[u] {
			seen[u] = true
			entry.Links = append(entry.Links, gfeeds.AtomLink{Href: u, Rel: "related"})
		}
	}
	for _, name := range atomAuthors(t) {
		entry.Authors = append(entry.Authors, &gfeeds.AtomAuthor{AtomPerson: gfeeds.AtomPerson{Name: name}})
	}
	for _, tag := range t.Tags {
		if tag = line(tag); tag != "" {
			entry.Categories = append(entry.Categories, atomCategory{Term: tag})
		}
	}
	return entry, nil
}

// atomAuthors are the speakers, else the series (or talkdex itself), so
// that every entry has the author RFC 4287 requires.
func atomAuthors(t *catalog.Talk) []string {
	if names := speakerNames(t); len(names) > 0 {
		return names
	}
	return []string{firstNonEmpty(line(t.Series), "talkdex")}
}

// atomSummary is what a reader shows under the title: where and by whom,
// then as much of the abstract as fits.
func atomSummary(t *catalog.Talk) string {
	var parts []string
	if event := line(t.Event); event != "" {
		parts = append(parts, event)
	}
	if names := speakerNames(t); len(names) > 0 {
		parts = append(parts, strings.Join(names, ", "))
	}
	head := strings.Join(parts, " · ")
	abstract := strings.TrimSpace(plainText(t.Abstract))
	switch {
	case abstract == "":
		return truncate(head, summaryRunes)
	case head == "":
		return truncate(abstract, summaryRunes)
	}
	return truncate(head+"\n\n"+abstract, summaryRunes)
}

// atomTime is an RFC 3339 date-time in UTC, as RFC 4287 3.3 wants it.
func atomTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// newestAdded is the latest Added among entries, or the Unix epoch when
// there is none: updated is required, and an empty feed has not changed
// since nothing was in it.
func newestAdded(entries []Entry) time.Time {
	var newest time.Time
	for _, e := range entries {
		if e.Added.After(newest) {
			newest = e.Added
		}
	}
	if newest.IsZero() {
		return time.Unix(0, 0)
	}
	return newest
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
