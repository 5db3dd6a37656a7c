package server

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talkdex/talkdex/internal/catalog"
)

// The web UI of the personal layer: watch list, personal tags, note
// history, the "My talks" page and saved searches. Every form here works
// without JavaScript; app.js only replaces some of them with API calls.

// Paths of the pages that list the user's own talks and saved searches.
const (
	myPath       = "/my"
	searchesPath = "/searches"
)

// localRedirect returns next when it is a path on this site, else fallback.
// Forms send "next" to come back to the page they were on (a search); an
// absolute or scheme-relative URL would make the form an open redirect.
func localRedirect(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return fallback
	}
	return next
}

func myTagSearchURL(tag string) string {
	return "/?" + url.Values{paramMyTag: {tag}}.Encode()
}

// watchText describes a talk's place on the watch list.
func watchText(t *catalog.Talk) string {
	switch t.Watch {
	case catalog.WatchToWatch:
		if t.ToWatchAt.IsZero() {
			return "On your list"
		}
		return "On your list since " + formatDate(t.ToWatchAt)
	case catalog.WatchWatched:
		if t.WatchedAt.IsZero() {
			return "Watched"
		}
		return "Watched on " + formatDate(t.WatchedAt)
	default:
		return "Not on your list"
	}
}

// Watch list and tags on the talk page.

func (s *Server) formWatch(c echo.Context) error {
	id, form, err := talkForm(c)
	if err != nil {
		return err
	}
	state := form.Get("status")
	if !catalog.ValidWatchState(state) {
		err = catalogInvalid("watch status %q is not one of %s, %s or %s", state,
			catalog.WatchToWatch, catalog.WatchWatched, catalog.WatchNone)
		return s.afterFormWrite(c, id, formWatchName, err, talkFormState{})
	}
	return s.afterFormWrite(c, id, formWatchName, s.svc.SetWatch(c.Request().Context(), id, state), talkFormState{})
}

