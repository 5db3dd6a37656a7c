package formats

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// valueKind is the JSON type of a value, with arrays told apart by their
// first element: pyvideo's speakers are strings, ours are objects.
type valueKind int

const (
	kindNull valueKind = iota
	kindString
	kindNumber
	kindBool
	kindObject
	kindEmptyArray
	kindStringArray
	kindObjectArray
	kindOtherArray
)

// head is what detectors see: the first bytes of the decompressed input and,
// for JSON, the top-level keys of its first record. The first record may be
// cut off at the end of the head; keys then holds those seen so far.
type head struct {
	bytes      []byte
	empty      bool
	json       bool // an object or array starts the input or one of its lines
	array      bool // the input is a JSON array
	emptyArray bool // ... with no elements
	keys       map[string]valueKind
	order      []string // keys in the order they appeared
}

func (h *head) has(key string) bool {
	_, ok := h.keys[key]
	return ok
}

func (h *head) kind(key string) (valueKind, bool) {
	k, ok := h.keys[key]
	return k, ok
}

func (h *head) preview() string { return preview(h.bytes) }

func (h *head) keyList() string {
	const most = 12
	quoted := make([]string, 0, most)
	for i, k := range h.order {
		if i == most {
			quoted = append(quoted, "…")
			break
		}
		quoted = append(quoted, strconv.Quote(k))
	}
	return strings.Join(quoted, ", ")
}

// preview is the start of b, safe to put in a message.
func preview(b []byte) string {
	b = bytes.TrimLeft(trimBOM(b), " \t\r\n")
	const most = 40
	s := strings.ToValidUTF8(string(b[:min(len(b), most*4)]), "?")
	if utf8.RuneCountInString(s) > most {
		s = string([]rune(s)[:most]) + "…"
	}
	return s
}

// sniff inspects the head of an input. The first record is the first value
// of the input, the first element of an array, or, when the input starts
// with something that is not an object, the first line holding one.
func sniff(b []byte) *head {
	h := &head{bytes: b, keys: map[string]valueKind{}}
	trimmed := bytes.TrimLeft(trimBOM(b), " \t\r\n")
	if len(trimmed) == 0 {
		h.empty = true
		return h
	}
	switch trimmed[0] {
	case '[':
		h.json, h.array = true, true
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		_, _ = dec.Token()
		if !dec.More() {
			h.emptyArray = bytes.HasPrefix(bytes.TrimLeft(trimmed[1:], " \t\r\n"), []byte("]"))
			return h
		}
		if tok, err := dec.Token(); err == nil && tok == json.Delim('{') {
			h.walkObject(dec)
		}
		return h
	case '{':
		h.json = true
		h.walkObject(objectDecoder(trimmed))
		if len(h.keys) > 0 {
			return h
		}
	}
	// A bad first line: look for the first line that yields a record.
	for _, line := range bytes.Split(trimmed, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] != '{' {
			continue
		}
		h.json = true
		h.walkObject(objectDecoder(line))
		if len(h.keys) > 0 {
			return h
		}
	}
	return h
}

// objectDecoder returns a decoder positioned just inside the object that
// starts b.
func objectDecoder(b []byte) *json.Decoder {
	dec := json.NewDecoder(bytes.NewReader(b))
	_, _ = dec.Token()
	return dec
}

// walkObject records the keys of the object dec is inside, stopping quietly
// at the first error: a head cut mid-record still yields its first keys.
func (h *head) walkObject(dec *json.Decoder) {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		key, ok := tok.(string)
		if !ok {
			return
		}
		kind, err := readValueKind(dec)
		if err != nil {
			return
		}
		if _, seen := h.keys[key]; !seen {
			h.order = append(h.order, key)
		}
		h.keys[key] = kind
	}
}

// readValueKind consumes one value from dec and says what it was.
func readValueKind(dec *json.Decoder) (valueKind, error) {
	tok, err := dec.Token()
	if err != nil {
		return kindNull, err
	}
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return kindObject, skipValue(dec, 1)
		}
		if !dec.More() {
			_, err := dec.Token()
			return kindEmptyArray, err
		}
		first, err := dec.Token()
		if err != nil {
			return kindOtherArray, err
		}
		kind, depth := kindOtherArray, 1
		switch f := first.(type) {
		case string:
			kind = kindStringArray
		case json.Delim:
			depth++
			if f == '{' {
				kind = kindObjectArray
			}
		}
		return kind, skipValue(dec, depth)
	case string:
		return kindString, nil
	case float64, json.Number:
		return kindNumber, nil
	case bool:
		return kindBool, nil
	}
	return kindNull, nil
}

// skipValue consumes tokens until depth open brackets are closed.
func skipValue(dec *json.Decoder, depth int) error {
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
		}
	}
	return nil
}
