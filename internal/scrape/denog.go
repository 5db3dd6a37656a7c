package scrape

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // talk times must not depend on the host's zoneinfo

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/talkdex/talkdex/internal/catalog"
)

// DENOG publishes one agenda page per meeting on www.denog.de. The layout
// changed nearly every year:
//
//   - DENOG 1–5: one table (Start | Ende | Titel | Autor | Folien), a single
//     day with no date on the page, sessions and breaks as colspan rows, and
//     a detail section of `"Title" - Speaker, Affiliation` headings;
//   - DENOG 8: the same table once per day under "Tag 1 - 23.11.2016", and
//     a "Lightning Talks" section of `Title - Speaker` headings;
//   - DENOG 9: per-day tables (Zeit "13:15-13:45" | title with a PDF link |
//     Sprecher), and details as <strong>Title</strong> … <em>Speaker, Org</em>;
//   - DENOG 10: a slides page, "| Programm | | Slides | | Recording" and
//     rows of `»Title« | | [ <a>Slides</a> ] | | [ <a>Recording</a> ]`:
//     no times and no speakers, but the slide files are named after the
//     slot ("day1_1330-On_Observability.pdf"). Its delimiter row has one
//     cell too few, so the site serves it as a paragraph of pipe-separated
//     lines rather than a table; both forms are read;
//   - DENOG 11: only a "zeitplan" grid of placeholder slots ("Talk",
//     "Workshops"), which names no talk: a clear error, never talks;
//   - DENOG 12: a recordings page, Markdown tables (Time | "Title (Speaker)"
//     | slides | recording) under "Monday, November 9th"; earlier versions
//     left placeholder rows ("Talks", "End") for the days not yet recorded;
//   - DENOG 13: a recordings page like DENOG12's but with no speakers, and
//     a talks page (titled "Agenda") that embeds pretalx;
//   - DENOG 14+: only a <pretalx-schedule> widget, handed on as a Delegate
//     (DENOG12's talks page uses the older <pretalx-schedule-widget event=…>).
const (
	denogName     = "denog"
	denogSeries   = "DENOG"
	denogTimeZone = "Europe/Berlin"
	// denogFirstPretalx is the first meeting whose agenda page is only the
	// pretalx widget; its talks come from pretalx.
	denogFirstPretalx = 14
	// denogRecordingsOnly is the meeting whose program survives only as
	// its recordings page.
	denogRecordingsOnly = 12
	denogFixtures       = "denog1_agenda.md, denog2_agenda.md, denog3_agenda.md, denog5_agenda.md, denog8_agenda.md, denog9_agenda.md, denog12_recordings.md, denog15_agenda.md (Jekyll sources of www.denog.de, rendered)"
)

// denogAdapter reads www.denog.de agenda pages. It keeps no state.
type denogAdapter struct{}

func (denogAdapter) Info() SourceInfo {
	return SourceInfo{
		Name:   denogName,
		Series: denogSeries,
		URLPatterns: []string{
			"https://www.denog.de/de/meetings/denog<N>/agenda/",
			"https://www.denog.de/en/meetings/denog<N>/agenda/",
			"https://www.denog.de/de/meetings/denog12/recordings/",
			"https://www.denog.de/de/meetings/denog10/programm2/",
			"https://www.denog.de/de/meetings/denog11/zeitplan/",
			"https://www.denog.de/de/meetings/denog13/talks/",
		},
		Editions:       "N → DENOG<N> (1, 2, …); 13 and later through the pretalx schedule their pages embed; 4, 6 and 11 published no talk list",
		Checked:        true,
		CheckedAgainst: denogFixtures,
	}
}

func (denogAdapter) EditionURLs(edition string) ([]string, error) {
	n, ok := denogEditionNumber(edition)
	if !ok {
		return nil, catalog.Errorf(catalog.EINVALID, "DENOG edition %q is not a meeting number; editions are numbered 1, 2, … (e.g. 9 for DENOG9)", edition)
	}
	return []string{denogEditionURL(n)}, nil
}

