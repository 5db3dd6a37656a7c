package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// Compact merges the index's segments, ten at a time (Bleve's merge task),
// so into one unless there were more than ten. A bulk import leaves a
// dozen segments behind, and every search visits each of them (their term
// dictionaries and doc values); fewer answer faster. Searches and writes
// go on meanwhile.
func (ix *Index) Compact(ctx context.Context) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if err := ix.usable(); err != nil {
		return err
	}
	adv, err := ix.bi.Advanced()
	if err != nil {
		return fmt.Errorf("compact index: %w", err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil // not a scorch index: nothing to merge
	}
	// Bleve's default of ten segments per merge task leaves a catalog of
	// more than ten (a 100k bulk import) in two. Merging those too was no
	// faster to search, and it moves scores: Bleve's BM25 takes a field's
	// average length from the size of its term dictionaries, which depends
	// on how the talks are split into segments. Relevance is measured on
	// indexes compacted like this.
	opts := mergeplan.SingleSegmentMergePlanOptions
	if err := s.ForceMerge(ctx, &opts); err != nil {
		return fmt.Errorf("compact index: %w", err)
	}
	// The merged segments are new: a server reads their columns and word
	// lists now rather than at its next searches.
	ix.warmColumns()
	return nil
}
