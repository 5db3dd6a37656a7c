// Package feeds writes talks out as feeds that other programs subscribe to:
// Atom for saved searches ("new talks matching my search") and iCalendar
// for the watch list (talks that have a start time).
//
// The writers take talks as the catalog hands them over and do not trust
// their text: titles and abstracts come from scraped pages and may carry
// control characters, which XML 1.0 and RFC 5545 both forbid.
package feeds

import (
	"time"

	"github.com/google/uuid"
	"github.com/talkdex/talkdex/internal/catalog"
)

// Entry is one talk in a feed.
type Entry struct {
	Talk *catalog.Talk
	// Added is when the talk entered the catalog. It is an Atom entry's
	// published and updated time and a VEVENT's DTSTAMP.
	Added time.Time
	// URL is the absolute URL of the talk's page in talkdex, e.g.
	// https://host/talks/42.
	URL string
}

// talkUUID names a talk for feed readers and calendars. It is derived from
// the talk's source key, not its database id or URL: the source key is the
// identity a re-import upserts on, so the name survives a rebuilt database
// and a server that moves to another host, and readers do not show the talk
// twice.
func talkUUID(t *catalog.Talk) uuid.UUID {
	key := t.Source.Key
	if key == "" {
		key = catalog.SourceKey(t)
	}
	return uuid.NewSHA1(talkdexNamespace(), []byte("talk:"+key))
}

// talkdexNamespace is the name-based UUID namespace of talkdex's ids. It is
// a function, not a package variable, to keep the package free of globals;
// deriving it costs one SHA-1.
func talkdexNamespace() uuid.UUID {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/talkdex/talkdex"))
}