func (denogAdapter) Match(u *url.URL) (string, bool) {
	if u == nil {
		return "", false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if host != "denog.de" {
		return "", false
	}
	m := denogPathPattern().FindStringSubmatch(strings.ToLower(u.Path))
	if m == nil {
		return "", false
	}
	return m[1], true
}

func (denogAdapter) Parse(ctx context.Context, page Page) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page.Body))
	if err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "DENOG page %s is not readable HTML: %v", page.URL, err)
	}
	n, ok := denogPageEdition(doc, page)
	if !ok {
		return nil, catalog.Errorf(catalog.EINVALID, "DENOG page %s names no meeting (no \"DENOG<N>\" in its title, URL or edition)", page.URL)
	}
	event := fmt.Sprintf("DENOG%d", n)
	res := &Result{Series: denogSeries, Event: event}
	if delegate, via, ok := denogPretalxWidget(doc); ok {
		res.Delegate, res.Path = delegate, "pretalx schedule via "+via
		return res, nil
	}
	loc, err := time.LoadLocation(denogTimeZone)
	if err != nil {
		return nil, fmt.Errorf("denog: load time zone %s: %w", denogTimeZone, err)
	}
	p := denogPage{
		re:        newDenogPatterns(),
		event:     event,
		sourceURL: page.URL,
		loc:       loc,
		known:     denogMeetingStart(n),
		seen:      map[string]bool{},
	}
	if p.sourceURL == "" {
		p.sourceURL = denogEditionURL(n)
	}
	var lightning []*catalog.Talk
	p.affiliations, p.headings, lightning = p.details(doc)
	doc.Find("table").Each(func(_ int, table *goquery.Selection) {
		p.table(table)
	})
	fromTables := len(p.talks)
	p.programmeLines(doc)
	programme := len(p.talks) > fromTables
	for _, t := range lightning {
		p.add(t)
	}
	if len(p.talks) == 0 && denogHasPlaceholderSlots(doc, p.re.placeholder) {
		// An agenda drafted before the call for papers closed: the
		// generic reader would take its "Talk" cells for talks.
		return nil, catalog.Errorf(catalog.EINVALID, "%s page %s has placeholder slots (\"Talk\", \"Workshops\", \"TBD\") and no talk the DENOG adapter can read", event, p.sourceURL)
	}
	res.Talks = p.talks
	res.Path = "denog agenda table"
	if n == denogRecordingsOnly {
		res.Path = "denog recordings table"
	}
	if programme {
		res.Path = "denog slides list"
	}
	return res, nil
}

// denogPatterns are the regular expressions a parse uses, compiled once a
// page rather than once a row (the package keeps no state between calls).
type denogPatterns struct {
	notATalk, placeholder, trailingParens, emptyParens, timeRange, quotedHeading, daySlotFile *regexp.Regexp
}

func newDenogPatterns() denogPatterns {
	return denogPatterns{
		notATalk:       denogNotATalk(),
		placeholder:    denogPlaceholder(),
		trailingParens: nogTrailingParens(),
		emptyParens:    nogEmptyParens(),
		timeRange:      nogTimeRange(),
		quotedHeading:  nogQuotedHeading(),
		daySlotFile:    regexp.MustCompile(`(?i)^day(\d{1,2})[_ -]+(\d{2})(\d{2})(?:\D|$)`),
	}
}

// denogPage is the state of one Parse call.
type denogPage struct {
	re           denogPatterns
	event        string
	sourceURL    string
	loc          *time.Location
	known        time.Time         // the meeting's first day when the page has no dates; zero if unknown
	affiliations map[string]string // folded speaker name → affiliation, from the detail section
	headings     []denogHeading    // the detail section's `"Title" - Speaker, Org` headings
	seen         map[string]bool   // source keys already emitted
	talks        []*catalog.Talk
}

// add finishes a talk and keeps it unless a talk with the same key (the
// same title at this meeting) came first: the detail section repeats the
// table's talks.
func (p *denogPage) add(t *catalog.Talk) {
	t.Series, t.Event = denogSeries, p.event
	t.Source = catalog.Source{Name: denogName, URL: p.sourceURL}
	t.Normalize()
	if t.Title == "" {
		return
	}
	t.Source.Key = denogName + ":" + p.event + ":" + catalog.NormalizeTitle(t.Title)
	if p.seen[t.Source.Key] {
		return
	}
	p.seen[t.Source.Key] = true
	if t.Year == 0 && !p.known.IsZero() {
		t.Year = p.known.Year()
	}
	p.affiliate(t)
	p.talks = append(p.talks, t)
}

// denogHeading is one detail heading: the title and what follows it.
type denogHeading struct {
	title, who string
}

