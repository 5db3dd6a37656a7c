package scrape

import (
	"net/url"
	"strings"
)

// Adapters lists every site adapter, in the order `talkdex sources` shows
// them and ScrapeURL tries them. It is a function so that the registry is
// built fresh by whoever asks and no package state exists to go stale.
func Adapters() []Adapter {
	return []Adapter{
		denogAdapter{},
		nznogAdapter{},
		ausnogAdapter{},
		nanogAdapter{},
		ripeAdapter{},
		apricotAdapter{},
		uknofAdapter{},
		esnogAdapter{},
		atscaleAdapter{},
		reinventAdapter{},
	}
}

// AdapterByName finds an adapter by its source name, case-insensitively.
func AdapterByName(name string) (Adapter, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, a := range Adapters() {
		if a.Info().Name == name {
			return a, true
		}
	}
	return nil, false
}

// AdapterForURL finds the adapter that handles u, and the edition u is.
func AdapterForURL(u *url.URL) (Adapter, string, bool) {
	for _, a := range Adapters() {
		if edition, ok := a.Match(u); ok {
			return a, edition, true
		}
	}
	return nil, "", false
}

// AdapterNames lists the source names, for messages that say what exists.
func AdapterNames() []string {
	var names []string
	for _, a := range Adapters() {
		names = append(names, a.Info().Name)
	}
	return names
}
