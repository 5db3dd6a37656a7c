package index

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/talkdex/talkdex/internal/catalog"
)

// Suffixes of the directories Rebuild works in next to the live index.
const (
	newSuffix = ".new"
	oldSuffix = ".old"
)

// lockTimeout bounds how long Open waits for the index's file lock. Another
// talkdex process holding it is reported as a conflict, never mistaken for a
// corrupt index.
const lockTimeout = 2 * time.Second

// scorchConfig is the one place every index is created or opened with (as
// NewUsing's kvconfig and OpenUsing's runtime config).
//
// Why the forced segment format: bleve v2.6.3 writes zap v17 segments by
// default, but the module proxy we build from serves no zapx/v17, so go.mod
// replaces it with a v16 stand-in that must never read or write a segment.
// Forcing zap v16 makes scorch pick the real zapx/v16 plugin (bleve's own
// v16.3.4 pin) for new and merged segments alike.
func scorchConfig() map[string]interface{} {
	return map[string]interface{}{
		"forceSegmentType":    "zap",
		"forceSegmentVersion": 16,
		"bolt_timeout":        lockTimeout.String(),
	}
}

// Index is talkdex's Bleve index. It is safe for concurrent use: searches and
// Apply run in parallel; Rebuild's final swap and Close briefly exclude them.
type Index struct {
	path string

	// mu guards bi and closed. bi is nil only after a failed Rebuild swap
	// could not restore any index.
	mu     sync.RWMutex
	bi     bleve.Index
	closed bool

	needsRebuild atomic.Bool
	// warm says to read the columns of a newly opened index at once (see
	// Warm).
	warm atomic.Bool

	// synonyms expand query words; read once at Open.
	synonyms *synonyms

	// facets caches facet counts between writes, and browsing whole
	// results of searches with nothing to score (see Search).
	facets   *recentCache[map[string][]catalog.FacetValue]
	browsing *recentCache[*catalog.SearchResult]
	// everything caches what a search of all talks found, in each order
	// asked for, for searches that only exclude words (see complement).
	everything *recentCache[*allTalks]
	// allTalksQueued says keepAllTalks waits among the background reads:
	// a write or a merge asks for it several times (its columns, its word
	// lists), and one run after them all is enough.
	allTalksQueued atomic.Bool
	// words caches the corrections and completions of query words: a
	// query typed word by word is searched again at every key, its
	// earlier words with it.
	words *recentCache[[]dictWord]
	// wordLists hold each segment's word list in memory, for the lookups
	// of the words cache misses.
	wordLists *wordLists
	// dense hold the dense terms searches scored, decoded per segment,
	// for later searches to jump through (see denseReader).
	dense *denseLists
	// reads are shared by the background reads of columns, word lists and
	// dense lists.
	reads *backgroundReads
	// wholeSearches makes searches that only exclude words walk all
	// talks, as they would without complement; tests compare the two.
	wholeSearches bool
	// parts is how many goroutines a search runs on (see
	// runInParts).
	parts int
	// columns count facets; guarded by mu and replaced with bi, since a
	// new index has segments of its own.
	columns *columns

	// rebuildMu lets one Rebuild run at a time.
	rebuildMu sync.Mutex

	// While a Rebuild builds the new index (capturing), pending records what
	// Apply changes meanwhile, so the new index can catch up before it
	// replaces the old one.
	pendingMu sync.Mutex
	pending   []change
	capturing bool
}

// Open opens the index at path, creating it if missing. An index of another
// mapping version, or one that cannot be opened (corrupt, truncated, not an
// index at all), is removed and replaced by an empty one. NeedsRebuild then
// reports true, and also for a newly created index, since SQLite may well
// hold talks (an index directory deleted by hand, a crash in mid-Rebuild).
// Leftovers of an interrupted Rebuild are removed. An index locked by another
// process is an ECONFLICT error, after waiting lockTimeout.
func Open(path string) (*Index, error) {
	return OpenWith(path, Options{})
}

// Options tune an index beyond its path.
type Options struct {
	// SynonymsFile is a user's synonyms file, in the format of the curated
	// index/synonyms.txt (one set a line, entries separated by commas); its
	// sets are added to the curated ones. A file that does not exist is
	// fine: the curated list alone applies. Synonyms apply at query time,
	// so an edit takes effect at the next Open without a reindex.
	SynonymsFile string
}

// OpenWith is Open with options.
func OpenWith(path string, opts Options) (*Index, error) {
	syn, err := loadSynonyms(opts.SynonymsFile)
	if err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "synonyms: %v", err)
	}
	for _, leftover := range []string{path + newSuffix, path + oldSuffix} {
		if err := os.RemoveAll(leftover); err != nil {
			return nil, fmt.Errorf("remove leftover index %s: %w", leftover, err)
		}
	}
	bi, fresh, err := openOrReset(path)
	if err != nil {
		return nil, err
	}
	ix := &Index{
		path: path, bi: bi, synonyms: syn, parts: searchParts(runtime.GOMAXPROCS(0)),
		facets:   newRecentCache(cacheSize, copyFacets),
		browsing: newRecentCache(cacheSize, copyResult),
		// Never changed once cached: shared, not copied.
		everything: newRecentCache(numOrders, func(a *allTalks) *allTalks { return a }),
		words:      newRecentCache(wordCacheSize, slices.Clone[[]dictWord]),
		reads:      newBackgroundReads(),
	}
	ix.columns, ix.wordLists = newColumns(ix.reads, ix.keepAllTalksLater), newWordLists(ix.reads)
	ix.dense = newDenseLists(defaultDenseLimits(), ix.reads)
	ix.needsRebuild.Store(fresh)
	return ix, nil
}