// affiliate fills in affiliations from the detail section. The heading
// about the same talk comes first: in "Name, Cube Optics" the part after
// the comma is an affiliation when it is not another of the talk's
// speakers, which a speaker-string parser alone cannot know. Then any
// affiliation the page gives the same person elsewhere.
func (p *denogPage) affiliate(t *catalog.Talk) {
	if h, ok := p.headingFor(t.Title); ok {
		first, rest, _ := strings.Cut(h.who, ", ")
		if rest != "" && !denogIsSpeaker(rest, t.Speakers) {
			for i := range t.Speakers {
				if t.Speakers[i].Affiliation == "" && nogFoldName(t.Speakers[i].Name) == nogFoldName(first) {
					t.Speakers[i].Affiliation = catalog.CleanText(rest)
				}
			}
		}
	}
	for i := range t.Speakers {
		if t.Speakers[i].Affiliation == "" {
			t.Speakers[i].Affiliation = p.affiliations[nogFoldName(t.Speakers[i].Name)]
		}
	}
}

// headingFor finds the detail heading of a talk. The two titles often
// differ a little ("ISC BIND Update" in the table, "ISC BIND Update -
// what's new in 9, what's coming in 10" below), so one may extend the
// other, or most of their words may match.
func (p *denogPage) headingFor(title string) (denogHeading, bool) {
	want := catalog.NormalizeTitle(title)
	for _, h := range p.headings {
		got := catalog.NormalizeTitle(h.title)
		if got == want || strings.HasPrefix(got, want+" ") || strings.HasPrefix(want, got+" ") {
			return h, true
		}
	}
	for _, h := range p.headings {
		if nogWordOverlap(want, catalog.NormalizeTitle(h.title)) >= 0.75 {
			return h, true
		}
	}
	return denogHeading{}, false
}

// nogWordOverlap is the share of the shorter title's words found in the
// other.
func nogWordOverlap(a, b string) float64 {
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) == 0 || len(wb) == 0 {
		return 0
	}
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	in := map[string]bool{}
	for _, w := range wb {
		in[w] = true
	}
	hits := 0
	for _, w := range wa {
		if in[w] {
			hits++
		}
	}
	return float64(hits) / float64(len(wa))
}

func denogIsSpeaker(s string, speakers []catalog.Speaker) bool {
	folded := nogFoldName(s)
	for _, sp := range speakers {
		if name := nogFoldName(sp.Name); name != "" && strings.HasPrefix(folded, name) {
			return true
		}
	}
	return false
}

// denogColumns says which table column holds what; -1 when absent.
type denogColumns struct {
	start, end, title, speaker int
	// programme is set by DENOG10's "Programm" header: a table with no
	// time column whose starts come from the slide file names.
	programme bool
}

func denogTableColumns(header *goquery.Selection) (denogColumns, bool) {
	cols := denogColumns{start: -1, end: -1, title: -1, speaker: -1}
	header.Find("th, td").Each(func(i int, cell *goquery.Selection) {
		h := strings.ToLower(catalog.CleanText(cell.Text()))
		switch {
		case h == "start" || h == "zeit" || h == "time" || h == "uhrzeit":
			cols.start = i
		case h == "ende" || h == "end":
			cols.end = i
		case h == "autor" || h == "presenter" || h == "sprecher" || h == "speaker" || h == "referent":
			cols.speaker = i
		case h == "programm" || h == "programme" || h == "program":
			cols.title, cols.programme = i, true
		case cols.title < 0 && (h == "titel" || h == "title" || h == "" || denogDayHeader().MatchString(h)):
			// DENOG9 heads the title column with the day ("23.11."),
			// DENOG12 leaves it blank.
			cols.title = i
		}
	})
	return cols, cols.title >= 0 && (cols.start >= 0 || cols.programme)
}

// table reads one agenda table; tables that are not agendas are ignored.
func (p *denogPage) table(table *goquery.Selection) {
	rows := table.Find("tr")
	if rows.Length() == 0 {
		return
	}
	cols, ok := denogTableColumns(rows.First())
	if !ok {
		return
	}
	day := p.tableDay(table)
	rows.Slice(1, rows.Length()).Each(func(_ int, row *goquery.Selection) {
		if t := p.row(row, cols, day); t != nil {
			p.add(t)
		}
	})
}

