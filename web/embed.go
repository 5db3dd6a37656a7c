// Package web holds talkdex's HTML templates, static assets and the OpenAPI
// document, embedded into the binary.
package web

import (
	"embed"
	"io/fs"
)

//go:embed templates static openapi.json
var files embed.FS

// Templates returns the html/template sources: layout.html plus one file per page.
func Templates() fs.FS { return sub("templates") }

// Static returns the files served under /static/.
func Static() fs.FS { return sub("static") }

// OpenAPI returns the hand-written OpenAPI 3.1 document of the JSON API.
func OpenAPI() ([]byte, error) { return files.ReadFile("openapi.json") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		// dir is one of the embedded directory names above, so fs.Sub cannot
		// reject it; reaching this means the embed list and this file disagree.
		panic("web: embedded directory " + dir + " is missing: " + err.Error())
	}
	return f
}
