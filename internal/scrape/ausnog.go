package scrape

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // agenda times are read in the venue's zone on any host
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/talkdex/talkdex/internal/catalog"
)

// ausnogAdapter reads AusNOG program pages.
//
// Unchecked: no saved AusNOG page exists here. The structure assumed is the
// one AusNOG's yearly event pages are described as having — a program page
// under https://www.ausnog.net/events/ausnog-<YYYY>/program with one table a
// day (or one table with day rows): a time column, a presentation column
// whose title links to the slides, and a presenter column written
// "Name - Organisation" or "Name (Organisation)". Old pages (AusNOG-01's
// "Name - Org - Title" list) are not handled. Belief from public
// descriptions of ausnog.net (the site's node pages and attendee write-ups
// that mention "click on talk titles to download the presentations"), not a
// saved copy. Times are read in Australia/Sydney, where AusNOG meets.
type ausnogAdapter struct{}

func (ausnogAdapter) Info() SourceInfo {
	return SourceInfo{
		Name:        "ausnog",
		Series:      "AusNOG",
		URLPatterns: []string{"https://www.ausnog.net/events/ausnog-<YYYY>/program"},
		Editions:    "2023 → AusNOG 2023",
	}
}

func (ausnogAdapter) EditionURLs(edition string) ([]string, error) {
	year, err := yearEdition("ausnog", edition, 2007)
	if err != nil {
		return nil, err
	}
	return []string{fmt.Sprintf("https://www.ausnog.net/events/ausnog-%d/program", year)}, nil
}

func (ausnogAdapter) Match(u *url.URL) (string, bool) {
	if !hostIs(u, "ausnog.net") {
		return "", false
	}
	m := regexp.MustCompile(`(?i)ausnog-?(\d{4})`).FindStringSubmatch(u.Path)
	if m == nil {
		return "", false
	}
	return m[1], true
}

func (a ausnogAdapter) Parse(ctx context.Context, page Page) (*Result, error) {
	edition := page.Edition
	if edition == "" {
		edition = editionFromURL(a, page.URL)
	}
	doc, err := pageDocument("ausnog", page)
	if err != nil {
		return nil, err
	}
	if edition == "" {
		edition = firstMatch(`(?i)ausnog\s*-?\s*(\d{4})`, doc.Find("title").Text())
	}
	if edition == "" {
		return nil, catalog.Errorf(catalog.EINVALID, "ausnog: cannot tell the edition of %s; name the year, e.g. 2023", page.URL)
	}
	event := "AusNOG " + edition
	rows := readAgenda(doc, "table", agendaOptions{base: baseURL(page.URL), zone: mustZone("Australia/Sydney")})
	return &Result{
		Series: "AusNOG",
		Event:  event,
		Talks:  agendaTalks("ausnog", "AusNOG", event, yearOf(edition), page.URL, rows),
		Path:   "ausnog program table",
	}, nil
}

// The helpers below are shared by the adapters built from a site's public
// structure (ausnog, nanog, ripe, apricot, esnog, atscale): most NOG program
// pages are tables of time, title, speakers and files, or lists of items
// with the same parts.

// agendaRow is one talk as a program page shows it, before it becomes a
// catalog.Talk.
type agendaRow struct {
	title    string
	speakers []catalog.Speaker
	abstract string
	start    time.Time
	minutes  int
	room     string
	track    string
	links    []catalog.Link
}

// agendaPatterns are what a page is read with, built once a parse rather
// than once a cell.
type agendaPatterns struct {
	times   *regexp.Regexp  // clock times
	aside   *regexp.Regexp  // parenthesised asides, "(sponsored by …)"
	breaks  map[string]bool // words that make a row a break on their own
	fillers map[string]bool // words a break title may also hold
	// programme items that are no talk, by how their title starts:
	// "Welcome and Opening", "Social Event at …", "Closing Remarks"
	occasions *regexp.Regexp
	// the slots of a draft agenda, "Talk", "TBA" (lower case)
	placeholder *regexp.Regexp
}