// row reads one table row into a talk, or nil for breaks, session headers,
// placeholders and the meeting's own business.
func (p *denogPage) row(row *goquery.Selection, cols denogColumns, day time.Time) *catalog.Talk {
	if _, coloured := row.Attr("bgcolor"); coloured {
		return nil // breaks are the green rows
	}
	cells := row.Find("td")
	cell := func(col int) *goquery.Selection {
		// Cells are addressed by column, so colspans shift what follows.
		at := 0
		var found *goquery.Selection
		cells.EachWithBreak(func(_ int, c *goquery.Selection) bool {
			span, _ := strconv.Atoi(c.AttrOr("colspan", "1"))
			span = max(span, 1)
			if col >= at && col < at+span {
				found = c
				return false
			}
			at += span
			return true
		})
		return found
	}
	titleCell := cell(cols.title)
	if titleCell == nil {
		return nil
	}
	if span, _ := strconv.Atoi(titleCell.AttrOr("colspan", "1")); span > 1 {
		return nil // a track or session header, or a break
	}
	title := p.titleText(titleCell)
	var speakers []catalog.Speaker
	if cols.speaker >= 0 {
		if c := cell(cols.speaker); c != nil {
			speakers = ParseSpeakers(nogCellText(c))
		}
	} else if m := p.re.trailingParens.FindStringSubmatch(title); m != nil {
		// DENOG12 writes "Title (Speaker & Speaker)".
		if people := ParseSpeakers(m[2]); nogAllNamesLook(people) {
			title, speakers = m[1], people
		}
	}
	if title == "" || p.re.notATalk.MatchString(strings.ToLower(title)) || p.re.placeholder.MatchString(strings.ToLower(title)) {
		return nil
	}
	t := &catalog.Talk{Title: title, Speakers: denogPeople(speakers), Links: nogRowLinks(row, p.sourceURL)}
	var startText, endText string
	if c := cell(cols.start); c != nil {
		startText = catalog.CleanText(c.Text())
	}
	if cols.end >= 0 {
		if c := cell(cols.end); c != nil {
			endText = catalog.CleanText(c.Text())
		}
	}
	if m := p.re.timeRange.FindStringSubmatch(startText); m != nil {
		startText, endText = m[1], m[2]
	}
	start, okStart := nogClockOn(day, startText, p.loc)
	end, okEnd := nogClockOn(day, endText, p.loc)
	if okStart {
		t.Start = start
		if okEnd && end.After(start) {
			t.DurationMinutes = int(end.Sub(start) / time.Minute)
		}
	} else if cols.start < 0 {
		t.Start, _ = p.startFromFiles(t.Links)
	}
	return t
}

// programmeLines reads DENOG10's slides page as the site serves it: a
// paragraph whose lines are the rows of a Markdown table that did not
// render, headed by a "| Programm | … |" line.
func (p *denogPage) programmeLines(doc *goquery.Document) {
	doc.Find("p").Each(func(_ int, para *goquery.Selection) {
		if para.Closest("table").Length() > 0 || !strings.Contains(para.Text(), "|") {
			return
		}
		inner, err := para.Html()
		if err != nil {
			return
		}
		headed := false
		for _, line := range strings.Split(inner, "\n") {
			frag, err := goquery.NewDocumentFromReader(strings.NewReader(line))
			if err != nil {
				continue
			}
			text := strings.TrimPrefix(strings.TrimSpace(frag.Text()), "|")
			first, _, isRow := strings.Cut(text, "|")
			first = catalog.CleanText(first)
			if !isRow {
				continue
			}
			if !headed {
				switch strings.ToLower(first) {
				case "programm", "programme", "program":
					headed = true
				}
				continue
			}
			title := denogUnquote(first)
			if title == "" || strings.Trim(title, "-: ") == "" || strings.HasPrefix(title, "[") || p.re.notATalk.MatchString(strings.ToLower(title)) {
				continue
			}
			t := &catalog.Talk{Title: title, Speakers: []catalog.Speaker{}, Links: nogRowLinks(frag.Selection, p.sourceURL)}
			t.Start, _ = p.startFromFiles(t.Links)
			p.add(t)
		}
	})
}

// startFromFiles reads a talk's slot from its slide file's name,
// "day2_0930_…" being the second day at 9:30; false when no link is so
// named or the meeting's first day is not known.
func (p *denogPage) startFromFiles(links []catalog.Link) (time.Time, bool) {
	if p.known.IsZero() {
		return time.Time{}, false
	}
	for _, l := range links {
		u, err := url.Parse(l.URL)
		if err != nil {
			continue
		}
		m := p.re.daySlotFile.FindStringSubmatch(path.Base(u.Path))
		if m == nil {
			continue
		}
		day, _ := strconv.Atoi(m[1])
		h, _ := strconv.Atoi(m[2])
		mi, _ := strconv.Atoi(m[3])
		if day < 1 || day > 7 || h > 23 || mi > 59 {
			continue
		}
		k := p.known
		return time.Date(k.Year(), k.Month(), k.Day()+day-1, h, mi, 0, 0, p.loc), true
	}
	return time.Time{}, false
}

