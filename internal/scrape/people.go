package scrape

import (
	"html"
	"strings"
	"unicode"

	"github.com/talkdex/talkdex/internal/catalog"
)

// Program pages write speakers in many ways: "A / B", "A, B and C",
// "A und B", "Name (Org)", "Name - Org", "Name, Org". ParseSpeakers turns
// such a string into names with affiliations.
//
// The hard case is a comma: "Jane Doe, Example GmbH" is one person with an
// affiliation, "Jane Doe, John Roe" two people. A part after a comma counts
// as an affiliation when it looks like an organisation (a legal form or an
// organisation word, an acronym, a single word) and the part before it
// looks like a person's name.
func ParseSpeakers(s string) []catalog.Speaker {
	s = catalog.CleanText(html.UnescapeString(s))
	if s == "" {
		return []catalog.Speaker{}
	}
	var out []catalog.Speaker
	for _, group := range splitPeople(s) {
		out = append(out, parseSpeakerGroup(group)...)
	}
	speakers := out[:0]
	for _, sp := range out {
		sp.Name = strings.Trim(catalog.CleanText(sp.Name), " ,;-–")
		sp.Affiliation = strings.Trim(catalog.CleanText(sp.Affiliation), " ,;-–")
		if sp.Name != "" {
			speakers = append(speakers, sp)
		}
	}
	return speakers
}

// splitPeople splits between people: slashes, ampersands, semicolons,
// plus signs and the words "and", "und", "y", "et" (also after a comma).
// Commas are left to parseSpeakerGroup because they may also separate a
// name from its affiliation. s is already white-space normalised. Plain
// string operations: this runs for every row of every page scraped.
func splitPeople(s string) []string {
	for _, word := range []string{", and ", ", und ", " and ", " und ", " y ", " et "} {
		s = strings.ReplaceAll(s, word, "/")
	}
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == '/' || r == '&' || r == ';' || r == '+'
	})
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// parseSpeakerGroup reads one group: "Name (Org)", "Name - Org", or a comma
// list whose parts may carry "(Org)" or be followed by an affiliation.
func parseSpeakerGroup(group string) []catalog.Speaker {
	group = strings.TrimSpace(group)
	parts := splitOutsideParens(group)
	if len(parts) == 1 {
		if name, org, ok := cutParenAffiliation(group); ok {
			return []catalog.Speaker{{Name: name, Affiliation: org}}
		}
		for _, dash := range []string{" - ", " – ", " — ", " | "} {
			if name, org, ok := strings.Cut(group, dash); ok && looksLikePerson(name) {
				return []catalog.Speaker{{Name: name, Affiliation: org}}
			}
		}
		return []catalog.Speaker{{Name: group}}
	}
	var out []catalog.Speaker
	for i := 0; i < len(parts); i++ {
		part := parts[i]
		if name, org, ok := cutParenAffiliation(part); ok {
			out = append(out, catalog.Speaker{Name: name, Affiliation: org})
			continue
		}
		if i+1 < len(parts) {
			next := parts[i+1]
			if looksLikePerson(part) && !strings.Contains(next, "(") && looksLikeOrganisation(next) {
				out = append(out, catalog.Speaker{Name: part, Affiliation: next})
				i++
				continue
			}
		}
		out = append(out, catalog.Speaker{Name: part})
	}
	return out
}

// splitOutsideParens splits s at commas that are not inside parentheses, so
// that "A (Org, Inc), B" is two parts.
func splitOutsideParens(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth == 0 {
				parts = append(parts, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(parts, strings.TrimSpace(s[start:]))
}

// cutParenAffiliation reads "Name (Org)": a trailing parenthesis with no
// parentheses inside it, after a non-empty name.
func cutParenAffiliation(s string) (name, org string, ok bool) {
	if !strings.HasSuffix(s, ")") {
		return "", "", false
	}
	open := strings.LastIndexByte(s, '(')
	if open <= 0 {
		return "", "", false
	}
	org = s[open+1 : len(s)-1]
	name = strings.TrimSpace(s[:open])
	if name == "" || org == "" || strings.ContainsAny(org, "()") {
		return "", "", false
	}
	return name, org, true
}

// looksLikePerson: two to four words, each starting with a capital letter
// or being a name particle, and none of them an organisation word.
func looksLikePerson(s string) bool {
	words := strings.Fields(s)
	if len(words) < 2 || len(words) > 4 {
		return false
	}
	for _, w := range words {
		if organisationWord(w) {
			return false
		}
		r := []rune(w)
		if !unicode.IsUpper(r[0]) && !nameParticle(w) {
			return false
		}
	}
	return true
}

// looksLikeOrganisation: a single word, an acronym, or anything with a
// legal form or an organisation word in it.
func looksLikeOrganisation(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 {
		return false
	}
	if len(words) == 1 {
		return true
	}
	for _, w := range words {
		if organisationWord(w) {
			return true
		}
	}
	return !looksLikePerson(s)
}

func organisationWord(w string) bool {
	// Dots go, so that "B.V." and "e.V." compare as "bv" and "ev".
	switch strings.ToLower(strings.NewReplacer(".", "", ",", "", "(", "", ")", "").Replace(w)) {
	case "gmbh", "ag", "kg", "ev", "inc", "llc", "ltd", "limited", "plc", "corp", "co",
		"sa", "bv", "nv", "ab", "oy", "as", "srl", "sl", "pty",
		"university", "universität", "universitaet", "uni", "institute", "institut", "college",
		"networks", "network", "netzwerk", "telecom", "telekom", "communications", "technologies",
		"systems", "solutions", "services", "group", "foundation", "association", "verein",
		"internet", "ix", "exchange", "labs", "lab", "project", "team", "consulting", "software",
		"cloud", "hosting", "datacenter", "isp", "ncc", "nic", "registry", "council", "ministry":
		return true
	}
	return false
}

func nameParticle(w string) bool {
	switch strings.ToLower(w) {
	case "van", "von", "der", "den", "de", "da", "di", "du", "del", "la", "le", "ten", "ter", "zu", "bin", "al":
		return true
	}
	return false
}