// splitTags reads the tag input: one tag, or several separated by commas.
func splitTags(raw string) []string {
	var tags []string
	for _, t := range strings.Split(raw, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}

func (s *Server) formAddTags(c echo.Context) error {
	id, form, err := talkForm(c)
	if err != nil {
		return err
	}
	raw := form.Get("tag")
	st := talkFormState{TagText: raw}
	tags := splitTags(raw)
	if len(tags) == 0 {
		return s.afterFormWrite(c, id, formTagsName, catalogInvalid("type a tag to add; separate several with commas"), st)
	}
	return s.afterFormWrite(c, id, formTagsName, s.svc.AddMyTags(c.Request().Context(), id, tags), st)
}

func (s *Server) formRemoveTag(c echo.Context) error {
	id, form, err := talkForm(c)
	if err != nil {
		return err
	}
	tag := form.Get("tag")
	if strings.TrimSpace(tag) == "" {
		return s.afterFormWrite(c, id, formTagsName, catalogInvalid("the form names no tag to remove"), talkFormState{})
	}
	return s.afterFormWrite(c, id, formTagsName, s.svc.RemoveMyTags(c.Request().Context(), id, []string{tag}), talkFormState{})
}

// Note history.

type historyPage struct {
	layout
	Talk      *catalog.Talk
	Current   template.HTML
	UpdatedAt time.Time
	Revisions []revisionView
	Error     string
}

type revisionView struct {
	ID         int64
	ReplacedAt time.Time
	Source     string
	Body       template.HTML
	Empty      bool
}

func (s *Server) pageNoteHistory(c echo.Context) error {
	id, err := pathID(c, "talk")
	if err != nil {
		return err
	}
	return s.renderHistory(c, http.StatusOK, id, "")
}

func (s *Server) renderHistory(c echo.Context, status int, id int64, message string) error {
	ctx := c.Request().Context()
	talk, err := s.svc.FindTalkByID(ctx, id)
	if err != nil {
		return fmt.Errorf("find talk %d: %w", id, err)
	}
	h, err := s.svc.NoteHistory(ctx, id)
	if err != nil {
		return fmt.Errorf("note history of talk %d: %w", id, err)
	}
	data := historyPage{
		layout:    layout{Page: pageHistoryName, Title: "Note history · " + talk.Title, CSRF: csrfToken(c)},
		Talk:      talk,
		Current:   s.markdown.Render(h.Current),
		UpdatedAt: h.UpdatedAt,
		Error:     message,
	}
	for _, r := range h.Revisions {
		data.Revisions = append(data.Revisions, revisionView{
			ID:         r.ID,
			ReplacedAt: r.ReplacedAt,
			Source:     r.Source,
			Body:       s.markdown.Render(r.Body),
			Empty:      strings.TrimSpace(r.Body) == "",
		})
	}
	return s.render(c, status, pageHistoryName, data)
}

func (s *Server) formRevertNote(c echo.Context) error {
	id, form, err := talkForm(c)
	if err != nil {
		return err
	}
	raw := form.Get("revision")
	rev, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || rev < 1 {
		err = catalogInvalid("revision %q is not a revision id", raw)
	} else {
		err = s.svc.RevertNote(c.Request().Context(), id, rev)
	}
	switch code := catalog.ErrorCode(err); {
	case err == nil:
		return c.Redirect(http.StatusSeeOther, talkURL(id))
	case code == catalog.EINVALID, code == catalog.ENOTFOUND:
		// An unknown talk is a plain 404 page; an unknown revision of a
		// known talk is shown on its history page.
		if _, findErr := s.svc.FindTalkByID(c.Request().Context(), id); findErr != nil {
			return err
		}
		return s.renderHistory(c, statusForCode(code), id, catalog.ErrorMessage(err))
	default:
		return err
	}
}

// The search page, "/" and "/my".

// personalSearchPage is the search page with the personal layer: the save
// form, and on /my the tabs of the watch list.
type personalSearchPage struct {
	searchPage
	Base       string // the page's own path: "/" or "/my"
	NextURL    string // this page, for the forms in result rows to come back to
	Tabs       []tabLink
	SaveHidden []hiddenField // the search, as the save form submits it
	SaveName   string
	SaveError  string
	Mine       bool // this is /my
}

type tabLink struct {
	Label  string
	URL    string
	Active bool
}

func (s *Server) pageSearchPersonal(c echo.Context) error {
	values, parseErr := queryValues(c)
	return s.renderSearch(c, values, parseErr, "/", searchSaveState{})
}

func (s *Server) pageMy(c echo.Context) error {
	values, parseErr := queryValues(c)
	return s.renderSearch(c, values, parseErr, myPath, searchSaveState{})
}

// searchSaveState carries a rejected "save this search" submission.
type searchSaveState struct {
	Status int
	Name   string
	Error  string
}

// renderSearch renders the search page at base ("/" or "/my"; /my always
// keeps only the user's own talks). It follows pageSearch, adding the
// personal facets' labels, the "added" sort and the save form.
func (s *Server) renderSearch(c echo.Context, raw url.Values, parseErr error, base string, save searchSaveState) error {
	values := cleanSearchValues(raw)
	mine := base == myPath
	if mine {
		values.Del(paramMine) // implied; not a chip the user could remove
	}
	rebase := func(u string) string { return rebaseSearchURL(u, base) }
	page := pageSearchName
	title := searchTitle(values.Get(paramQuery))
	if mine {
		page = pageMyName
		title = "My talks"
		if q := values.Get(paramQuery); q != "" {
			title = fmt.Sprintf("My talks: “%s”", q)
		}
	}
	data := personalSearchPage{
		searchPage: searchPage{
			layout: layout{Page: page, Title: title, CSRF: csrfToken(c)},
			Query:  values.Get(paramQuery),
			Sort:   values.Get(paramSort),
		},
		Base:      base,
		NextURL:   rebase(searchURL(values)),
		Mine:      mine,
		SaveName:  save.Name,
		SaveError: save.Error,
	}
	data.Sorts = personalSortOptions(data.Sort)
	for _, key := range append(filterParams(), paramPerPage) {
		for _, v := range values[key] {
			data.Hidden = append(data.Hidden, hiddenField{Name: key, Value: v})
		}
	}
	for _, key := range append([]string{paramQuery, paramSort}, filterParams()...) {
		for _, v := range values[key] {
			data.SaveHidden = append(data.SaveHidden, hiddenField{Name: key, Value: v})
		}
	}
	if mine {
		data.SaveHidden = append(data.SaveHidden, hiddenField{Name: paramMine, Value: "true"})
		data.Tabs = myTabs(values, time.Now())
	}
	data.Chips = personalChips(values, base)
	data.ClearURL = rebase(searchURL(keepOnly(values, paramQuery, paramSort, paramPerPage)))
	data.Filtered = data.Query != "" || len(data.Chips) > 0

	req, err := parseSearchRequest(values)
	if parseErr != nil {
		err = parseErr
	}
	req.Filter.Mine = req.Filter.Mine || mine
	var res *catalog.SearchResult
	if err == nil {
		res, err = s.searchTalks(c.Request().Context(), req)
	}
	if err != nil {
		if catalog.ErrorCode(err) != catalog.EINVALID {
			return fmt.Errorf("search talks: %w", err)
		}
		data.Error = catalog.ErrorMessage(err)
		return s.render(c, http.StatusBadRequest, pageSearchName, data)
	}

	data.Total = res.Total
	data.CloseMatches = res.CloseMatches
	if res.DidYouMean != "" {
		v := cloneValues(values)
		v.Set(paramQuery, res.DidYouMean)
		v.Del(paramPage)
		data.DidYouMean, data.DidYouMeanURL = res.DidYouMean, rebaseSearchURL(searchURL(v), base)
	}
	if len(res.Hits) > 0 {
		data.From = (req.Page-1)*req.PerPage + 1
		data.To = data.From + len(res.Hits) - 1
	}
	for _, hit := range res.Hits {
		if hit.Talk != nil {
			data.Hits = append(data.Hits, s.hitView(hit))
		}
	}
	data.Facets = facetViews(res.Facets, values)
	for i := range data.Facets {
		f := &data.Facets[i]
		f.Label = personalFacetLabel(f.Name, f.Label)
		for j := range f.Values {
			v := &f.Values[j]
			v.URL = rebase(v.URL)
			if f.Name == catalog.FacetWatch {
				v.Label = watchLabel(v.Label)
			}
		}
	}
	data.Pager = buildPager(res.Total, req.Page, req.PerPage, func(n int) string {
		v := cloneValues(values)
		v.Set(paramPage, strconv.Itoa(n))
		return rebase(searchURL(v))
	})
	status := http.StatusOK
	if save.Status != 0 {
		status = save.Status
	}
	return s.render(c, status, pageSearchName, data)
}

// rebaseSearchURL moves a search link built for "/" to base.
func rebaseSearchURL(u, base string) string {
	if base == "/" || base == "" {
		return u
	}
	if u == "/" {
		return base
	}
	if rest, ok := strings.CutPrefix(u, "/?"); ok {
		return base + "?" + rest
	}
	return u
}

func personalSortOptions(current string) []option {
	opts := sortOptions(current)
	for _, o := range opts {
		if o.Value == catalog.SortAdded {
			return opts
		}
	}
	return append(opts, option{Value: catalog.SortAdded, Label: "Recently added", Selected: current == catalog.SortAdded})
}

func personalFacetLabel(name, fallback string) string {
	switch name {
	case catalog.FacetMyTag:
		return "My tags"
	case catalog.FacetWatch:
		return "Watch list"
	default:
		return fallback
	}
}

func watchLabel(state string) string {
	switch state {
	case catalog.WatchToWatch:
		return "To watch"
	case catalog.WatchWatched:
		return "Watched"
	default:
		return state
	}
}

// personalChips lists the active filters, each with the link that drops
// it, on the page at base (/ or /my).
func personalChips(values url.Values, base string) []chip {
	var chips []chip
	for _, key := range filterParams() {
		for _, v := range values[key] {
			chips = append(chips, chip{
				Label: personalChipLabel(key, v),
				URL:   rebaseSearchURL(searchURL(withoutValue(values, key, v)), base),
			})
		}
	}
	return chips
}

func personalChipLabel(key, v string) string {
	switch key {
	case paramMyTag:
		return "My tag: " + v
	case paramWatch:
		return "Watch list: " + watchLabel(v)
	case paramWatchedSince:
		return "Watched since " + v
	case paramWatchedBefore:
		return "Watched before " + v
	case paramMine:
		if b, err := strconv.ParseBool(v); err == nil && b {
			return "My talks"
		}
	}
	return chipLabel(key, v)
}

// myTabs are the shortcuts of /my. A tab is active when the page's filters
// are exactly its own.
func myTabs(values url.Values, now time.Time) []tabLink {
	month := now.Format("2006-01")
	tabs := []struct {
		label string
		v     url.Values
	}{
		{"All my talks", url.Values{}},
		{"To watch", url.Values{paramWatch: {catalog.WatchToWatch}}},
		{"Watched this month", url.Values{paramWatch: {catalog.WatchWatched}, paramWatchedSince: {month}}},
		{"Watched", url.Values{paramWatch: {catalog.WatchWatched}}},
		{"Rated", url.Values{paramMinRating: {"1"}}},
	}
	current := keepOnly(values, filterParams()...).Encode()
	out := make([]tabLink, 0, len(tabs))
	for _, t := range tabs {
		out = append(out, tabLink{
			Label:  t.label,
			URL:    rebaseSearchURL(searchURL(t.v), myPath),
			Active: t.v.Encode() == current,
		})
	}
	return out
}

// Saved searches.

type searchesPage struct {
	layout
	Searches    []savedSearchView
	CalendarURL string
}

type savedSearchView struct {
	Name      string
	Query     string
	Filters   []string
	Sort      string
	URL       string
	FeedURL   string
	DeleteURL string
	Created   time.Time
}

// savedSearchPath is the path of a saved search below prefix, escaped the
// way Go escapes a path, so that the router sees the name unescaped.
func savedSearchPath(prefix, name, suffix string) string {
	return (&url.URL{Path: prefix + name + suffix}).EscapedPath()
}

func (s *Server) pageSavedSearches(c echo.Context) error {
	list, err := s.svc.ListSavedSearches(c.Request().Context())
	if err != nil {
		return fmt.Errorf("list saved searches: %w", err)
	}
	data := searchesPage{
		layout:      layout{Page: pageSearchesName, Title: "Saved searches", CSRF: csrfToken(c)},
		CalendarURL: "/api/v1/watchlist.ics",
	}
	for _, ss := range list {
		v := savedSearchValues(ss)
		view := savedSearchView{
			Name:      ss.Name,
			Query:     ss.Query,
			Sort:      ss.Sort,
			URL:       searchURL(v),
			FeedURL:   savedSearchPath("/api/v1/searches/", ss.Name, "/feed.atom"),
			DeleteURL: savedSearchPath(searchesPath+"/", ss.Name, "/delete"),
			Created:   ss.CreatedAt,
		}
		for _, key := range filterParams() {
			for _, x := range v[key] {
				view.Filters = append(view.Filters, personalChipLabel(key, x))
			}
		}
		data.Searches = append(data.Searches, view)
		data.Feeds = append(data.Feeds, feedLink{Title: "talkdex: " + ss.Name, URL: view.FeedURL})
	}
	return s.render(c, http.StatusOK, pageSearchesName, data)
}

// formSaveSearch stores the search the search page's save form carries. A
// name that is taken or invalid re-renders that search page with the
// message next to the form.
func (s *Server) formSaveSearch(c echo.Context) error {
	form, err := postForm(c)
	if err != nil {
		return err
	}
	base := "/"
	if form.Get("from") == myPath {
		base = myPath
	}
	values := cleanSearchValues(form)
	name := form.Get("name")
	req, err := parseSearchRequest(values)
	if err == nil {
		ss := &catalog.SavedSearch{Name: name, Query: req.Query, Filter: req.Filter, Sort: values.Get(paramSort)}
		err = s.svc.CreateSavedSearch(c.Request().Context(), ss)
	}
	switch code := catalog.ErrorCode(err); {
	case err == nil:
		return c.Redirect(http.StatusSeeOther, searchesPath)
	case code == catalog.EINVALID, code == catalog.ECONFLICT:
		save := searchSaveState{Status: statusForCode(code), Name: name, Error: catalog.ErrorMessage(err)}
		return s.renderSearch(c, values, nil, base, save)
	default:
		return fmt.Errorf("save search %q: %w", name, err)
	}
}

func (s *Server) formDeleteSavedSearch(c echo.Context) error {
	name, err := pathParam(c, "name")
	if err != nil {
		return err
	}
	if err := s.svc.DeleteSavedSearch(c.Request().Context(), name); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, searchesPath)
}