// denogUnquote takes the guillemets off DENOG10's »Title«.
func denogUnquote(title string) string {
	title = catalog.CleanText(title)
	for _, q := range [][2]string{{"»", "«"}, {"«", "»"}} {
		if strings.HasPrefix(title, q[0]) && strings.HasSuffix(title, q[1]) {
			return catalog.CleanText(strings.TrimSuffix(strings.TrimPrefix(title, q[0]), q[1]))
		}
	}
	return title
}

// tableDay finds the day a table is for: the date in the nearest heading
// before it, else the meeting's first day when known.
func (p *denogPage) tableDay(table *goquery.Selection) time.Time {
	heading := table.PrevAllFiltered("h1, h2, h3, h4").First()
	if heading.Length() > 0 {
		if d, ok := nogParseDay(catalog.CleanText(heading.Text()), p.known, p.loc); ok {
			return d
		}
	}
	return p.known
}

// details reads the section below the tables: speakers' affiliations, and
// the lightning talks that only it lists (DENOG 8 and 9).
func (p *denogPage) details(doc *goquery.Document) (map[string]string, []denogHeading, []*catalog.Talk) {
	affiliations := map[string]string{}
	remember := func(people []catalog.Speaker) {
		for _, sp := range people {
			key := nogFoldName(sp.Name)
			if sp.Affiliation != "" && affiliations[key] == "" {
				affiliations[key] = sp.Affiliation
			}
		}
	}
	var lightning []*catalog.Talk
	var headings []denogHeading
	inLightning := false
	doc.Find("h2, h3, strong").Each(func(_ int, s *goquery.Selection) {
		if s.Closest("table").Length() > 0 {
			return
		}
		text := catalog.CleanText(s.Text())
		switch goquery.NodeName(s) {
		case "h2", "h3":
			if m := p.re.quotedHeading.FindStringSubmatch(text); m != nil {
				remember(ParseSpeakers(m[2]))
				headings = append(headings, denogHeading{title: m[1], who: m[2]})
				return
			}
			if goquery.NodeName(s) == "h2" {
				inLightning = strings.HasPrefix(strings.ToLower(text), "lightning talk")
				return
			}
			if inLightning {
				if title, who, ok := nogCutLast(text, " - "); ok {
					lightning = append(lightning, &catalog.Talk{Title: title, Speakers: ParseSpeakers(who)})
				}
			}
		case "strong":
			em, links := nogFollowingEm(s, p.sourceURL)
			if em == "" {
				return
			}
			people := denogDetailPeople(em)
			remember(people)
			if inLightning && s.Find("a[name]").Length() == 0 {
				lightning = append(lightning, &catalog.Talk{Title: text, Speakers: people, Links: links})
			}
		}
	})
	return affiliations, headings, lightning
}

// nogFollowingEm finds the <em> naming the speakers after a DENOG9 detail
// title, and the links between the two; "" when the <strong> is not such a
// title.
func nogFollowingEm(s *goquery.Selection, base string) (string, []catalog.Link) {
	var links []catalog.Link
	em := ""
	for n := s.Nodes[0].NextSibling; n != nil; n = n.NextSibling {
		if n.Type != html.ElementNode {
			continue
		}
		if n.Data == "strong" || n.Data == "h2" || n.Data == "h3" || n.Data == "p" {
			break
		}
		sel := goquery.NewDocumentFromNode(n).Selection
		if n.Data == "a" {
			if l, ok := nogLinkFor(sel, base); ok {
				links = append(links, l)
			}
			continue
		}
		if n.Data == "em" {
			em = catalog.CleanText(sel.Text())
			break
		}
	}
	return em, links
}

// denogDetailPeople reads DENOG9's "Name, Org", "A and B, OrgA and OrgB"
// and "Name, Org / Org": everything after the first comma is affiliation,
// paired with the names when both are lists of the same length.
func denogDetailPeople(s string) []catalog.Speaker {
	names, orgs, _ := strings.Cut(s, ", ")
	people := ParseSpeakers(names)
	perPerson := strings.Split(orgs, " and ")
	for i := range people {
		switch {
		case orgs == "":
		case len(people) > 1 && len(perPerson) == len(people):
			people[i].Affiliation = strings.TrimSpace(perPerson[i])
		default:
			people[i].Affiliation = strings.TrimSpace(orgs)
		}
	}
	return people
}

