package formats

import (
	"strings"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// ValidateTimeZone checks an Options.TimeZone value (--tz) before anything
// is read: "" (each reader's own rule) or a zone of the IANA database, which
// editions.go embeds so that the answer does not depend on the machine. An
// unknown name is an EINVALID error naming it.
func ValidateTimeZone(name string) error {
	_, err := optionZone(name)
	return err
}

// optionZone resolves Options.TimeZone: nil for "", else the zone. Readers
// call it before reading, so a bad name fails the stream as a whole instead
// of importing talks at the wrong time.
func optionZone(name string) (*time.Location, error) {
	trimmed := strings.TrimSpace(name)
	if trimmed == "" {
		return nil, nil
	}
	if strings.EqualFold(trimmed, "Local") {
		// time.LoadLocation accepts it, but it is the zone of whatever
		// machine runs the import, not of the conference.
		return nil, catalog.Errorf(catalog.EINVALID, "time zone %q is this machine's zone, not the conference's; use an IANA name such as Europe/Berlin", name)
	}
	loc, err := time.LoadLocation(trimmed)
	if err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "unknown time zone %q; use an IANA name such as Europe/Berlin", name)
	}
	return loc, nil
}
