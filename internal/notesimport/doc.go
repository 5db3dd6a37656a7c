// Package notesimport reads a user's notes on talks, written as a blog post,
// and finds the catalog talk each part of the post is about.
//
// A post is loose prose: an event heading ("Networking Scale 2023"), then per
// talk a line "Title: video — verdict" followed by bullet points. Parse turns
// plain text or HTML into Parts; MatchParts pairs Parts with catalog talks and
// says how sure it is. The importer never guesses silently: a part it cannot
// tie to exactly one talk with enough confidence is reported as unmatched,
// and a verdict only ever becomes a suggested rating for the user to confirm.
package notesimport