func newAgendaPatterns() *agendaPatterns {
	set := func(words ...string) map[string]bool {
		m := make(map[string]bool, len(words))
		for _, w := range words {
			m[w] = true
		}
		return m
	}
	return &agendaPatterns{
		times: regexp.MustCompile(`(?i)\b(\d{1,2})[:.h](\d{2})\s*([ap]\.?m\.?)?`),
		aside: regexp.MustCompile(`\([^()]*\)`),
		breaks: set("break", "breaks", "coffee", "tea", "lunch", "breakfast", "registration", "registrations",
			"dinner", "refreshments", "pausa", "café", "cafe", "comida", "almuerzo", "registro", "acreditación",
			"acreditacion", "acreditaciones", "descanso", "kaffeepause", "mittagspause", "mittagessen", "registrierung"),
		fillers: set("morning", "afternoon", "networking", "comfort", "and", "y", "und", "de", "the", "light",
			"short", "long", "welcome", "badge", "pickup", "pick", "up", "snacks", "snack", "drinks", "mañana", "tarde"),
		placeholder: regexp.MustCompile(placeholderPattern),
		occasions:   regexp.MustCompile(`(?i)^\W*(welcome\s*(and|&|\+)\s*opening|opening\s*(and|&|\+)\s*welcome|(opening|closing|welcome)(\s+(remarks|address|session|words))?\W*$|(social\s+event|evening\s+social|welcome\s+(reception|drinks)|networking\s+(reception|event|drinks|social)|conference\s+dinner|social\s+dinner)(\W|$))`),
	}
}

// isBreak reports rows that are no talk: breaks, meals, registration, the
// opening and social occasions. A break's title must be made of such words
// only (asides in parentheses aside), so that "Lunch-time BGP incidents"
// stays a talk; an occasion is known by how its title starts, so that
// "Social engineering in peering" stays one too.
func (p *agendaPatterns) isBreak(title string) bool {
	if p.occasions.MatchString(title) || p.placeholder.MatchString(strings.ToLower(title)) {
		return true
	}
	t := strings.ToLower(p.aside.ReplaceAllString(title, " "))
	words := strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) })
	found := false
	for _, w := range words {
		switch {
		case p.breaks[w]:
			found = true
		case p.fillers[w]:
		default:
			return false
		}
	}
	return found
}

// agendaOptions says how to read a page's agenda tables.
type agendaOptions struct {
	pat  *agendaPatterns // nil means compile them
	base *url.URL        // resolves relative links
	zone *time.Location  // the venue's zone; nil when unknown, and then no start times are set
	date time.Time       // the day when the page names none before the first table
	year int             // completes day headings written without a year ("August 31")
}

// agendaColumns maps a table's columns to what they hold; -1 means absent.
type agendaColumns struct {
	time, title, speaker, files, room int
}

// day reads a heading's date, completing a date without a year ("Monday,
// 20 May") with opts.year when the page's edition gives one.
func (opts agendaOptions) day(text string) (time.Time, bool) {
	if d, ok := parseAgendaDate(text); ok {
		return d, true
	}
	if opts.year == 0 || len(text) > 60 {
		return time.Time{}, false
	}
	return parseAgendaDate(text + " " + strconv.Itoa(opts.year))
}

// readAgenda reads a page's agenda tables, or its list-style agenda items
// when its tables hold no talks.
func readAgenda(doc *goquery.Document, sel string, opts agendaOptions) []agendaRow {
	if opts.pat == nil {
		opts.pat = newAgendaPatterns()
	}
	if rows := readAgendaTables(doc, sel, opts); len(rows) > 0 {
		return rows
	}
	return readAgendaItems(doc, opts)
}

// readAgendaTables reads every table matching sel in document order,
// tracking the day from headings (and day rows) before and inside them.
func readAgendaTables(doc *goquery.Document, sel string, opts agendaOptions) []agendaRow {
	if opts.pat == nil {
		opts.pat = newAgendaPatterns()
	}
	var rows []agendaRow
	day := opts.date
	doc.Find("h1, h2, h3, h4, h5, " + sel).Each(func(_ int, s *goquery.Selection) {
		if !s.Is(sel) {
			if d, ok := opts.day(s.Text()); ok {
				day = d
			}
			return
		}
		if s.Find("table").Length() > 0 {
			return // a layout table around the real ones
		}
		rows = append(rows, readAgendaTable(s, opts, &day)...)
	})
	return rows
}

