package index

import "sync"

// Bounds on the entries of the search caches: whole results and facet
// counts are large, a word's corrections or completions a few words.
const (
	cacheSize     = 256
	wordCacheSize = 4096
)

// recentCache remembers what recent searches computed, until the index
// changes. Counting facets visits every hit, which makes it the bulk of a
// broad search (the empty query on the search page counts all talks); the
// index only changes through Apply and Rebuild, which invalidate the caches.
// Values go in and come out as copies (clone), so callers may change theirs.
type recentCache[V any] struct {
	size    int
	clone   func(V) V
	mu      sync.Mutex
	gen     uint64 // bumped by every write to the index
	entries map[string]V
	order   []string // insertion order, for eviction
}

func newRecentCache[V any](size int, clone func(V) V) *recentCache[V] {
	return &recentCache[V]{size: size, clone: clone}
}

// generation is read before a search; put only keeps results computed
// within one generation.
func (c *recentCache[V]) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// invalidate is called after every write to the index.
func (c *recentCache[V]) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries, c.order = nil, nil
}

// get returns a copy of the value cached for key.
func (c *recentCache[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.entries[key]
	if !ok {
		return v, false
	}
	return c.clone(v), true
}

// put caches a copy of v, computed by a search that started in generation
// gen, unless the index changed since.
func (c *recentCache[V]) put(key string, gen uint64, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.entries == nil {
		c.entries = map[string]V{}
	}
	if _, ok := c.entries[key]; !ok {
		if len(c.order) >= c.size {
			delete(c.entries, c.order[0])
			c.order = c.order[1:]
		}
		c.order = append(c.order, key)
	}
	c.entries[key] = c.clone(v)
}
