package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/talkdex/talkdex/internal/catalog"
)

// FloorIndex indexes the least that a Bleve catalog with phrase search must
// index of each talk feed emits: its title, abstract and speaker names,
// with word positions, analysed by Bleve's standard analyzer (no stemming,
// no languages), and nothing else: no SQLite, no filters, no facets, no
// word list. The talks go into a new plain index at path, in batches
// written as Rebuild writes them. It returns once every batch is in, without
// waiting for Bleve's merges.
//
// `talkdex bench` times it beside the import, on the same talks and the same
// machine: no import through Bleve can go faster, so it shows how much of an
// import's time is Bleve's own.
func FloorIndex(ctx context.Context, path string, feed func(emit func(*catalog.Talk) error) error) error {
	bi, err := bleve.NewUsing(path, floorMapping(), scorch.Name, scorch.Name, scorchConfig())
	if err != nil {
		return fmt.Errorf("create floor index %s: %w", path, err)
	}
	w := newBulkWriter(ctx, bi)
	emit := func(t *catalog.Talk) error {
		if t == nil || t.ID <= 0 {
			return fmt.Errorf("emit: talk has no id")
		}
		doc := talkDocument{fieldTitle: cleanUTF8(t.Title)}
		if t.Abstract != "" {
			doc[fieldAbstract] = cleanUTF8(t.Abstract)
		}
		if names := nonEmpty(t.SpeakerNames()); len(names) > 0 {
			doc[fieldSpeakers] = cleanAll(names)
		}
		return w.add(change{id: t.ID, doc: doc})
	}
	err = feed(emit)
	if err != nil {
		w.abandon()
	} else {
		err = w.finish()
	}
	if cerr := bi.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close floor index: %w", cerr)
	}
	if err != nil {
		return fmt.Errorf("floor index: %w", err)
	}
	return nil
}

// floorMapping maps the three fields of FloorIndex's documents, whatever
// their type, and nothing else.
func floorMapping() mapping.IndexMapping {
	field := bleve.NewTextFieldMapping()
	field.Analyzer = standard.Name
	field.Store = false
	field.IncludeTermVectors = true // phrase queries match on positions
	field.IncludeInAll = false
	field.DocValues = false

	doc := bleve.NewDocumentStaticMapping()
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	for _, name := range []string{fieldTitle, fieldAbstract, fieldSpeakers} {
		doc.AddFieldMappingsAt(name, field)
	}
	im := bleve.NewIndexMapping()
	im.DefaultMapping = doc
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	return im
}
