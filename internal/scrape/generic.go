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

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/publicsuffix"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/formats"
)

// GenericSource is the source name of talks the heuristic extractor found.
const GenericSource = "generic"

// Generic scrapes a page no adapter claims. Structured data wins: a URL that
// is a schedule export, a pretalx or Indico event, a page embedding a
// pretalx schedule or JSON-LD events, or a page linking an ICS file, a
// pretalx export, an Indico event or a Sessionize API feed goes to the
// format readers. Only a page with none of these is read by the heuristic
// agenda extractor (see ParseGeneric). Result.Path says which it was.
func Generic(ctx context.Context, f *Fetcher, rawURL string) (*Result, error) {
	u, err := parseFetchURL(rawURL)
	if err != nil {
		return nil, err
	}
	_, isAPI := pretalxAPIURL(u)
	_, isIndico := indicoExportURL(u)
	if isAPI || isIndico {
		return genericDiscover(ctx, f, u.String(), "", naming{})
	}
	resp, err := f.Get(ctx, u.String())
	if err != nil {
		return nil, err
	}
	if !isHTML(resp) {
		format, err := formats.Detect(head(resp.Body))
		if err != nil {
			return nil, catalog.Errorf(catalog.EINVALID, "%s is neither a web page nor a schedule talkdex can read: %s", resp.FinalURL, catalog.ErrorMessage(err))
		}
		d := &Discovery{URL: resp.FinalURL, Route: "schedule export", Format: format, Body: resp.Body}
		return genericResult(ctx, d, "", naming{})
	}
	return genericPage(ctx, f, resp.FinalURL, resp.Body, naming{})
}

// naming is the series and event a caller already knows the talks belong
// to (a site adapter's edition); empty fields are named after the page.
// ownSite follows schedule links only to the page's own site: a site-wide
// "add to calendar" link elsewhere is no program of that edition.
type naming struct {
	series, event string
	ownSite       bool
}

// genericPage reads an HTML page's talks the generic way: an embedded
// pretalx schedule, embedded structured data, a link to a schedule export,
// and only then the heuristic extractor. A nil fetcher reads a saved page:
// what would need the network is skipped, and the path says so.
func genericPage(ctx context.Context, f *Fetcher, pageURL string, body []byte, names naming) (*Result, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "%s is not readable HTML: %v", pageURL, err)
	}
	// A saved page has no address; relative links then stay relative and
	// are not followed.
	page := &url.URL{}
	if u, err := url.Parse(pageURL); err == nil {
		page = u
	}
	var note string
	if event, how, ok := pretalxEventOf(doc, page); ok {
		if f == nil {
			note = " (its pretalx schedule " + event.String() + " needs the network)"
		} else {
			d, err := pretalxExport(ctx, f, event, how)
			if err != nil {
				return nil, err
			}
			return genericResult(ctx, d, "", names)
		}
	}
	if format, err := formats.Detect(head(body)); err == nil {
		d := &Discovery{URL: pageURL, Route: "page with embedded talk data (" + format + ")", Format: format, Body: body}
		return genericResult(ctx, d, "", names)
	}
	if link, kind, ok := scheduleLink(doc, page); ok && (!names.ownSite || sameSite(link, page)) {
		if f == nil {
			note += fmt.Sprintf(" (its link to %s %s needs the network)", kind, link)
		} else {
			r, err := genericDiscover(ctx, f, link, "the page's link to "+kind, names)
			if err == nil {
				return r, nil
			}
			// A dead or unreadable link is no reason to give up on the
			// page itself; the path says why the link was not used.
			note += fmt.Sprintf(" (its link to %s %s failed: %s)", kind, link, catalog.ErrorMessage(err))
		}
	}
	r := genericExtract(doc, page, names)
	r.Path = "generic " + r.Path + note
	return r, nil
}

