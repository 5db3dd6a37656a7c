package scrape

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/talkdex/talkdex/internal/catalog"
)

// NZNOG publishes a talks page per conference on nznog.org, rendered from
// Markdown in one of three layouts:
//
//   - 2020: a table Speaker | Affiliation | Title;
//   - 2022: "## Speaker" then the affiliation, then each talk as an
//     italic title line followed by its abstract (one speaker may have two);
//   - 2024–: "### Speaker - Title", then "**Affiliation**", then the
//     abstract. In 2024 some headings separate speaker and title with two
//     spaces instead of " - ".
//
// The pages carry no times: they list accepted talks, not the schedule.
const (
	nznogName     = "nznog"
	nznogSeries   = "NZNOG"
	nznogFixtures = "nznog-2020-talks.md, nznog-2022-talks.md, nznog-2024-talks.md, nznog-2025-talks.md (Jekyll sources of nznog.org, rendered)"
	// nznogFirstYear bounds the editions: NZNOG has met yearly since 1999.
	nznogFirstYear = 1999
	nznogLastYear  = 2100
)

// nznogAdapter reads nznog.org talk lists. It keeps no state.
type nznogAdapter struct{}

func (nznogAdapter) Info() SourceInfo {
	return SourceInfo{
		Name:           nznogName,
		Series:         nznogSeries,
		URLPatterns:    []string{"https://nznog.org/conferences/nznog-<YEAR>/talks"},
		Editions:       "YEAR → NZNOG <YEAR> (e.g. 2024 → NZNOG 2024)",
		Checked:        true,
		CheckedAgainst: nznogFixtures,
	}
}

func (nznogAdapter) EditionURLs(edition string) ([]string, error) {
	year, ok := nznogEditionYear(edition)
	if !ok {
		return nil, catalog.Errorf(catalog.EINVALID, "NZNOG edition %q is not a year; editions are named by year, %d to now (e.g. 2024 for NZNOG 2024)", edition, nznogFirstYear)
	}
	return []string{nznogEditionURL(year)}, nil
}

func (nznogAdapter) Match(u *url.URL) (string, bool) {
	if u == nil {
		return "", false
	}
	if strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") != "nznog.org" {
		return "", false
	}
	m := regexp.MustCompile(`^/conferences/nznog-(\d{4})/talks(?:/|\.html)?$`).FindStringSubmatch(strings.ToLower(u.Path))
	if m == nil {
		return "", false
	}
	return m[1], true
}

func (nznogAdapter) Parse(ctx context.Context, page Page) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page.Body))
	if err != nil {
		return nil, catalog.Errorf(catalog.EINVALID, "NZNOG page %s is not readable HTML: %v", page.URL, err)
	}
	year, ok := nznogPageYear(doc, page)
	if !ok {
		return nil, catalog.Errorf(catalog.EINVALID, "NZNOG page %s names no conference year (no \"NZNOG <YEAR>\" in its title, URL or edition)", page.URL)
	}
	p := nznogPage{event: fmt.Sprintf("NZNOG %d", year), year: year, sourceURL: page.URL, seen: map[string]int{}}
	if p.sourceURL == "" {
		p.sourceURL = nznogEditionURL(year)
	}
	res := &Result{Series: nznogSeries, Event: p.event}
	content := nznogContent(doc)
	switch {
	case p.table(content):
		res.Path = "nznog talk table"
	case content.Find("h3").Length() > 0:
		p.speakerTitleHeadings(content)
		res.Path = "nznog \"### Speaker - Title\" list"
	default:
		p.speakerSections(content)
		res.Path = "nznog \"## Speaker\" sections"
	}
	res.Talks = p.talks
	return res, nil
}

// nznogPage is the state of one Parse call.
type nznogPage struct {
	event     string
	year      int
	sourceURL string
	seen      map[string]int // source keys already used, for titles given twice
	talks     []*catalog.Talk
}

func (p *nznogPage) add(t *catalog.Talk) {
	t.Series, t.Event, t.Year = nznogSeries, p.event, p.year
	t.Source = catalog.Source{Name: nznogName, URL: p.sourceURL}
	t.Normalize()
	if t.Title == "" || nznogPlaceholder(t.Title) {
		return
	}
	key := nznogName + ":" + p.event + ":" + catalog.NormalizeTitle(t.Title)
	// Two talks may share a title ("Update"); the second keeps a key of
	// its own rather than overwriting the first on upsert.
	p.seen[key]++
	if n := p.seen[key]; n > 1 {
		key += " " + strconv.Itoa(n)
	}
	t.Source.Key = key
	p.talks = append(p.talks, t)
}