// denogPeople drops what the speaker column holds that is not a person: a
// company ("Infoblox"), the organisers ("DENOG Orga"), "N.N.".
func denogPeople(people []catalog.Speaker) []catalog.Speaker {
	out := people[:0]
	for _, sp := range people {
		name := catalog.CleanText(sp.Name)
		lower := strings.ToLower(name)
		if !strings.Contains(name, " ") || strings.HasPrefix(lower, "denog") || lower == "n.n." {
			continue
		}
		out = append(out, sp)
	}
	return out
}

// titleText is a title cell's text without the "(PDF)" links DENOG9
// puts next to the title, nor their "(PDFs am Ende der Seite)" note.
func (p *denogPage) titleText(cell *goquery.Selection) string {
	c := cell.Clone()
	c.Find("a").Each(func(_ int, a *goquery.Selection) {
		if _, ok := nogLinkKindOf(a.AttrOr("href", "")); ok || nogFileLinkText(a.Text()) {
			a.Remove()
		}
	})
	text := nogCellText(c)
	text = p.re.emptyParens.ReplaceAllString(text, "")
	return denogUnquote(text)
}

// denogNotATalk matches rows that are not talks: breaks, meals,
// registration, opening and closing, social events, the association's
// meetings, and the "Lightning Talks" slot whose talks are listed elsewhere.
//
// Opening, welcome and closing slots are matched as whole titles ("DENOG13
// Opening", "Closing Day 1", "Workshop opening & introduction", "Welcome
// Notes", "Opening/Welcome Words") so that a talk which merely starts with
// such a word ("Opening up the looking glass", "Closing the gap …") stays a
// talk.
func denogNotATalk() *regexp.Regexp {
	const slot = `^(?:(?:denog\s*\d*|workshop|conference|meeting)\s+)?(?:opening|welcome|closing)(?:\s*(?:/|&|and|und)\s*(?:opening|welcome|closing))*` +
		`(?:\s+(?:notes?|talk|remarks|words|session|day\s*\d+|tag\s*\d+|(?:&|and|und)\s+(?:introduction|einführung|recap)|to\s+denog\s*\d*|denog\s*\d*))*$`
	return regexp.MustCompile(slot +
		`|^(lightning talks?\b|abschluss\b|newcomer\b|introduction to venueless|social$)` +
		`|registration|anmeldung|coffee|kaffee|pause\b|\bbreak\b|lunch|mittagessen|abendessen|dinner` +
		`|social event|get ?together|begrüßung|eröffnung|vereinsgründung|mitglieder\s*versammlung|general meeting|farewell|denog\d* closing`)
}

// denogPlaceholder matches the slots of an agenda drafted before its talks
// were chosen (DENOG11's grid, DENOG12's first agenda): "Talk", "Talks",
// "Workshops", "TBD", "End".
func denogPlaceholder() *regexp.Regexp {
	return regexp.MustCompile(placeholderPattern)
}

// denogHasPlaceholderSlots reports whether any table cell of the page is a
// placeholder slot.
func denogHasPlaceholderSlots(doc *goquery.Document, placeholder *regexp.Regexp) bool {
	found := false
	doc.Find("td").EachWithBreak(func(_ int, c *goquery.Selection) bool {
		found = placeholder.MatchString(strings.ToLower(catalog.CleanText(c.Text())))
		return !found
	})
	return found
}

// denogPretalxWidget finds the pretalx schedule a page embeds: DENOG13 and
// later write <pretalx-schedule event-url=…>, DENOG12's talks page the
// older <pretalx-schedule-widget event=…>. via names the element.
func denogPretalxWidget(doc *goquery.Document) (delegate, via string, ok bool) {
	for _, w := range []struct{ element, attr string }{
		{"pretalx-schedule", "event-url"},
		{"pretalx-schedule-widget", "event"},
	} {
		if u := strings.TrimSpace(doc.Find(w.element+"["+w.attr+"]").First().AttrOr(w.attr, "")); u != "" {
			return u, "<" + w.element + ">", true
		}
	}
	return "", "", false
}

func denogPathPattern() *regexp.Regexp {
	return regexp.MustCompile(`^/(?:de|en)/meetings/denog(\d+)/(?:agenda|recordings|programm\d*|zeitplan|talks)(?:/|\.html)?$`)
}

func denogDayHeader() *regexp.Regexp {
	return regexp.MustCompile(`^\d{1,2}\.\d{1,2}\.(\d{4})?$`)
}

func nogQuotedHeading() *regexp.Regexp {
	// `"Title" - Speaker, Org`; DENOG3 once left out the dash.
	return regexp.MustCompile(`^["“„](.+?)["”“]\s*(?:[-–]\s*)?(.*)$`)
}