// agendaItemSelector matches one slot of a list-style agenda (no table):
// the class names program pages and WordPress event plugins commonly use.
const agendaItemSelector = ".agenda-item, .event-agenda-item, .agenda__item, .schedule-item, .program-item, .programme-item, .session-item, .talk-item"

// readAgendaItems reads a list-style agenda: day headings, then one element
// a slot holding a time, a title (linked to the talk's page), a description
// and speaker lines ("Speaker Name,Organisation", "Name (Org)").
func readAgendaItems(doc *goquery.Document, opts agendaOptions) []agendaRow {
	if opts.pat == nil {
		opts.pat = newAgendaPatterns()
	}
	items := agendaItemSelector
	var rows []agendaRow
	day := opts.date
	doc.Find(".agenda-date, .agenda-day, h2, h3, h4, " + items).Each(func(_ int, s *goquery.Selection) {
		if !s.Is(items) {
			if s.Closest(items).Length() > 0 {
				return // a heading inside an item is its title
			}
			if d, ok := opts.day(s.Text()); ok {
				day = d
			}
			return
		}
		if s.Find(items).Length() > 0 {
			return // a session grouping the talks that are items themselves
		}
		if row, ok := agendaItemRow(s, opts, day); ok {
			rows = append(rows, row)
		}
	})
	return rows
}

func agendaItemRow(s *goquery.Selection, opts agendaOptions, day time.Time) (agendaRow, bool) {
	titleSel := ".agenda-title, .session-title, .talk-title, .title, h3, h4, h5"
	speakerSel := ".agenda-speaker, .speaker, .presenter, .speakers, .presenters"
	title := catalog.CleanText(s.Find(titleSel).First().Text())
	if title == "" || opts.pat.isBreak(title) {
		return agendaRow{}, false
	}
	row := agendaRow{title: title}
	row.start, row.minutes = opts.pat.clock(s.Find(".agenda-time, .session-time, .time").First().Text(), day, opts.zone)
	row.abstract = catalog.CleanText(s.Find(".agenda-description, .description, .abstract").First().Text())
	row.room = catalog.CleanText(s.Find(".agenda-room, .room, .location").First().Text())
	speakers := s.Find(speakerSel)
	// In ".speakers > .speaker" only the inner elements are people.
	speakers = speakers.FilterFunction(func(_ int, sp *goquery.Selection) bool { return sp.Find(speakerSel).Length() == 0 })
	speakers.Each(func(_ int, sp *goquery.Selection) {
		text := catalog.CleanText(sp.Text())
		for _, label := range []string{"Speakers:", "Speaker:", "Speakers", "Speaker", "Presenters:", "Presenter:"} {
			if after, ok := strings.CutPrefix(text, label); ok {
				text = strings.TrimSpace(after)
				break
			}
		}
		// "Name,Organisation" in one element is one person: the comma
		// is not a list separator there.
		if name, org, ok := strings.Cut(text, ","); ok && !strings.Contains(org, ",") && looksLikePerson(strings.TrimSpace(name)) {
			row.speakers = append(row.speakers, catalog.Speaker{Name: strings.TrimSpace(name), Affiliation: strings.TrimSpace(org)})
			return
		}
		row.speakers = append(row.speakers, ParseSpeakers(text)...)
	})
	titleLinks := s.Find(titleSel).First().Find("a[href]").AddSelection(s.Find(titleSel).First().Filter("a[href]"))
	s.Find("a[href]").Each(func(_ int, link *goquery.Selection) {
		if link.Closest(speakerSel).Length() > 0 {
			return // the person's page, not the talk's
		}
		if l, ok := agendaLink(link, opts.base, titleLinks.IndexOfSelection(link) >= 0); ok {
			row.links = appendLink(row.links, l)
		}
	})
	return row, true
}

func readAgendaTable(table *goquery.Selection, opts agendaOptions, day *time.Time) []agendaRow {
	cols := agendaColumns{time: -1, title: -1, speaker: -1, files: -1, room: -1}
	var rows []agendaRow
	table.Find("tr").Each(func(_ int, tr *goquery.Selection) {
		cells := tr.ChildrenFiltered("td, th")
		if cols.title < 0 {
			if c, ok := headerColumns(cells); ok {
				cols = c
				return
			}
		}
		if cells.Length() == 1 || tr.ChildrenFiltered("th").Length() == cells.Length() {
			if d, ok := opts.day(cells.Text()); ok {
				*day = d
			}
			if cells.Length() == 1 {
				return
			}
			if _, again := headerColumns(cells); again {
				return // the header repeated for the next day
			}
		}
		use := cols
		if use.title < 0 {
			use = guessColumns(cells, opts.pat)
		}
		if row, ok := agendaRowOf(cells, use, opts, *day); ok {
			rows = append(rows, row)
		}
	})
	return rows
}