// table reads the 2020 layout; false when the page has no such table.
func (p *nznogPage) table(content *goquery.Selection) bool {
	found := false
	content.Find("table").EachWithBreak(func(_ int, table *goquery.Selection) bool {
		speakerCol, affCol, titleCol := -1, -1, -1
		table.Find("tr").First().Find("th, td").Each(func(i int, c *goquery.Selection) {
			switch strings.ToLower(catalog.CleanText(c.Text())) {
			case "speaker", "speakers", "presenter":
				speakerCol = i
			case "affiliation", "organisation", "organization", "company":
				affCol = i
			case "title", "talk", "topic":
				titleCol = i
			}
		})
		if titleCol < 0 {
			return true
		}
		found = true
		table.Find("tr").Each(func(_ int, row *goquery.Selection) {
			cells := row.Find("td")
			if cells.Length() == 0 {
				return // the header
			}
			text := func(col int) string {
				if col < 0 || col >= cells.Length() {
					return ""
				}
				return nogCellText(cells.Eq(col))
			}
			t := &catalog.Talk{Title: text(titleCol), Speakers: ParseSpeakers(text(speakerCol)), Links: nogRowLinks(row, p.sourceURL)}
			nznogAffiliate(t.Speakers, text(affCol))
			p.add(t)
		})
		return false
	})
	return found
}

// speakerTitleHeadings reads the 2024– layout.
func (p *nznogPage) speakerTitleHeadings(content *goquery.Selection) {
	content.Find("h3").Each(func(_ int, h *goquery.Selection) {
		who, title, ok := nogSplitSpeakerTitle(h.Text())
		if !ok {
			return
		}
		t := &catalog.Talk{Title: title, Speakers: ParseSpeakers(who), Links: []catalog.Link{}}
		var abstract []string
		affiliation := ""
		for s := h.Next(); s.Length() > 0 && !s.Is("h1, h2, h3"); s = s.Next() {
			if org, ok := nznogAffiliationLine(s); ok && affiliation == "" && len(abstract) == 0 {
				affiliation = org
				continue
			}
			t.Links = append(t.Links, nogRowLinks(s, p.sourceURL)...)
			if text := strings.TrimSpace(s.Text()); text != "" {
				abstract = append(abstract, text)
			}
		}
		nznogAffiliate(t.Speakers, affiliation)
		t.Abstract = strings.Join(abstract, "\n\n")
		p.add(t)
	})
}

// speakerSections reads the 2022 layout: each "## Speaker" section holds
// an affiliation line and one or more italic talk titles, each followed by
// its abstract.
func (p *nznogPage) speakerSections(content *goquery.Selection) {
	content.Find("h2").Each(func(_ int, h *goquery.Selection) {
		speakers := ParseSpeakers(h.Text())
		affiliation := ""
		var current *catalog.Talk
		var abstract []string
		flush := func() {
			if current != nil {
				current.Abstract = strings.Join(abstract, "\n\n")
				p.add(current)
			}
			current, abstract = nil, nil
		}
		for s := h.Next(); s.Length() > 0 && !s.Is("h1, h2"); s = s.Next() {
			if title, ok := nogItalicLine(s); ok {
				flush()
				people := append([]catalog.Speaker(nil), speakers...)
				current = &catalog.Talk{Title: title, Speakers: people, Links: []catalog.Link{}}
				nznogAffiliate(current.Speakers, affiliation)
				continue
			}
			if current == nil {
				// Before the first title: the affiliation, under an
				// optional "**Video presentation**" note.
				if affiliation == "" {
					affiliation = nznogSectionAffiliation(s)
				}
				continue
			}
			current.Links = append(current.Links, nogRowLinks(s, p.sourceURL)...)
			if text := strings.TrimSpace(s.Text()); text != "" {
				abstract = append(abstract, text)
			}
		}
		flush()
	})
}