func nogTrailingParens() *regexp.Regexp {
	return regexp.MustCompile(`^(.*\S)\s*\(([^()]+)\)$`)
}

func nogEmptyParens() *regexp.Regexp {
	return regexp.MustCompile(`\(\s*[,;]?\s*\)|\(PDFs? am Ende der Seite\)`)
}

func nogTimeRange() *regexp.Regexp {
	return regexp.MustCompile(`^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$`)
}

// denogEditionNumber reads "9", "denog9", "DENOG 9".
func denogEditionNumber(edition string) (int, bool) {
	s := strings.TrimSpace(strings.ToLower(edition))
	s = strings.TrimSpace(strings.TrimPrefix(s, "denog"))
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 999 {
		return 0, false
	}
	return n, true
}

func denogEditionURL(n int) string {
	switch n {
	case denogRecordingsOnly:
		return "https://www.denog.de/de/meetings/denog12/recordings/"
	case 10:
		// DENOG10's program lives on its slides and recordings page.
		return "https://www.denog.de/de/meetings/denog10/programm2/"
	case 11:
		// DENOG11 has no agenda page, only this timetable; it names no
		// talks, and Parse says so.
		return "https://www.denog.de/de/meetings/denog11/zeitplan/"
	case 13:
		// DENOG13's agenda is its talks page, which embeds pretalx (with
		// speakers). Its recordings page lists the same talks without
		// speakers; it is left out because pretalx's talks are keyed by
		// pretalx's ids and would not merge with them.
		return "https://www.denog.de/de/meetings/denog13/talks/"
	}
	return fmt.Sprintf("https://www.denog.de/de/meetings/denog%d/agenda/", n)
}

// denogPageEdition finds the meeting number in the page title ("DENOG 2 -
// AGENDA"), else the edition asked for, else the URL.
func denogPageEdition(doc *goquery.Document, page Page) (int, bool) {
	if m := regexp.MustCompile(`(?i)\bDENOG\s*(\d+)\b`).FindStringSubmatch(doc.Find("title").First().Text()); m != nil {
		return denogEditionNumber(m[1])
	}
	if n, ok := denogEditionNumber(page.Edition); ok {
		return n, true
	}
	if u, err := url.Parse(page.URL); err == nil {
		if e, ok := (denogAdapter{}).Match(u); ok {
			return denogEditionNumber(e)
		}
	}
	return 0, false
}