// sameSite reports whether link is on page's site: the same registered
// domain (pretalx.denog.de and www.denog.de are).
func sameSite(link string, page *url.URL) bool {
	u, err := url.Parse(link)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Hostname(), page.Hostname()) {
		return true
	}
	a, errA := publicsuffix.EffectiveTLDPlusOne(u.Hostname())
	b, errB := publicsuffix.EffectiveTLDPlusOne(page.Hostname())
	return errA == nil && errB == nil && strings.EqualFold(a, b)
}

// ParseGeneric runs the heuristic agenda extractor on a page body without
// the network; pageURL ("" for a saved file) resolves relative links.
func ParseGeneric(ctx context.Context, pageURL string, body []byte) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "page is not readable HTML: %v", err)
	}
	var page *url.URL
	if pageURL != "" {
		page, _ = url.Parse(pageURL)
	}
	return genericExtract(doc, page, naming{}), nil
}

func genericDiscover(ctx context.Context, f *Fetcher, target, via string, names naming) (*Result, error) {
	d, err := Discover(ctx, f, target)
	if err != nil {
		return nil, err
	}
	return genericResult(ctx, d, via, names)
}

func genericResult(ctx context.Context, d *Discovery, via string, names naming) (*Result, error) {
	talks, err := readDiscovery(ctx, d, names.series, names.event)
	if err != nil {
		return nil, err
	}
	path := "generic: structured data, " + describeDiscovery(d)
	if via != "" {
		path += " found through " + via
	}
	r := &Result{Talks: talks, Path: path}
	if len(talks) > 0 {
		r.Series, r.Event = talks[0].Series, talks[0].Event
	}
	return r, nil
}

// scheduleLink finds the first link on the page to structured schedule
// data: an ICS calendar, a pretalx schedule export, an Indico event or a
// Sessionize API feed.
func scheduleLink(doc *goquery.Document, page *url.URL) (link, kind string, ok bool) {
	doc.Find("a[href], link[href]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		href, _ := s.Attr("href")
		href = strings.TrimSpace(href)
		if strings.HasPrefix(strings.ToLower(href), "webcal://") {
			href = "https://" + href[len("webcal://"):]
		}
		u, err := page.Parse(href)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return true
		}
		p := strings.ToLower(u.Path)
		switch {
		case strings.HasSuffix(p, ".ics") || strings.EqualFold(u.Query().Get("format"), "ics"):
			kind = "an ICS calendar"
		case strings.Contains(p, "/schedule/export/"):
			kind = "a pretalx schedule export"
		case strings.HasSuffix(strings.ToLower(u.Hostname()), "sessionize.com") && strings.HasPrefix(p, "/api/v2/"):
			kind = "a Sessionize API feed"
		default:
			if _, isIndico := indicoExportURL(u); isIndico {
				kind = "an Indico event"
			}
		}
		if kind != "" {
			u.Fragment = ""
			link = u.String()
			return false
		}
		return true
	})
	return link, kind, kind != ""
}

// genericTimePattern matches a slot time, "09:30", "9.30", "14h00", optionally a
// range "09:30-10:15".
const genericTimePattern = `\b([01]?\d|2[0-3])[:.h]([0-5]\d)\b(?:\s*(?:-|–|—|to|bis)\s*([01]?\d|2[0-3])[:.h]([0-5]\d)\b)?`

// genericSkipPattern matches slots that are not talks.
const genericSkipPattern = `(?i)(\blunch|\bcoffee\b|\bbreak\b|\bbreakfast\b|\bregistration\b|\bdinner\b|\breception\b|\bsocial\b|\bget[- ]together\b|\bnetworking break\b|^\s*(welcome|opening|closing|end of day|doors open)\b)`

// genericDatePattern matches day headings: "2015-09-18", "18th September 2015",
// "September 18, 2015".
const genericDatePattern = `(?i)\b(\d{4})-(\d{2})-(\d{2})\b|\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(\d{4})\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`

