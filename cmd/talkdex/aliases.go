package main

import "github.com/talkdex/talkdex/internal/catalog"

// Short names for the catalog types the commands pass around.
type (
	catalogTalk   = catalog.Talk
	catalogSkip   = catalog.Skip
	catalogReport = catalog.ImportReport
)