// nogSplitSpeakerTitle splits "Speaker - Title" at the first dash set off by
// spaces, or, failing that, at the first run of two spaces ("Dean
// Pemberton/ Aaron Murrihy  Reannz-cassini malware disruption"): whichever
// comes first, so that a dash inside the title does not count.
func nogSplitSpeakerTitle(heading string) (who, title string, ok bool) {
	heading = strings.ReplaceAll(heading, "\u00a0", " ")
	m := regexp.MustCompile(`^\s*(.+?)(?:\s*[-–—]\s+|\s{2,})(\S.*?)\s*$`).FindStringSubmatch(heading)
	if m == nil {
		return "", "", false
	}
	return m[1], strings.TrimSpace(m[2]), true
}

// nznogAffiliationLine recognises "**Affiliation**" (or "***Affiliation***")
// on a line of its own.
func nznogAffiliationLine(s *goquery.Selection) (string, bool) {
	if !s.Is("p") {
		return "", false
	}
	strong := s.Find("strong")
	if strong.Length() != 1 {
		return "", false
	}
	text := catalog.CleanText(s.Text())
	if text == "" || text != catalog.CleanText(strong.Text()) {
		return "", false
	}
	return text, true
}

// nogItalicLine recognises a paragraph that is all one <em>: a 2022 title.
func nogItalicLine(s *goquery.Selection) (string, bool) {
	if !s.Is("p") {
		return "", false
	}
	em := s.ChildrenFiltered("em")
	if em.Length() != 1 {
		return "", false
	}
	text := catalog.CleanText(s.Text())
	if text == "" || text != catalog.CleanText(em.Text()) {
		return "", false
	}
	return text, true
}

// nznogSectionAffiliation is the affiliation in a 2022 paragraph, without
// the "Video presentation" note that may share its line.
func nznogSectionAffiliation(s *goquery.Selection) string {
	if !s.Is("p") {
		return ""
	}
	c := s.Clone()
	c.Find("strong").Each(func(_ int, st *goquery.Selection) {
		if strings.Contains(strings.ToLower(st.Text()), "presentation") {
			st.Remove()
		}
	})
	text := catalog.CleanText(c.Text())
	// An affiliation is a name, not a sentence.
	if len(strings.Fields(text)) > 8 || strings.HasSuffix(text, ".") {
		return ""
	}
	return text
}

// nznogAffiliate gives every speaker without an affiliation the one the
// page states for them all.
func nznogAffiliate(speakers []catalog.Speaker, affiliation string) {
	affiliation = catalog.CleanText(affiliation)
	for i := range speakers {
		if speakers[i].Affiliation == "" {
			speakers[i].Affiliation = affiliation
		}
	}
}

// nznogContent narrows the page to its main content when the layout marks
// it, so that site navigation headings are not read as talks.
func nznogContent(doc *goquery.Document) *goquery.Selection {
	for _, sel := range []string{"main", "article", "[role=main]"} {
		if s := doc.Find(sel).First(); s.Length() > 0 {
			return s
		}
	}
	return doc.Find("body")
}

func nznogEditionYear(edition string) (int, bool) {
	s := strings.TrimSpace(strings.ToLower(edition))
	s = strings.TrimPrefix(s, "nznog")
	s = strings.TrimLeft(s, " -")
	y, err := strconv.Atoi(s)
	if err != nil || y < nznogFirstYear || y > nznogLastYear {
		return 0, false
	}
	return y, true
}

func nznogEditionURL(year int) string {
	return fmt.Sprintf("https://nznog.org/conferences/nznog-%d/talks", year)
}

// nznogPageYear finds the conference year in the page title ("NZNOG 2024
// Talks"), else the edition asked for, else the URL.
func nznogPageYear(doc *goquery.Document, page Page) (int, bool) {
	if m := regexp.MustCompile(`(?i)\bNZNOG[\s-]*(\d{4})\b`).FindStringSubmatch(doc.Find("title").First().Text()); m != nil {
		return nznogEditionYear(m[1])
	}
	if y, ok := nznogEditionYear(page.Edition); ok {
		return y, true
	}
	if u, err := url.Parse(page.URL); err == nil {
		if e, ok := (nznogAdapter{}).Match(u); ok {
			return nznogEditionYear(e)
		}
	}
	return 0, false
}

// nznogPlaceholder reports list entries that hold a slot rather than name
// a talk ("Various updates", "TBC").
func nznogPlaceholder(title string) bool {
	switch strings.ToLower(strings.Trim(title, " .")) {
	case "tbc", "tba", "tbd", "various updates", "various", "updates":
		return true
	}
	return false
}