// placeholderPattern matches, in lower case, the slots of an agenda drafted
// before its talks were chosen: "Talk", "Workshops", "TBA", "N.N.".
const placeholderPattern = `^\W*(talks?|vortrag|workshops?|session|tb[ade]|n\.\s*n\.?|end|to be (announced|confirmed|determined)|slot \d*)\W*$`

// genericLabelPattern matches link texts that label a resource rather than
// name the talk.
const genericLabelPattern = `(?i)^\W*(slides?|folien|video|recording|pdf|youtube|vimeo|download|abstract|details|more|link)\W*$`

// genericExtractor holds one extraction's compiled patterns and state.
type genericExtractor struct {
	page    *url.URL
	series  string
	event   string
	timeRE  *regexp.Regexp
	skipRE  *regexp.Regexp
	dateRE  *regexp.Regexp
	labelRE *regexp.Regexp
	// placeholderRE matches the slots of a draft agenda: "Talk", "TBA".
	placeholderRE *regexp.Regexp
	byRE          *regexp.Regexp
	speakerH      *regexp.Regexp // a header naming the speaker column
	titleH        *regexp.Regexp // a header naming the title column
	people        map[string]bool
	// Selectors compiled once an extraction rather than once a cell.
	titleSel  goquery.Matcher
	linkSel   goquery.Matcher
	anchors   goquery.Matcher
	day       time.Time // the date of the latest day heading, zero if none
	seen      map[string]bool
	wallClock map[*catalog.Talk]wallClock
	talks     []*catalog.Talk
	slots     int        // time-bearing rows looked at
	skipped   int        // of which breaks and the like
	repeated  int        // of which the same row met again
	table     *html.Node // the table the column roles below belong to
	width     int        // the current table's widest row, in columns
	speakerC  int        // speaker column of the current table, -1 if none
	titleC    int        // title column of the current table, -1 if none
}

// genericExtract reads agenda tables and lists: every table row, list item
// or paragraph that carries a time is a slot; its other cells or text give
// the title, speakers and slide/video links. Breaks, meals, registration
// and opening/closing slots are left out. A slot's time range gives the
// duration, and a dated day heading the year; no start is set, as a plain
// page names no time zone.
func genericExtract(doc *goquery.Document, page *url.URL, names naming) *Result {
	x := &genericExtractor{
		page:          page,
		timeRE:        regexp.MustCompile(genericTimePattern),
		skipRE:        regexp.MustCompile(genericSkipPattern),
		dateRE:        regexp.MustCompile(genericDatePattern),
		labelRE:       regexp.MustCompile(genericLabelPattern),
		placeholderRE: regexp.MustCompile(placeholderPattern),
		byRE:          regexp.MustCompile(`(?i)^by\s+`),
		speakerH:      regexp.MustCompile(`\b(speakers?|presenters?|referent(en|in)?|who|vortragende)\b`),
		titleH:        regexp.MustCompile(`\b(title|titel|talk|topic|thema|session|presentation|vortrag)\b`),
		people:        map[string]bool{},
		titleSel:      cascadia.MustCompile("strong, b, h2, h3, h4, h5, h6, a, em, span.title, .title"),
		linkSel:       cascadia.MustCompile("a[href]"),
		anchors:       cascadia.MustCompile("a"),
		seen:          map[string]bool{},
		wallClock:     map[*catalog.Talk]wallClock{},
		speakerC:      -1,
		titleC:        -1,
	}
	x.event, x.series = names.event, names.series
	if x.event == "" {
		x.event = genericEventName(doc)
	}
	if x.series == "" {
		x.series = genericSeriesName(x.event)
	}
	doc.Find("h1, h2, h3, h4, h5, h6, caption, tr, li, p, dt").Each(func(_ int, s *goquery.Selection) {
		switch goquery.NodeName(s) {
		case "h1", "h2", "h3", "h4", "h5", "h6", "caption", "dt":
			if d, ok := x.parseDate(s.Text()); ok {
				x.day = d
			}
			if goquery.NodeName(s) == "dt" {
				x.block(s, "")
			}
		case "tr":
			x.row(s)
		case "li":
			if s.Find("li, table").Length() == 0 {
				x.block(s, "")
			}
		case "p":
			if s.ParentsFiltered("li, td, th").Length() == 0 {
				x.block(s, "")
			}
		}
	})
	return &Result{
		Series:    x.series,
		Event:     x.event,
		Talks:     x.talks,
		wallClock: x.wallClock,
		Path:      fmt.Sprintf("heuristic agenda extractor: %d talks from %d timed slots, %d breaks and the like and %d repeated rows left out", len(x.talks), x.slots, x.skipped, x.repeated),
	}
}

