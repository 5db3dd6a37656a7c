package formats

import (
	"bufio"
	"context"

	"github.com/talkdex/talkdex/internal/catalog"
)

// detectCanonical claims talkdex's own talk record: it is the only format
// whose records carry series, event and title side by side. An empty JSON
// array is what exporting an empty catalog writes, so it is ours too.
func detectCanonical(h *head) bool {
	return (h.has("series") && h.has("event") && h.has("title")) || h.emptyArray
}

// readCanonical reads talk records as catalog.Talk marshals them (see the
// exporters). The id and event_id of an export belong to the catalog it came
// from, so they are dropped; identity is source.key, or catalog.SourceKey when
// a record has none.
func readCanonical(ctx context.Context, r *bufio.Reader, _ Options, out *sink) error {
	return eachRecord(ctx, r, out, func(loc location, raw []byte) error {
		var t catalog.Talk
		if reason, ok := decodeRecord(raw, &t, "a talk record"); !ok {
			out.skip(loc, reason)
			return nil
		}
		t.ID, t.EventID = 0, 0
		return out.talk(loc, &t)
	})
}
