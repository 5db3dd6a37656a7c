package index

import (
	"context"
	"fmt"
	"math"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// Compact merges the index's segments into one. A bulk import leaves a
// dozen segments behind, and every search visits each of them (their term
// dictionaries and doc values); one segment answers faster. Searches and
// writes go on meanwhile.
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
	opts := mergeplan.SingleSegmentMergePlanOptions
	// One task of every segment: the default ten per task leaves an index
	// of more than ten segments in two or more.
	opts.SegmentsPerMergeTask = math.MaxInt32
	if err := s.ForceMerge(ctx, &opts); err != nil {
		return fmt.Errorf("compact index: %w", err)
	}
	return nil
}