// headerColumns reads a header row; ok is false when the row is not one.
func headerColumns(cells *goquery.Selection) (agendaColumns, bool) {
	c := agendaColumns{time: -1, title: -1, speaker: -1, files: -1, room: -1}
	labels := true
	cells.Each(func(i int, cell *goquery.Selection) {
		h := strings.ToLower(catalog.CleanText(cell.Text()))
		// Column labels are short and hold no clock time; a row with a
		// "Lightning talks" title at "09:00" is not a header.
		if len(strings.Fields(h)) > 4 || strings.ContainsAny(h, "0123456789") {
			labels = false
		}
		switch {
		case h == "":
		case containsAny(h, "time", "hora", "zeit", "when"):
			setOnce(&c.time, i)
		case containsAny(h, "room", "sala", "venue", "location"):
			setOnce(&c.room, i)
		case containsAny(h, "file", "slide", "material", "download", "video", "webcast", "recording", "transparencia", "presentación", "media"):
			setOnce(&c.files, i)
		case containsAny(h, "speaker", "presenter", "ponente", "by", "who"):
			setOnce(&c.speaker, i)
		case containsAny(h, "topic", "title", "título", "titulo", "presentation", "ponencia", "session", "talk", "agenda", "programme", "program"):
			setOnce(&c.title, i)
		}
	})
	if !labels || c.title < 0 || (c.time < 0 && c.speaker < 0) {
		return c, false
	}
	return c, true
}

// guessColumns reads a table without a header: time first when it looks
// like one, then title, then speakers; links are taken from the whole row.
func guessColumns(cells *goquery.Selection, pat *agendaPatterns) agendaColumns {
	c := agendaColumns{time: -1, title: 0, speaker: -1, files: -1, room: -1}
	if cells.Length() > 1 && pat.times.MatchString(cells.First().Text()) {
		c.time, c.title = 0, 1
	}
	if c.title+1 < cells.Length() {
		c.speaker = c.title + 1
	}
	return c
}

func agendaRowOf(cells *goquery.Selection, c agendaColumns, opts agendaOptions, day time.Time) (agendaRow, bool) {
	cell := func(i int) *goquery.Selection {
		if i < 0 || i >= cells.Length() {
			return nil
		}
		return cells.Eq(i)
	}
	titleCell := cell(c.title)
	if titleCell == nil {
		return agendaRow{}, false
	}
	row := agendaRow{title: agendaTitle(titleCell)}
	if row.title == "" || opts.pat.isBreak(row.title) {
		return agendaRow{}, false
	}
	row.abstract = catalog.CleanText(titleCell.Find(".description, .text_toggle, div.abstract, p.abstract").Text())
	if sc := cell(c.speaker); sc != nil {
		row.speakers = agendaSpeakers(sc)
	}
	if tc := cell(c.time); tc != nil {
		row.start, row.minutes = opts.pat.clock(tc.Text(), day, opts.zone)
	}
	if rc := cell(c.room); rc != nil {
		row.room = catalog.CleanText(rc.Text())
	}
	titleLinks := titleCell.Find("a[href]")
	cells.Each(func(i int, s *goquery.Selection) {
		if i == c.speaker {
			return // bio and homepage links are the person's, not the talk's
		}
		s.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			inTitle := titleLinks.IndexOfSelection(a) >= 0
			if l, ok := agendaLink(a, opts.base, inTitle); ok {
				row.links = appendLink(row.links, l)
			}
		})
	})
	return row, true
}

