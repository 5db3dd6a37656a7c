package formats

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"time"

	"github.com/talkdex/talkdex/internal/catalog"
)

// maxRecordBytes caps one JSON line. pyvideo's longest line is about 16 KB;
// the cap only stops a runaway line (a binary file, say) from taking all
// memory. Longer lines are skipped, not fatal.
const maxRecordBytes = 32 << 20

// location names one record of an input: its line in line-per-record input,
// else its 1-based position in an array or a stream of JSON values. Readers
// of formats with their own record names (an XML event id, say) set label.
type location struct {
	line  int
	index int
	label string
}

func (l location) String() string {
	if l.label != "" {
		return l.label
	}
	if l.line > 0 {
		return fmt.Sprintf("line %d", l.line)
	}
	return fmt.Sprintf("record %d", l.index)
}

// eachRecord splits a JSON input into records and calls fn with each one's
// raw bytes (valid only during the call; line input is not yet checked to
// be valid JSON, so fn decodes it with decodeRecord). It accepts the three shapes talk
// exports come in:
//
//   - JSON lines: one value a line. A bad line is skipped with its line
//     number and the lines after it are still read.
//   - a JSON array of records.
//   - one or more JSON values one after another, such as a single
//     pretty-printed record.
//
// In the last two shapes a syntax error leaves no safe place to resume, so
// the rest of the input becomes one skip. fn's error aborts and is returned.
func eachRecord(ctx context.Context, r *bufio.Reader, out *sink, fn func(loc location, raw []byte) error) error {
	h, err := r.Peek(headSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return readError(out.name, err)
	}
	switch shapeOf(h) {
	case shapeEmpty:
		return nil
	case shapeArray:
		return eachArrayRecord(ctx, r, out, fn)
	case shapeStream:
		return eachStreamRecord(ctx, r, out, fn)
	case shapeLines:
		return eachLineRecord(ctx, r, out, fn)
	default:
		return catalog.Errorf(catalog.EINVALID, "%s is not JSON: it starts with %q", out.name, preview(h))
	}
}

type shape int

const (
	shapeNotJSON shape = iota
	shapeEmpty
	shapeLines
	shapeArray
	shapeStream
)

// shapeOf tells the record shape from the head of an input. A first line
// that is not complete JSON means a pretty-printed value, unless the next
// line starts a new object: then it is JSON lines with a bad first line.
func shapeOf(h []byte) shape {
	h = trimBOM(h)
	trimmed := bytes.TrimLeft(h, " \t\r\n")
	if len(trimmed) == 0 {
		return shapeEmpty
	}
	switch trimmed[0] {
	case '[':
		return shapeArray
	case '{':
		first, rest, found := bytes.Cut(trimmed, []byte("\n"))
		if !found || json.Valid(first) {
			return shapeLines
		}
		if next := firstNonBlankLine(rest); len(next) > 0 && next[0] == '{' {
			return shapeLines
		}
		return shapeStream
	}
	// Garbage first: still JSON lines if a later line holds an object.
	for _, line := range bytes.Split(trimmed, []byte("\n")) {
		if l := bytes.TrimSpace(line); len(l) > 0 && l[0] == '{' {
			return shapeLines
		}
	}
	return shapeNotJSON
}

func firstNonBlankLine(b []byte) []byte {
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte("\n"))
		if l := bytes.TrimSpace(line); len(l) > 0 {
			return l
		}
	}
	return nil
}

func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }

func eachLineRecord(ctx context.Context, r *bufio.Reader, out *sink, fn func(loc location, raw []byte) error) error {
	var buf []byte
	for lineNo := 1; ; lineNo++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, tooLong, readErr := readLine(r, &buf)
		if readErr != nil && !errors.Is(readErr, io.EOF) {
			return readError(out.name, readErr)
		}
		if lineNo == 1 {
			line = trimBOM(line)
		}
		loc := location{line: lineNo}
		switch {
		case tooLong:
			out.skip(loc, fmt.Sprintf("line is longer than %d MiB", maxRecordBytes>>20))
		case len(bytes.TrimSpace(line)) == 0:
		default:
			if err := fn(loc, line); err != nil {
				return err
			}
		}
		if readErr != nil {
			return nil
		}
	}
}