// row reads one table row: a header row sets the column roles; a row with
// a time is a slot holding either one talk in title/speaker columns or one
// talk a cell (parallel tracks).
func (x *genericExtractor) row(tr *goquery.Selection) {
	cells := tr.ChildrenFiltered("td, th")
	if cells.Length() == 0 {
		return
	}
	if t := tr.Closest("table"); t.Length() > 0 && t.Nodes[0] != x.table {
		x.table, x.titleC, x.speakerC = t.Nodes[0], -1, -1
		x.width = tableWidth(t)
	}
	if cells.Length() == tr.ChildrenFiltered("th").Length() {
		x.header(cells)
		return
	}
	timeCell := -1
	var texts []string
	cells.Each(func(i int, c *goquery.Selection) {
		t := catalog.CleanText(c.Text())
		texts = append(texts, t)
		if timeCell < 0 && t != "" && len(x.timeRE.ReplaceAllString(t, "")) <= len(t)/3 && x.timeRE.MatchString(t) {
			timeCell = i
		}
	})
	if timeCell < 0 {
		// Perhaps the time is inside the only content cell.
		if cells.Length() == 1 {
			x.block(cells.First(), "")
		}
		return
	}
	slot := texts[timeCell]
	var others []int
	for i, t := range texts {
		if i != timeCell && t != "" {
			others = append(others, i)
		}
	}
	if len(others) == 0 {
		return
	}
	if x.titleC >= 0 && x.titleC < len(texts) && texts[x.titleC] != "" {
		speakers := ""
		if x.speakerC >= 0 && x.speakerC < len(texts) {
			speakers = texts[x.speakerC]
		}
		x.talk(slot, texts[x.titleC], speakers, cells)
		return
	}
	// Two cells whose second reads as names are a title and its speakers;
	// agendas put them in that order far more often than they run exactly
	// two tracks of talks whose titles read like names.
	// A grid wider than time, title, speakers and material is one track a
	// column, where a short title can read like a name too.
	if len(others) == 2 && x.width <= 4 && x.looksLikePeople(texts[others[1]]) {
		title := x.cellTitle(cells.Eq(others[0]))
		if title == "" {
			title = texts[others[0]]
		}
		x.talk(slot, title, texts[others[1]], cells)
		return
	}
	for _, i := range others {
		x.block(cells.Eq(i), slot)
	}
}

// tableWidth is the number of columns of a table's widest row.
func tableWidth(table *goquery.Selection) int {
	width := 0
	table.Find("tr").Each(func(_ int, tr *goquery.Selection) {
		if tr.Closest("table").Nodes[0] != table.Nodes[0] {
			return // a nested table's row
		}
		n := 0
		tr.ChildrenFiltered("td, th").Each(func(_ int, c *goquery.Selection) {
			span, err := strconv.Atoi(c.AttrOr("colspan", "1"))
			if err != nil || span < 1 {
				span = 1
			}
			n += span
		})
		width = max(width, n)
	})
	return width
}

// header notes which columns hold titles and speakers.
func (x *genericExtractor) header(cells *goquery.Selection) {
	x.titleC, x.speakerC = -1, -1
	cells.Each(func(i int, c *goquery.Selection) {
		h := strings.ToLower(catalog.CleanText(c.Text()))
		switch {
		case x.speakerC < 0 && x.speakerH.MatchString(h):
			x.speakerC = i
		case x.titleC < 0 && x.titleH.MatchString(h):
			x.titleC = i
		}
	})
	if x.speakerC < 0 {
		x.titleC = -1 // a title column alone says nothing the cells do not
	}
}

