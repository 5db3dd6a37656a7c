// Package demo embeds the catalog that `talkdex serve --demo` loads into a
// temporary data directory, so that a newcomer can search real talks at once.
//
// demo.jsonl holds real talks from NOG meetings (DENOG, NZNOG, and a few
// AusNOG, ESNOG, Networking @Scale and AWS re:Invent talks) plus the network
// and DNS devrooms of FOSDEM 2024 and 2025: titles, speakers, affiliations,
// dates, links and derived topic tags. It carries facts only, never abstracts
// or other prose of the sources. Each line is one catalog.Talk record exactly
// as it marshals to JSON, without an id and without personal data.
package demo

import (
	"bytes"
	_ "embed"
	"io"
)

//go:embed demo.jsonl
var catalogJSONL []byte

// Catalog returns the demo catalog as JSON Lines, one catalog.Talk a line.
// Each call returns a new reader positioned at the start.
func Catalog() io.Reader {
	return bytes.NewReader(catalogJSONL)
}