// readLine returns the next line without its end-of-line bytes. The slice is
// either the reader's buffer or *buf, valid until the next call. A line over
// maxRecordBytes is consumed and reported as tooLong.
func readLine(r *bufio.Reader, buf *[]byte) (line []byte, tooLong bool, err error) {
	chunk, err := r.ReadSlice('\n')
	if err == nil || !errors.Is(err, bufio.ErrBufferFull) {
		return bytes.TrimRight(chunk, "\r\n"), false, err
	}
	*buf = append((*buf)[:0], chunk...)
	for errors.Is(err, bufio.ErrBufferFull) {
		chunk, err = r.ReadSlice('\n')
		if len(*buf)+len(chunk) > maxRecordBytes {
			tooLong = true
			*buf = (*buf)[:0]
		}
		if !tooLong {
			*buf = append(*buf, chunk...)
		}
	}
	return bytes.TrimRight(*buf, "\r\n"), tooLong, err
}

// decodeRecord unmarshals one record into v (json.Unmarshal checks the
// syntax too, so line input is parsed once). A failure's reason says whether
// the JSON is broken or just not shaped like what (e.g. "a talk record").
func decodeRecord(raw []byte, v any, what string) (reason string, ok bool) {
	err := json.Unmarshal(raw, v)
	if err == nil {
		return "", true
	}
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return "bad JSON: " + describeJSONError(err), false
	}
	return "not " + what + ": " + describeJSONError(err), false
}

func eachArrayRecord(ctx context.Context, r *bufio.Reader, out *sink, fn func(loc location, raw []byte) error) error {
	dec := json.NewDecoder(r)
	if _, err := dec.Token(); err != nil { // the opening '['
		out.skip(location{index: 1}, "bad JSON: "+describeJSONError(err))
		return nil
	}
	for i := 1; dec.More(); i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if isReadError(err) {
				return readError(out.name, err)
			}
			out.skip(location{index: i}, "bad JSON: "+describeJSONError(err)+"; the rest of the input was not read")
			return nil
		}
		if err := fn(location{index: i}, raw); err != nil {
			return err
		}
	}
	return nil
}

func eachStreamRecord(ctx context.Context, r *bufio.Reader, out *sink, fn func(loc location, raw []byte) error) error {
	dec := json.NewDecoder(r)
	for i := 1; ; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if isReadError(err) {
				return readError(out.name, err)
			}
			out.skip(location{index: i}, "bad JSON: "+describeJSONError(err)+"; the rest of the input was not read")
			return nil
		}
		if err := fn(location{index: i}, raw); err != nil {
			return err
		}
	}
}

// isReadError tells failures of the underlying reader apart from JSON that
// is wrong; json.Decoder passes the former through unchanged.
func isReadError(err error) bool {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if errors.As(err, &syntax) || errors.As(err, &typ) {
		return false
	}
	// A value cut off by the end of input is bad JSON, not a failed read:
	// inside an array that ends early ("[{…},") the decoder reports a bare
	// io.EOF, mid-value io.ErrUnexpectedEOF.
	return !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF)
}

// describeJSONError words a decoding error for a skip reason, in terms of
// the record's fields rather than Go types.
func describeJSONError(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		where := "the record"
		if typ.Field != "" {
			where = "field " + typ.Field
		}
		return fmt.Sprintf("%s is a JSON %s, want %s", where, typ.Value, jsonKind(typ.Type))
	}
	var badTime *time.ParseError
	if errors.As(err, &badTime) {
		// Only a record's start is a time; the parser's own message
		// quotes Go's layout, which helps nobody.
		return fmt.Sprintf("time %q is not in RFC 3339 form (like 2017-11-23T13:15:00+01:00)", badTime.Value)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "the JSON ends in the middle of a value"
	}
	return err.Error()
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return t.String()
}
