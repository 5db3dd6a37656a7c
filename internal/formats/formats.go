// Package formats reads talk records from structured exports (the canonical
// talk record, pyvideo's catalog, and later frab XML, c3voc JSON, ICS,
// Sessionize, JSON-LD) and writes the catalog back out (JSON, JSONL, CSV,
// Markdown).
//
// Every reader joins one registry (see registry): a name for --format, a
// detector that looks at the first bytes of the decompressed input, and a
// reader that streams the input and hands each usable talk to emit. Records a
// reader cannot use become catalog.Skip values naming the record and the
// reason; only problems with the stream as a whole are errors.
package formats

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/talkdex/talkdex/internal/catalog"
)

// Format names accepted by Read and --format.
const (
	FormatAuto    = "auto"
	FormatJSONL   = "jsonl"   // the canonical talk record, one per line (also accepts a JSON array of records or one record)
	FormatPyvideo = "pyvideo" // pyvideo/data talk JSON: one talk file, or JSONL of talks (gzip or not)
)

// headSize is how much of the decompressed input detection looks at. It is
// large enough to hold the first record of every format we read.
const headSize = 64 << 10

// readBufferSize is the bufio buffer under every reader. Records longer than
// the buffer still work; the buffer only sets how often we refill.
const readBufferSize = 1 << 20

// format is one readable input format. Detectors run in registry order and
// the first that claims the input wins, so put specific formats first.
type format struct {
	name   string
	detect func(h *head) bool
	read   func(ctx context.Context, r *bufio.Reader, opts Options, out *sink) error
}

// registry lists the readable formats. New readers add one entry here.
func registry() []format {
	return []format{
		{name: FormatFrab, detect: detectFrab, read: readFrab},                   // XML with a <schedule> root: before any HTML or XML reader
		{name: FormatICS, detect: detectICS, read: readICS},                      // iCalendar: the input opens with BEGIN:VCALENDAR
		{name: FormatHTML, detect: detectJSONLD, read: readJSONLD},               // markup with an ld+json script: before the JSON readers, whose sniffing sees pretty-printed JSON-LD lines
		{name: FormatC3VOC, detect: detectC3VOC, read: readC3VOC},                // JSON whose "schedule" holds a "conference" or "events": before other JSON readers
		{name: FormatPretalx, detect: detectPretalx, read: readPretalx},          // widget JSON ("talks" + id tables) and API pages ("count"/"results" of talks)
		{name: FormatIndico, detect: detectIndico, read: readIndico},             // Indico export API ("_type": "HTTPAPIResult")
		{name: FormatSessionize, detect: detectSessionize, read: readSessionize}, // isServiceSession / isTopSpeaker keys
		{name: FormatJSONL, detect: detectCanonical, read: readCanonical},
		{name: FormatPyvideo, detect: detectPyvideo, read: readPyvideo},
	}
}

func lookup(name string) (format, bool) {
	for _, f := range registry() {
		if f.name == name {
			return f, true
		}
	}
	return format{}, false
}

// Names returns the readable format names (without "auto"), for --format
// validation and help.
func Names() []string {
	var names []string
	for _, f := range registry() {
		names = append(names, f.name)
	}
	return names
}

// Options says how to read one input.
type Options struct {
	Format string // FormatAuto or a name from Names()
	Name   string // shown in skip refs and errors, e.g. the file name
	Dir    string // directory of the input file, for sibling metadata (pyvideo events); "" for stdin/URLs
	// Series and Event name the conference when the input does not (a
	// Sessionize export, an ICS file without a calendar name), or override
	// what it says. Empty means "use what the input says".
	Series string
	Event  string
	// TimeZone is the IANA zone (e.g. "Europe/Berlin") of times the input
	// gives as wall-clock only: Sessionize exports, floating ICS times, a
	// frab schedule that names no zone. Empty means the reader's own rule.
	TimeZone string
}

func (o Options) displayName() string {
	if o.Name == "" {
		return "input"
	}
	return o.Name
}