// agendaTitle takes a title cell's title: a marked-up title element when
// there is one, else its first line of text (abstracts follow the title
// in the same cell on several sites).
func agendaTitle(cell *goquery.Selection) string {
	for _, sel := range []string{".title", ".session-title", "h3", "h4"} {
		if t := catalog.CleanText(cell.Find(sel).First().Text()); t != "" {
			return t
		}
	}
	// Bold text is the title only when the cell starts with it; bold
	// further on marks a label such as "(Keynote)".
	if t := catalog.CleanText(cell.Find("strong, b").First().Text()); t != "" && strings.HasPrefix(catalog.CleanText(cell.Text()), t) {
		return t
	}
	lines := textLines(cell, func(n *html.Node) bool {
		return n.Type == html.ElementNode && (n.Data == "div" || n.Data == "ul" || n.Data == "script" || n.Data == "style" ||
			hasClass(n, "abstract") || hasClass(n, "description") || hasClass(n, "text_toggle"))
	})
	for _, line := range lines {
		if line = catalog.CleanText(line); line != "" {
			return line
		}
	}
	return ""
}

// agendaSpeakers reads a speaker cell: one list item or line a person or
// group, each split by ParseSpeakers.
func agendaSpeakers(cell *goquery.Selection) []catalog.Speaker {
	var parts []string
	speakers := []catalog.Speaker{}
	if items := cell.Find("li, .speaker, .presenter"); items.Length() > 0 {
		items.Each(func(_ int, li *goquery.Selection) {
			c := li.Clone()
			c.Find(".bio, .text_toggle, div").Remove()
			// An item is one person, so "Name , Organisation" needs no
			// guessing whether the part after the comma is a second name.
			text := catalog.CleanText(c.Text())
			if name, org, ok := strings.Cut(text, ","); ok && looksLikePerson(strings.TrimSpace(name)) && len(ParseSpeakers(name)) == 1 && !strings.Contains(org, ",") {
				speakers = append(speakers, catalog.Speaker{Name: strings.TrimSpace(name), Affiliation: strings.Trim(strings.TrimSpace(org), ".")})
				return
			}
			parts = append(parts, text)
		})
	} else {
		parts = textLines(cell, nil)
	}
	for _, p := range parts {
		p = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(p), "Speakers:"))
		speakers = append(speakers, ParseSpeakers(p)...)
	}
	return speakers
}

// agendaLink classifies a link: recordings and slide files by their URL or
// label; a title link to anything else is the talk's page.
func agendaLink(a *goquery.Selection, base *url.URL, inTitle bool) (catalog.Link, bool) {
	href, _ := a.Attr("href")
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(strings.ToLower(href), "mailto:") || strings.HasPrefix(strings.ToLower(href), "javascript:") {
		return catalog.Link{}, false
	}
	u, err := url.Parse(href)
	if err != nil {
		return catalog.Link{}, false
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return catalog.Link{}, false
	}
	kind := linkKindOf(u, catalog.CleanText(a.Text()))
	if kind == "" {
		if !inTitle {
			return catalog.Link{}, false
		}
		kind = catalog.LinkPage
	}
	return catalog.Link{Kind: kind, URL: u.String()}, true
}

// linkKindOf says what a link points at, or "" when neither its URL nor its
// label tells. Every adapter classifies links with it.
func linkKindOf(u *url.URL, label string) string {
	host := strings.ToLower(strings.TrimPrefix(u.Hostname(), "www."))
	p := strings.ToLower(u.Path)
	l := strings.ToLower(label)
	switch {
	case containsAny(host, "youtube.com", "youtu.be", "vimeo.com"), host == "media.ccc.de",
		hasAnySuffix(p, ".mp4", ".webm", ".mov", ".m4v", ".mkv"),
		containsAny(p, "/video/", "/videos/"),
		containsAny(l, "video", "vídeo", "webcast", "recording", "watch", "youtube"):
		return catalog.LinkVideo
	case hasAnySuffix(p, ".pdf", ".ppt", ".pptx", ".key", ".odp"),
		containsAny(l, "slides", "slide", "presentation", "pdf", "transparencias", "diapositivas", "folien"),
		containsAny(p, "/presentations/", "/slides/"):
		return catalog.LinkSlides
	}
	return ""
}