// NeedsRebuild reports whether the index was created empty by Open and has
// not been rebuilt since: the caller should Rebuild it from SQLite.
func (ix *Index) NeedsRebuild() bool { return ix.needsRebuild.Load() }

// Close closes the index. Later calls fail; a second Close is a no-op.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	if ix.bi == nil {
		return nil
	}
	err := ix.bi.Close()
	ix.bi = nil
	if err != nil {
		return fmt.Errorf("close index %s: %w", ix.path, err)
	}
	return nil
}

// DocCount returns the number of talks in the index.
func (ix *Index) DocCount() (uint64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if err := ix.usable(); err != nil {
		return 0, err
	}
	n, err := ix.bi.DocCount()
	if err != nil {
		return 0, fmt.Errorf("count index documents: %w", err)
	}
	return n, nil
}

// usable reports why the index cannot serve a call. Callers hold mu.
func (ix *Index) usable() error {
	switch {
	case ix.closed:
		return fmt.Errorf("index %s is closed", ix.path)
	case ix.bi == nil:
		return fmt.Errorf("index %s is unavailable after a failed rebuild; restart to recreate it", ix.path)
	}
	return nil
}

// openOrReset opens the index at path or, when that is not possible or not
// worth it, replaces it with an empty one; fresh reports the replacement.
func openOrReset(path string) (bi bleve.Index, fresh bool, err error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		bi, err := create(path)
		return bi, true, err
	}
	bi, err = openExisting(path)
	switch {
	case err == nil:
		if current, verr := hasCurrentVersion(bi); verr == nil && current {
			return bi, false, nil
		}
		// Another mapping version (or an unreadable one): the documents are
		// shaped differently, so start over.
		_ = bi.Close()
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, false, catalog.Errorf(catalog.ECONFLICT,
			"the search index %s is in use by another talkdex process", path)
	}
	if err := os.RemoveAll(path); err != nil {
		return nil, false, fmt.Errorf("remove unusable index %s: %w", path, err)
	}
	bi, err = create(path)
	return bi, true, err
}

// openExisting opens an index directory. Bleve and bbolt may panic rather
// than fail on some damaged files; that is reported as an error so that Open
// can recreate the index.
func openExisting(path string) (bi bleve.Index, err error) {
	defer func() {
		if r := recover(); r != nil {
			bi, err = nil, fmt.Errorf("open index %s: panic: %v", path, r)
		}
	}()
	bi, err = bleve.OpenUsing(path, scorchConfig())
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	return bi, nil
}

// create makes a new empty index at path, which must not exist, and stamps
// it with MappingVersion.
func create(path string) (bleve.Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("build index mapping: %w", err)
	}
	bi, err := bleve.NewUsing(path, m, scorch.Name, scorch.Name, scorchConfig())
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	if err := bi.SetInternal([]byte(mappingVersionKey), []byte(strconv.Itoa(MappingVersion))); err != nil {
		_ = bi.Close()
		return nil, fmt.Errorf("stamp index %s with its mapping version: %w", path, err)
	}
	return bi, nil
}

func hasCurrentVersion(bi bleve.Index) (bool, error) {
	v, err := bi.GetInternal([]byte(mappingVersionKey))
	if err != nil {
		return false, fmt.Errorf("read index mapping version: %w", err)
	}
	return string(v) == strconv.Itoa(MappingVersion), nil
}

// invalidateCaches forgets what searches computed: the index changed.
func (ix *Index) invalidateCaches() {
	ix.facets.invalidate()
	ix.browsing.invalidate()
	ix.everything.invalidate()
	ix.words.invalidate()
}

// Warm starts reading the columns and word lists of the index's segments
// (see columns and wordLists) in the background, now and whenever a rebuild
// replaces the index, so that the first searches need not read their hits'
// doc values (the first search of all 100k talks took a quarter of a
// second that way) nor look words up in Bleve's dictionaries, and keeps a
// search of all talks ready (see keepAllTalks). A server calls it; a
// one-off command, which searches once, need not pay for it.
func (ix *Index) Warm() {
	ix.warm.Store(true)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	ix.warmColumns()
}

// Warmed reports whether every segment of the index has its columns and
// word lists read, so that searches read neither doc values nor Bleve's
// dictionaries; it starts reading what is missing. A benchmark waits for
// it, as a server has long since warmed up when it is measured.
func (ix *Index) Warmed() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.usable() != nil {
		return false
	}
	r, err := ix.reader()
	if err != nil {
		return false
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return true // nothing of the kind to read
	}
	columns := ix.columns.ready(snap)
	return ix.wordLists.view(snap) != nil && columns
}

// warmColumns starts reading the columns and word lists Warm asked for.
// Callers hold mu.
func (ix *Index) warmColumns() {
	if !ix.warm.Load() || ix.usable() != nil {
		return
	}
	r, err := ix.reader()
	if err != nil {
		return // the next search reports it
	}
	defer r.Close()
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		ix.columns.ready(snap)
		ix.wordLists.view(snap)
	}
	ix.keepAllTalksLater()
}