// Read decodes r (gzip is detected by its magic bytes and decompressed
// transparently), auto-detecting the format by content when opts.Format is
// auto. Each usable talk, already Normalize()d and Validate()d, goes to emit;
// emit's error aborts the read and is returned as is. Records that cannot be
// used are returned as skips, one per record. A stream-level problem (unknown
// format, not JSON at all, corrupt gzip) is an EINVALID *catalog.Error.
func Read(ctx context.Context, r io.Reader, opts Options, emit func(*catalog.Talk) error) ([]catalog.Skip, error) {
	name := opts.displayName()
	if err := ValidateTimeZone(opts.TimeZone); err != nil {
		return nil, err
	}
	if opts.Format == "" {
		opts.Format = FormatAuto
	}
	var f format
	if opts.Format != FormatAuto {
		var ok bool
		if f, ok = lookup(opts.Format); !ok {
			return nil, catalog.Errorf(catalog.EINVALID, "unknown format %q; use %s or %s", opts.Format, FormatAuto, strings.Join(Names(), ", "))
		}
	}

	br := bufio.NewReaderSize(r, readBufferSize)
	if magic, _ := br.Peek(2); isGzip(magic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, catalog.Errorf(catalog.EINVALID, "%s: bad gzip data: %v", name, err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, readBufferSize)
	}

	if opts.Format == FormatAuto {
		h, err := br.Peek(headSize)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, readError(name, err)
		}
		if len(bytes.TrimSpace(trimBOM(h))) == 0 {
			// An empty input (say, a JSONL export of an empty catalog)
			// holds no talks; that is not an error.
			return nil, nil
		}
		detected, err := Detect(h)
		if err != nil {
			return nil, catalog.Errorf(catalog.EINVALID, "%s %s", name, strings.TrimPrefix(catalog.ErrorMessage(err), "input "))
		}
		f, _ = lookup(detected)
	}

	out := &sink{name: name, emit: emit, series: opts.Series, event: opts.Event}
	if err := f.read(ctx, br, opts, out); err != nil {
		return out.skips, err
	}
	return out.skips, nil
}

// ReadFile reads the file at path with Read. The file's directory is passed
// on so that readers can find sibling metadata (pyvideo's events.jsonl and
// category.json).
func ReadFile(ctx context.Context, path string, opts Options, emit func(*catalog.Talk) error) ([]catalog.Skip, error) {
	file, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, catalog.Errorf(catalog.ENOTFOUND, "%s does not exist", path)
		}
		return nil, fmt.Errorf("open import file: %w", err)
	}
	defer file.Close()
	if info, err := file.Stat(); err == nil && info.IsDir() {
		return nil, catalog.Errorf(catalog.EINVALID, "%s is a directory; name the files to import", path)
	}
	opts.Name, opts.Dir = filepath.Base(path), filepath.Dir(path)
	return Read(ctx, file, opts, emit)
}

// Detect names the format of an input from its first bytes (about 64 KiB of
// the decompressed stream; gzip bytes are decompressed as far as they go).
// An input no reader claims is an EINVALID error that says what was seen.
func Detect(h []byte) (string, error) {
	if isGzip(h) {
		h = gunzipPrefix(h)
	}
	hd := sniff(h)
	if hd.empty {
		return "", catalog.Errorf(catalog.EINVALID, "input is empty")
	}
	for _, f := range registry() {
		if f.detect(hd) {
			return f.name, nil
		}
	}
	if !hd.json {
		return "", catalog.Errorf(catalog.EINVALID, "input is not in a known format: it is not JSON (it starts with %q)", hd.preview())
	}
	if len(hd.keys) == 0 {
		return "", catalog.Errorf(catalog.EINVALID, "input is JSON but holds no talk record (it starts with %q)", hd.preview())
	}
	return "", catalog.Errorf(catalog.EINVALID, "input is JSON in an unknown format: its first record has the keys %s; name the format with --format (%s)", hd.keyList(), strings.Join(Names(), ", "))
}

func isGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// gunzipPrefix decompresses as much of a gzip prefix as is there; a head is
// usually cut mid-stream, so the unexpected EOF that ends it is expected.
func gunzipPrefix(b []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return b
	}
	out, _ := io.ReadAll(io.LimitReader(zr, headSize))
	return out
}