// denogMeetingStart is the first day of meetings whose agenda page does
// not carry its dates (DENOG 1–5 give only times; DENOG12 gives day and
// month). The dates are from the meetings' announcements; zero when not
// known, and the talks then have no start.
func denogMeetingStart(n int) time.Time {
	loc, err := time.LoadLocation(denogTimeZone)
	if err != nil {
		return time.Time{}
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	switch n {
	case 1:
		return day(2009, time.November, 5)
	case 2:
		return day(2010, time.November, 4)
	case 3:
		return day(2011, time.October, 20)
	case 5:
		return day(2013, time.November, 14)
	case 7:
		return day(2015, time.October, 29)
	case 8:
		return day(2016, time.November, 23)
	case 9:
		return day(2017, time.November, 23)
	case 10:
		return day(2018, time.November, 21)
	case 12:
		return day(2020, time.November, 9)
	case 13:
		return day(2021, time.November, 8)
	}
	return time.Time{}
}

// nogParseDay reads a day heading: "Tag 1 - 23.11.2016", "2017-11-24", or
// "Monday, November 9th" (the year then comes from known).
func nogParseDay(s string, known time.Time, loc *time.Location) (time.Time, bool) {
	if m := regexp.MustCompile(`\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b`).FindStringSubmatch(s); m != nil {
		return nogDateOf(m[3], m[2], m[1], loc)
	}
	if m := regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`).FindStringSubmatch(s); m != nil {
		return nogDateOf(m[1], m[2], m[3], loc)
	}
	if known.IsZero() {
		return time.Time{}, false
	}
	m := regexp.MustCompile(`(?i)\b(january|february|march|april|may|june|july|august|september|october|november|december|januar|februar|märz|mai|juni|juli|oktober|dezember)\s+(\d{1,2})(?:st|nd|rd|th|\.)?\b`).FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	month, ok := nogMonthNumber(strings.ToLower(m[1]))
	if !ok {
		return time.Time{}, false
	}
	d, _ := strconv.Atoi(m[2])
	return time.Date(known.Year(), month, d, 0, 0, 0, 0, loc), true
}

func nogMonthNumber(name string) (time.Month, bool) {
	switch name {
	case "januar":
		return time.January, true
	case "februar":
		return time.February, true
	case "märz":
		return time.March, true
	case "mai":
		return time.May, true
	case "juni":
		return time.June, true
	case "juli":
		return time.July, true
	case "oktober":
		return time.October, true
	case "dezember":
		return time.December, true
	}
	for m := time.January; m <= time.December; m++ {
		if strings.ToLower(m.String()) == name {
			return m, true
		}
	}
	return 0, false
}

func nogDateOf(year, month, day string, loc *time.Location) (time.Time, bool) {
	y, _ := strconv.Atoi(year)
	m, _ := strconv.Atoi(month)
	d, _ := strconv.Atoi(day)
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc), true
}

// nogClockOn puts "9:30" on day in loc; false when either is missing.
func nogClockOn(day time.Time, clock string, loc *time.Location) (time.Time, bool) {
	if day.IsZero() {
		return time.Time{}, false
	}
	hours, minutes, ok := strings.Cut(nogClockText(clock), ":")
	if !ok || len(hours) < 1 || len(hours) > 2 || len(minutes) != 2 {
		return time.Time{}, false
	}
	h, errH := strconv.Atoi(hours)
	mi, errM := strconv.Atoi(minutes)
	if errH != nil || errM != nil || h < 0 || mi < 0 || h > 23 || mi > 59 {
		return time.Time{}, false
	}
	return time.Date(day.Year(), day.Month(), day.Day(), h, mi, 0, 0, loc), true
}

// nogClockText writes the clock forms the pages use ("9:30", "10.30h",
// "0915", "14.00 Uhr") as "H:MM".
func nogClockText(clock string) string {
	s := strings.ToLower(strings.TrimSpace(clock))
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "uhr"), "h"))
	s = strings.Replace(s, ".", ":", 1)
	if len(s) == 4 && strings.Trim(s, "0123456789") == "" {
		s = s[:2] + ":" + s[2:]
	}
	return s
}

// nogCellText is an element's text with <br> read as a line break, so that
// "A,<br>B" stays two names. A missing cell (a short row) has no text.
func nogCellText(s *goquery.Selection) string {
	if s == nil {
		return ""
	}
	c := s.Clone()
	c.Find("br").ReplaceWithHtml("\n")
	return catalog.CleanText(c.Text())
}

// nogRowLinks collects a row's slide, video and other links, resolved against
// the page; in-page anchors are not links to keep.
func nogRowLinks(row *goquery.Selection, base string) []catalog.Link {
	links := []catalog.Link{}
	row.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		if l, ok := nogLinkFor(a, base); ok {
			links = append(links, l)
		}
	})
	return links
}

func nogLinkFor(a *goquery.Selection, base string) (catalog.Link, bool) {
	href := strings.TrimSpace(a.AttrOr("href", ""))
	if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(strings.ToLower(href), "mailto:") {
		return catalog.Link{}, false
	}
	if b, err := url.Parse(base); err == nil && base != "" {
		if r, err := b.Parse(href); err == nil {
			href = r.String()
		}
	}
	kind, ok := nogLinkKindOf(href)
	if !ok {
		kind = catalog.LinkOther
	}
	return catalog.Link{Kind: kind, URL: href}, true
}

// nogLinkKindOf tells slides and videos by their address alone (DENOG's
// link texts are "PDF" or the title); false for anything else.
func nogLinkKindOf(href string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return "", false
	}
	kind := linkKindOf(u, "")
	return kind, kind != ""
}

func nogFileLinkText(s string) bool {
	switch strings.ToLower(catalog.CleanText(s)) {
	case "pdf", "pptx", "slides", "folien", "video":
		return true
	}
	return false
}

// nogAllNamesLook reports whether every parsed speaker has at least a first
// and a last name, so that "Traffic Engineering (CaTE)" keeps its acronym.
func nogAllNamesLook(people []catalog.Speaker) bool {
	if len(people) == 0 {
		return false
	}
	for _, p := range people {
		if len(strings.Fields(p.Name)) < 2 || p.Affiliation != "" {
			return false
		}
	}
	return true
}

// nogCutLast splits s at the last sep.
func nogCutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(sep):]), true
}

// nogFoldName makes "Hans-Jörg Kolbe" and "Hans-Joerg Kolbe" the same key.
func nogFoldName(name string) string {
	name = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "ae", "Ö", "oe", "Ü", "ue").Replace(name)
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 {
			b.WriteRune(r)
		}
	}
	return b.String()
}