// block reads a talk from one element: a list item, paragraph or table
// cell. slot is the time of the row it is in, or "" to look for one in the
// element's own text.
func (x *genericExtractor) block(s *goquery.Selection, slot string) {
	text := catalog.CleanText(s.Text())
	if slot == "" {
		m := x.timeRE.FindStringIndex(text)
		if m == nil || m[0] > 12 { // a time must lead the line, not be quoted in it
			return
		}
		slot = text[m[0]:m[1]]
	}
	title := x.cellTitle(s)
	rest := x.timeRE.ReplaceAllString(text, "")
	// Resource labels ("slides", "video") are no part of a speaker list.
	s.FindMatcher(x.anchors).Each(func(_ int, a *goquery.Selection) {
		if label := catalog.CleanText(a.Text()); x.isLabel(label) {
			if i := strings.LastIndex(rest, label); i >= 0 {
				rest = rest[:i] + rest[i+len(label):]
			}
		}
	})
	rest = catalog.CleanText(rest)
	speakers := ""
	if title != "" {
		if i := strings.Index(rest, title); i >= 0 {
			before := strings.Trim(rest[:i], " -–—:|,")
			after := strings.Trim(rest[i+len(title):], " -–—:|,")
			after = strings.TrimSpace(x.byRE.ReplaceAllString(after, ""))
			switch {
			case after != "" && x.looksLikePeople(after):
				speakers = after
			case before != "" && x.looksLikePeople(before):
				speakers = before
			}
		}
	} else {
		title = strings.Trim(rest, " -–—:|,")
		for _, sep := range []string{" — ", " – ", " by ", " By "} {
			if i := strings.LastIndex(title, sep); i > 0 && x.looksLikePeople(title[i+len(sep):]) {
				title, speakers = strings.TrimSpace(title[:i]), title[i+len(sep):]
				break
			}
		}
	}
	x.talk(slot, title, speakers, s)
}

// cellTitle picks the talk title inside an element: its first emphasised
// or linked text that is not a resource label ("Slides"), or else its first
// line.
func (x *genericExtractor) cellTitle(s *goquery.Selection) string {
	title := ""
	s.FindMatcher(x.titleSel).EachWithBreak(func(_ int, e *goquery.Selection) bool {
		t := catalog.CleanText(e.Text())
		if t == "" || x.isLabel(t) || x.timeRE.MatchString(t) && len(x.timeRE.ReplaceAllString(t, "")) < 3 {
			return true
		}
		title = t
		return false
	})
	if title != "" {
		return title
	}
	// Else the first line: text up to the first <br>.
	var b strings.Builder
	done := false
	for n := range s.Nodes[0].Descendants() {
		if done {
			break
		}
		switch {
		case n.Type == html.ElementNode && n.Data == "br" && strings.TrimSpace(b.String()) != "":
			done = true
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		}
	}
	first := catalog.CleanText(x.timeRE.ReplaceAllString(b.String(), ""))
	if first == catalog.CleanText(x.timeRE.ReplaceAllString(s.Text(), "")) {
		return "" // one line only: let the caller split it
	}
	return strings.Trim(first, " -–—:|,")
}

// isLabel reports whether a link text labels a resource ("Slides").
func (x *genericExtractor) isLabel(s string) bool {
	return s != "" && len(s) <= 24 && x.labelRE.MatchString(s)
}