// textLines is the text of a selection split where the page breaks lines
// (<br>, paragraphs, list items, blocks), leaving out subtrees skip names.
func textLines(sel *goquery.Selection, skip func(*html.Node) bool) []string {
	var lines []string
	var cur strings.Builder
	flush := func() {
		if t := catalog.CleanText(cur.String()); t != "" {
			lines = append(lines, t)
		}
		cur.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if skip != nil && skip(n) {
			return
		}
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
		case html.ElementNode:
			block := false
			switch n.Data {
			case "br":
				flush()
			case "p", "li", "div", "h1", "h2", "h3", "h4", "h5", "h6", "tr":
				block = true
				flush()
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
			if block {
				flush()
			}
		}
	}
	for _, n := range sel.Nodes {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	flush()
	return lines
}

func hasClass(n *html.Node, class string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" {
			for _, c := range strings.Fields(a.Val) {
				if c == class {
					return true
				}
			}
		}
	}
	return false
}

func appendLink(links []catalog.Link, l catalog.Link) []catalog.Link {
	for _, have := range links {
		if have.URL == l.URL {
			return links
		}
	}
	return append(links, l)
}

// isAgendaBreak is agendaPatterns.isBreak for a single title.
func isAgendaBreak(title string) bool {
	return newAgendaPatterns().isBreak(title)
}

// agendaTime reads a start (and an end, for the duration) from a time cell.
// Without a day or a zone no start is set: a wall-clock time with neither
// names no instant.
func agendaTime(s string, day time.Time, zone *time.Location) (time.Time, int) {
	return newAgendaPatterns().clock(s, day, zone)
}

// clock is agendaTime with the patterns compiled already.
func (p *agendaPatterns) clock(s string, day time.Time, zone *time.Location) (time.Time, int) {
	m := p.times.FindAllStringSubmatch(s, 2)
	if len(m) == 0 {
		return time.Time{}, 0
	}
	clock := func(g []string) (int, bool) {
		h, _ := strconv.Atoi(g[1])
		mi, _ := strconv.Atoi(g[2])
		switch strings.ToLower(strings.ReplaceAll(g[3], ".", "")) {
		case "pm":
			if h < 12 {
				h += 12
			}
		case "am":
			if h == 12 {
				h = 0
			}
		}
		return h*60 + mi, h < 24 && mi < 60
	}
	from, ok := clock(m[0])
	if !ok {
		return time.Time{}, 0
	}
	minutes := 0
	if len(m) == 2 {
		// "11:00 - 11:25 AM": an end with a meridiem and a start without
		// takes the end's.
		if m[0][3] == "" && m[1][3] != "" {
			m[0][3] = m[1][3]
			from, _ = clock(m[0])
		}
		if to, ok := clock(m[1]); ok && to > from {
			minutes = to - from
		}
	}
	if day.IsZero() || zone == nil {
		return time.Time{}, minutes
	}
	return time.Date(day.Year(), day.Month(), day.Day(), from/60, from%60, 0, 0, zone), minutes
}

