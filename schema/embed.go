// Package schema holds talkdex's numbered SQLite migrations. internal/sqlite
// applies them in order on open and records each one's checksum, so a file
// that has been applied must never be edited: schema changes go in a new file.
package schema

import (
	"embed"
	"io/fs"
)

//go:embed *.sql
var migrations embed.FS

// FS returns the migration files, named NNNN_description.sql.
func FS() fs.FS { return migrations }