// isBreak reports whether a slot title is a break, meal, registration or
// the like. The keyword test spares most titles the regexp.
func (x *genericExtractor) isBreak(title string) bool {
	lower := strings.ToLower(title)
	if x.placeholderRE.MatchString(lower) {
		// A slot of an agenda drafted before its talks were chosen.
		return true
	}
	for _, k := range []string{"lunch", "coffee", "break", "registration", "dinner", "reception", "social", "together", "welcome", "opening", "closing", "end of day", "doors open"} {
		if strings.Contains(lower, k) {
			return x.skipRE.MatchString(title)
		}
	}
	return false
}

// talk records one slot unless it is a break or a repeat.
func (x *genericExtractor) talk(slot, title, speakers string, scope *goquery.Selection) {
	x.slots++
	title = catalog.CleanText(title)
	if title == "" || x.isLabel(title) {
		return
	}
	if x.isBreak(title) {
		x.skipped++
		return
	}
	key := GenericSource + ":" + x.event + ":" + catalog.NormalizeTitle(title)
	if x.seen[key] {
		// A title seen before in another time slot is another session
		// ("Lightning Talks" on two days); the same title in the same slot
		// is the same row met twice (a day table and a track table).
		key += "@" + x.day.Format("2006-01-02") + "/" + strings.TrimSpace(slot)
		if x.seen[key] || strings.TrimSpace(slot) == "" {
			x.repeated++
			return
		}
	}
	x.seen[key] = true
	t := &catalog.Talk{
		Series:   x.series,
		Event:    x.event,
		Title:    title,
		Speakers: x.speakers(speakers),
		Links:    x.links(scope),
		Source:   catalog.Source{Name: GenericSource, Key: key},
	}
	if x.page != nil {
		t.Source.URL = x.page.String()
	}
	minute := -1
	if m := x.timeRE.FindStringSubmatch(slot); m != nil {
		h, _ := strconv.Atoi(m[1])
		mi, _ := strconv.Atoi(m[2])
		if h < 24 && mi < 60 {
			minute = h*60 + mi
		}
		if m[3] != "" {
			eh, _ := strconv.Atoi(m[3])
			em, _ := strconv.Atoi(m[4])
			if d := (eh*60 + em) - (h*60 + mi); d > 0 {
				t.DurationMinutes = d
			}
		}
	}
	// A plain page gives wall-clock times but never its zone, and a start
	// in a guessed zone would be wrong by hours with no sign of it; so the
	// day heading gives only the year, and the date and time are kept for
	// Result.PlaceInZone, for when the user names the zone.
	if !x.day.IsZero() {
		t.Year = x.day.Year()
	}
	t.Normalize()
	if t.Validate() != nil {
		return
	}
	x.talks = append(x.talks, t)
	if !x.day.IsZero() && minute >= 0 {
		x.wallClock[t] = wallClock{day: x.day, minute: minute}
	}
}

// links collects slide and video links (and one page link) inside scope.
func (x *genericExtractor) links(scope *goquery.Selection) []catalog.Link {
	var links []catalog.Link
	seen := map[string]bool{}
	scope.FindMatcher(x.linkSel).Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u, err := url.Parse(strings.TrimSpace(href))
		if err != nil {
			return
		}
		if x.page != nil {
			u = x.page.ResolveReference(u)
		}
		if u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "" {
			return
		}
		target := u.String()
		if target == "" || strings.HasPrefix(target, "#") || seen[target] {
			return
		}
		seen[target] = true
		label := strings.ToLower(catalog.CleanText(a.Text()))
		lower := strings.ToLower(target)
		kind := catalog.LinkPage
		switch {
		case strings.Contains(lower, "youtube.com") || strings.Contains(lower, "youtu.be") || strings.Contains(lower, "vimeo.com") ||
			strings.Contains(label, "video") || strings.Contains(label, "recording") || strings.HasSuffix(lower, ".mp4"):
			kind = catalog.LinkVideo
		case strings.HasSuffix(lower, ".pdf") || strings.HasSuffix(lower, ".pptx") || strings.Contains(lower, "slideshare") ||
			strings.Contains(lower, "speakerdeck") || strings.Contains(label, "slide") || strings.Contains(label, "folien"):
			kind = catalog.LinkSlides
		}
		links = append(links, catalog.Link{Kind: kind, URL: target})
	})
	return links
}