// parseAgendaDate finds a calendar date in a heading or day row:
// "Monday, 4 September 2023", "September 4, 2023", "2023-09-04",
// "15 de noviembre de 2023".
func parseAgendaDate(s string) (time.Time, bool) {
	s = strings.ToLower(catalog.CleanText(s))
	if len(s) > 80 {
		return time.Time{}, false
	}
	if m := regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`).FindStringSubmatch(s); m != nil {
		if t, err := time.Parse("2006-01-02", m[0]); err == nil {
			return t, true
		}
	}
	month := `([a-zé]+)`
	dayFirst := regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?` + month + `,?\s+(?:de\s+)?(\d{4})\b`)
	if m := dayFirst.FindStringSubmatch(s); m != nil {
		if t, ok := agendaDate(m[3], m[2], m[1]); ok {
			return t, true
		}
	}
	monthFirst := regexp.MustCompile(month + `\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
	if m := monthFirst.FindStringSubmatch(s); m != nil {
		if t, ok := agendaDate(m[3], m[1], m[2]); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

func agendaDate(year, month, day string) (time.Time, bool) {
	names := [][]string{
		{"january", "enero"}, {"february", "febrero"}, {"march", "marzo"}, {"april", "abril"},
		{"may", "mayo"}, {"june", "junio"}, {"july", "julio"}, {"august", "agosto"},
		{"september", "septiembre", "setiembre", "sept"}, {"october", "octubre"}, {"november", "noviembre"}, {"december", "diciembre"},
	}
	month = strings.TrimSuffix(month, ".")
	m := 0
	for i, forms := range names {
		for _, f := range forms {
			// A full name, or its first three letters ("Sep", "Ene").
			if month == f || (len(month) == 3 && strings.HasPrefix(f, month)) {
				m = i + 1
			}
		}
	}
	y, _ := strconv.Atoi(year)
	d, _ := strconv.Atoi(day)
	if m == 0 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), true
}

// agendaTalks turns rows into normalised talks with stable source keys.
// A title that occurs twice in an event (two "Keynote" slots) gets its
// occurrence number in the key, so that both survive an upsert.
func agendaTalks(name, series, event string, year int, pageURL string, rows []agendaRow) []*catalog.Talk {
	talks := make([]*catalog.Talk, 0, len(rows))
	seen := map[string]int{}
	for _, r := range rows {
		key := name + ":" + catalog.NormalizeTitle(event) + ":" + catalog.NormalizeTitle(r.title)
		seen[key]++
		if n := seen[key]; n > 1 {
			key += "#" + strconv.Itoa(n)
		}
		t := &catalog.Talk{
			Series:          series,
			Event:           event,
			Year:            year,
			Title:           r.title,
			Speakers:        r.speakers,
			Abstract:        r.abstract,
			Start:           r.start,
			DurationMinutes: r.minutes,
			Room:            r.room,
			Track:           r.track,
			Links:           r.links,
			Source:          catalog.Source{Name: name, URL: pageURL, Key: key},
		}
		t.Normalize()
		talks = append(talks, t)
	}
	return talks
}

// pageDocument parses a page's HTML; a page that is not HTML at all is an
// EINVALID error naming the adapter.
func pageDocument(name string, page Page) (*goquery.Document, error) {
	if len(bytes.TrimSpace(page.Body)) == 0 {
		return nil, catalog.Errorf(catalog.EINVALID, "%s: page %s is empty", name, page.URL)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page.Body))
	if err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "%s: page %s is not readable HTML: %v", name, page.URL, err)
	}
	return doc, nil
}

// yearEdition checks an edition given as a year.
func yearEdition(name, edition string, first int) (int, error) {
	y, err := strconv.Atoi(strings.TrimSpace(edition))
	if err != nil || y < first || y > 2100 {
		return 0, catalog.Errorf(catalog.EINVALID, "%s edition %q is not a year; editions are named by year from %d, e.g. %d", name, edition, first, 2023)
	}
	return y, nil
}

// numberEdition checks an edition given as a meeting number.
func numberEdition(name, edition string, example int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(edition))
	if err != nil || n < 1 || n > 999 {
		return 0, catalog.Errorf(catalog.EINVALID, "%s edition %q is not a meeting number; editions are numbered, e.g. %d", name, edition, example)
	}
	return n, nil
}

// hostIs reports whether u's host is domain or a subdomain of it.
func hostIs(u *url.URL, domain string) bool {
	h := strings.ToLower(u.Hostname())
	return h == domain || strings.HasSuffix(h, "."+domain)
}

func editionFromURL(a Adapter, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	e, _ := a.Match(u)
	return e
}

func baseURL(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() {
		return nil
	}
	return u
}

func firstMatch(pattern, s string) string {
	if m := regexp.MustCompile(pattern).FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

func yearOf(s string) int {
	y, err := strconv.Atoi(firstMatch(`\b((?:19|20)\d\d)\b`, s))
	if err != nil {
		return 0
	}
	return y
}

// mustZone loads a zone compiled in through time/tzdata; the names are
// constants of this package, so a failure is a programming error.
func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("scrape: zone %q: %v", name, err))
	}
	return loc
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func hasAnySuffix(s string, suffixes ...string) bool {
	for _, suf := range suffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

func setOnce(p *int, i int) {
	if *p < 0 {
		*p = i
	}
}

// pageEdition is the edition a page is of: the one asked for, else what the
// adapter reads from the page's URL, else the first match of titlePattern
// in the page's <title>. "" when none says.
func pageEdition(a Adapter, page Page, doc *goquery.Document, titlePattern string) string {
	if page.Edition != "" {
		return page.Edition
	}
	if e := editionFromURL(a, page.URL); e != "" {
		return e
	}
	return firstMatch(titlePattern, doc.Find("title").Text())
}