// readError turns a failure while reading the input into an error: damaged
// compressed data is the input's fault (EINVALID); anything else is I/O.
func readError(name string, err error) error {
	var corrupt flate.CorruptInputError
	if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &corrupt) {
		return catalog.Errorf(catalog.EINVALID, "%s: damaged or truncated compressed data: %v", name, err)
	}
	return fmt.Errorf("read %s: %w", name, err)
}

// sink normalises and validates what readers produce, turns unusable
// records into skips and passes the rest to the caller's emit.
type sink struct {
	name          string
	emit          func(*catalog.Talk) error
	skips         []catalog.Skip
	series, event string // Options.Series and Options.Event
}

// ref names a record for skip lists: "talks.jsonl:12", "talks.json[3]" or
// "schedule.xml: event 1234".
func (s *sink) ref(loc location) string {
	if loc.label != "" {
		return s.name + ": " + loc.label
	}
	if loc.line > 0 {
		return fmt.Sprintf("%s:%d", s.name, loc.line)
	}
	return fmt.Sprintf("%s[%d]", s.name, loc.index)
}

// warnFile notes something about the whole input that was imported all
// the same.
func (s *sink) warnFile(reason string) {
	s.skips = append(s.skips, catalog.Skip{Ref: s.name, Reason: reason, Warning: true})
}

// warn notes a defect in a record that is imported all the same.
func (s *sink) warn(loc location, reason string) {
	s.skips = append(s.skips, catalog.Skip{Ref: s.ref(loc), Reason: loc.String() + ": " + reason, Warning: true})
}

func (s *sink) skip(loc location, reason string) {
	s.skips = append(s.skips, catalog.Skip{Ref: s.ref(loc), Reason: loc.String() + ": " + reason})
}

// talk normalises t and emits it, or records why it cannot be used.
func (s *sink) talk(loc location, t *catalog.Talk) error {
	if s.series != "" {
		t.Series = s.series
	}
	if s.event != "" {
		t.Event = s.event
	}
	if key, ok := pretalxTalkKey(t); ok {
		t.Source.Key = key
	}
	// A bad personal field (an export edited by hand) costs that field, not
	// the talk: the catalog data is still good.
	if t.Rating != 0 && (t.Rating < catalog.MinStars || t.Rating > catalog.MaxStars) {
		s.warn(loc, fmt.Sprintf("rating %d left out: ratings are %d to %d stars", t.Rating, catalog.MinStars, catalog.MaxStars))
		t.Rating = 0
	}
	if len(t.Note) > catalog.MaxNoteBytes {
		s.warn(loc, fmt.Sprintf("note of %d bytes left out: the limit is %d", len(t.Note), catalog.MaxNoteBytes))
		t.Note = ""
	}
	t.Normalize()
	if err := t.Validate(); err != nil {
		s.skip(loc, catalog.ErrorMessage(err))
		return nil
	}
	return s.emit(t)
}

// pretalxTalkKey gives a talk published by pretalx one source key whichever
// export it came from: schedule.xml (frab), schedule.json (c3voc), the ICS
// feed, the widget and the API all carry the talk's page URL,
// <site>/<event slug>/talk/<CODE>/, while their own ids differ (a frab guid,
// an ICS UID). Without this, importing two exports of one event would list
// each talk twice.
//
// Only the record's own source URL counts: a record from elsewhere (say a
// pyvideo entry) that merely links to a pretalx page keeps its own key.
func pretalxTalkKey(t *catalog.Talk) (string, bool) {
	// Plain string work, not a regexp: this runs for every imported talk.
	u, err := url.Parse(strings.TrimSpace(t.Source.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	segs := strings.Split(strings.TrimSuffix(u.Path, "/"), "/")
	n := len(segs)
	if n < 4 || segs[n-2] != "talk" {
		return "", false
	}
	slug, code := segs[n-3], segs[n-1]
	if !pretalxSlug(slug) || !pretalxCode(code) {
		return "", false
	}
	return pretalxSource + ":" + strings.ToLower(slug) + ":" + code, true
}

// pretalxSlug: an event slug is letters, digits, '_', '.' and '-'.
func pretalxSlug(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}

// pretalxCode: talk codes are 4 to 12 upper-case letters and digits.
func pretalxCode(s string) bool {
	if len(s) < 4 || len(s) > 12 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