// looksLikePeople reports whether s reads as a list of people rather than a
// title: every part ParseSpeakers finds is a short name without digits.
func (x *genericExtractor) looksLikePeople(s string) bool {
	s = catalog.CleanText(s)
	if v, ok := x.people[s]; ok {
		return v
	}
	v := x.peopleUncached(s)
	x.people[s] = v
	return v
}

func (x *genericExtractor) peopleUncached(s string) bool {
	if s == "" || len(s) > 200 || strings.ContainsAny(s, "?!:;\"") {
		return false
	}
	people := ParseSpeakers(s)
	if len(people) == 0 {
		return false
	}
	for _, p := range people {
		words := strings.Fields(p.Name)
		if len(words) < 2 || len(words) > 5 || strings.ContainsAny(p.Name, "0123456789") {
			return false
		}
		for _, w := range words {
			if r := []rune(w)[0]; !strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜÅÆØÉÈÁÀÇŁŚŽČvdlu'", r) && !(r >= 'A' && r <= 'Z') {
				return false
			}
		}
	}
	return true
}

func (x *genericExtractor) speakers(s string) []catalog.Speaker {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return ParseSpeakers(s)
}

// parseDate reads a day heading's date.
func (x *genericExtractor) parseDate(s string) (time.Time, bool) {
	m := x.dateRE.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	var y, d int
	var mon time.Month
	switch {
	case m[1] != "":
		y, _ = strconv.Atoi(m[1])
		mi, _ := strconv.Atoi(m[2])
		mon = time.Month(mi)
		d, _ = strconv.Atoi(m[3])
	case m[4] != "":
		d, _ = strconv.Atoi(m[4])
		mon = genericMonth(m[5])
		y, _ = strconv.Atoi(m[6])
	default:
		mon = genericMonth(m[7])
		d, _ = strconv.Atoi(m[8])
		y, _ = strconv.Atoi(m[9])
	}
	if mon < 1 || mon > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	return time.Date(y, mon, d, 0, 0, 0, 0, time.UTC), true
}

func genericMonth(s string) time.Month {
	i := strings.Index("janfebmaraprmayjunjulaugsepoctnovdec", strings.ToLower(s)[:3])
	if i < 0 || i%3 != 0 {
		return 0
	}
	return time.Month(i/3 + 1)
}

// genericEventName names the event after the page: the first part of its
// <title> or an <h1> that is more than a word like "Schedule".
func genericEventName(doc *goquery.Document) string {
	generic := regexp.MustCompile(`(?i)^\s*(the\s+)?(schedule|agenda|program|programme|talks|sessions|timetable|home|index|fahrplan|tagesordnung)\s*$`)
	noise := regexp.MustCompile(`(?i)\s*\b(schedule|agenda|program|programme|timetable|fahrplan)\b\s*`)
	var candidates []string
	for _, part := range regexp.MustCompile(`\s+[|–—·:-]\s+`).Split(catalog.CleanText(doc.Find("title").First().Text()), -1) {
		candidates = append(candidates, part)
	}
	doc.Find("h1").Each(func(_ int, s *goquery.Selection) {
		candidates = append(candidates, catalog.CleanText(s.Text()))
	})
	for _, c := range candidates {
		if c == "" || generic.MatchString(c) {
			continue
		}
		if name := catalog.CleanText(noise.ReplaceAllString(c, " ")); name != "" {
			return name
		}
	}
	return "Unnamed event"
}

// genericSeriesName drops a trailing year or edition number: "PyCon UK
// 2015" is an edition of "PyCon UK".
func genericSeriesName(event string) string {
	s := strings.TrimSpace(regexp.MustCompile(`\s*(\d{4}|#?\d{1,3})$`).ReplaceAllString(event, ""))
	if s == "" {
		return event
	}
	return s
}
