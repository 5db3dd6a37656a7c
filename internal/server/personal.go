package server

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/talkdex/talkdex/internal/catalog"
	"github.com/talkdex/talkdex/internal/feeds"
)

// Request bodies of the personal layer's API writes.
type (
	watchRequest struct {
		Status *string `json:"status"`
	}
	tagsRequest struct {
		Tags []string `json:"tags"`
	}
	revertRequest struct {
		Revision *int64 `json:"revision"`
	}
	markdownRequest struct {
		Text *string `json:"text"`
	}
	savedSearchRequest struct {
		Name    *string            `json:"name"`
		Query   string             `json:"q"`
		Filters catalog.TalkFilter `json:"filters"`
		Sort    string             `json:"sort"`
	}
)

// feedSize is how many talks a saved search's Atom feed lists: the newest
// additions, which is what a feed reader polls for.
const feedSize = 50

func (s *Server) apiSetWatch(c echo.Context) error {
	id, err := pathID(c, "talk")
	if err != nil {
		return err
	}
	var body watchRequest
	if err := decodeJSONBody(c, &body); err != nil {
		return err
	}
	if body.Status == nil {
		return catalogInvalid(`field "status" is required: {"status": "to_watch"}, "watched" or "none"`)
	}
	if err := s.svc.SetWatch(c.Request().Context(), id, *body.Status); err != nil {
		return fmt.Errorf("set watch state of talk %d: %w", id, err)
	}
	return s.respondTalk(c, id)
}

// apiTags serves PUT (replace) and POST (add) of a talk's personal tags.
func (s *Server) apiTags(replace bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c, "talk")
		if err != nil {
			return err
		}
		var body tagsRequest
		if err := decodeJSONBody(c, &body); err != nil {
			return err
		}
		if body.Tags == nil {
			return catalogInvalid(`field "tags" is required: {"tags": ["to share"]}`)
		}
		ctx := c.Request().Context()
		if replace {
			err = s.svc.SetMyTags(ctx, id, body.Tags)
		} else {
			err = s.svc.AddMyTags(ctx, id, body.Tags)
		}
		if err != nil {
			return fmt.Errorf("tag talk %d: %w", id, err)
		}
		return s.respondTalk(c, id)
	}
}

func (s *Server) apiRemoveTag(c echo.Context) error {
	id, err := pathID(c, "talk")
	if err != nil {
		return err
	}
	tag, err := pathParam(c, "tag")
	if err != nil {
		return err
	}
	if err := s.svc.RemoveMyTags(c.Request().Context(), id, []string{tag}); err != nil {
		return fmt.Errorf("untag talk %d: %w", id, err)
	}
	return s.respondTalk(c, id)
}

func (s *Server) apiListTags(c echo.Context) error {
	tags, err := s.svc.ListMyTags(c.Request().Context())
	if err != nil {
		return fmt.Errorf("list tags: %w", err)
	}
	return c.JSON(http.StatusOK, map[string]any{"tags": tags})
}

func (s *Server) apiNoteHistory(c echo.Context) error {
	id, err := pathID(c, "talk")
	if err != nil {
		return err
	}
	h, err := s.svc.NoteHistory(c.Request().Context(), id)
	if err != nil {
		return fmt.Errorf("note history of talk %d: %w", id, err)
	}
	return c.JSON(http.StatusOK, h)
}

func (s *Server) apiRevertNote(c echo.Context) error {
	id, err := pathID(c, "talk")
	if err != nil {
		return err
	}
	var body revertRequest
	if err := decodeJSONBody(c, &body); err != nil {
		return err
	}
	if body.Revision == nil {
		return catalogInvalid(`field "revision" is required: {"revision": 12}, an id from the note's history`)
	}
	if err := s.svc.RevertNote(c.Request().Context(), id, *body.Revision); err != nil {
		return fmt.Errorf("revert note of talk %d: %w", id, err)
	}
	return s.respondTalk(c, id)
}

// apiMarkdown renders a note the way the talk page will show it, for the
// note editor's preview.
func (s *Server) apiMarkdown(c echo.Context) error {
	var body markdownRequest
	if err := decodeJSONBody(c, &body); err != nil {
		return err
	}
	if body.Text == nil {
		return catalogInvalid(`field "text" is required: {"text": "markdown"}`)
	}
	if len(*body.Text) > catalog.MaxNoteBytes {
		return catalogInvalid("text is %d bytes; the limit is %d bytes", len(*body.Text), catalog.MaxNoteBytes)
	}
	return c.JSON(http.StatusOK, map[string]string{"html": string(s.markdown.Render(*body.Text))})
}

func (s *Server) apiListSavedSearches(c echo.Context) error {
	list, err := s.svc.ListSavedSearches(c.Request().Context())
	if err != nil {
		return fmt.Errorf("list saved searches: %w", err)
	}
	return c.JSON(http.StatusOK, map[string]any{"searches": list})
}

func (s *Server) apiGetSavedSearch(c echo.Context) error {
	ss, err := s.pathSavedSearch(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ss)
}

// pathSavedSearch is the saved search the :name path parameter names.
func (s *Server) pathSavedSearch(c echo.Context) (*catalog.SavedSearch, error) {
	name, err := pathParam(c, "name")
	if err != nil {
		return nil, err
	}
	return s.svc.FindSavedSearch(c.Request().Context(), name)
}

func decodeSavedSearch(c echo.Context, pathName string) (*catalog.SavedSearch, error) {
	var body savedSearchRequest
	if err := decodeJSONBody(c, &body); err != nil {
		return nil, err
	}
	ss := &catalog.SavedSearch{Query: body.Query, Filter: body.Filters, Sort: body.Sort}
	switch {
	case body.Name != nil:
		ss.Name = *body.Name
	case pathName != "":
		ss.Name = pathName
	default:
		return nil, catalogInvalid(`field "name" is required: {"name": "bgp talks", "q": "bgp", "filters": {"series": ["NANOG"]}}`)
	}
	return ss, nil
}

func (s *Server) apiCreateSavedSearch(c echo.Context) error {
	ss, err := decodeSavedSearch(c, "")
	if err != nil {
		return err
	}
	if err := s.svc.CreateSavedSearch(c.Request().Context(), ss); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, ss)
}

func (s *Server) apiUpdateSavedSearch(c echo.Context) error {
	name, err := pathParam(c, "name")
	if err != nil {
		return err
	}
	ss, err := decodeSavedSearch(c, name)
	if err != nil {
		return err
	}
	if err := s.svc.UpdateSavedSearch(c.Request().Context(), name, ss); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ss)
}

func (s *Server) apiDeleteSavedSearch(c echo.Context) error {
	name, err := pathParam(c, "name")
	if err != nil {
		return err
	}
	if err := s.svc.DeleteSavedSearch(c.Request().Context(), name); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// apiSavedSearchTalks runs a saved search; page and per_page work as in
// GET /talks.
func (s *Server) apiSavedSearchTalks(c echo.Context) error {
	ctx := c.Request().Context()
	ss, err := s.pathSavedSearch(c)
	if err != nil {
		return err
	}
	values, err := queryValues(c)
	if err != nil {
		return err
	}
	req := ss.Request()
	if req.Page, err = pageParam(values); err != nil {
		return err
	}
	if req.PerPage, err = singleInt(values, paramPerPage); err != nil {
		return err
	}
	if err := req.Normalize(); err != nil {
		return err
	}
	res, err := s.searchTalks(ctx, req)
	if err != nil {
		return fmt.Errorf("run saved search %q: %w", ss.Name, err)
	}
	if res.Hits == nil {
		res.Hits = []catalog.SearchHit{}
	}
	return c.JSON(http.StatusOK, res)
}

// savedSearchFeed is the Atom feed of a saved search: its matching talks,
// the latest additions to the catalog first.
func (s *Server) savedSearchFeed(c echo.Context) error {
	ctx := c.Request().Context()
	ss, err := s.pathSavedSearch(c)
	if err != nil {
		return err
	}
	req := ss.Request()
	req.Sort, req.PerPage = catalog.SortAdded, feedSize
	if err := req.Normalize(); err != nil {
		return err
	}
	res, err := s.searchTalks(ctx, req)
	if err != nil {
		return fmt.Errorf("run saved search %q: %w", ss.Name, err)
	}
	base := s.baseURL(c)
	entries := make([]feeds.Entry, 0, len(res.Hits))
	updated := ss.UpdatedAt
	for _, h := range res.Hits {
		entries = append(entries, feeds.Entry{Talk: h.Talk, Added: h.Talk.Added, URL: absTalkURL(base, h.Talk.ID)})
		if h.Talk.Added.After(updated) {
			updated = h.Talk.Added
		}
	}
	self := base + c.Request().URL.EscapedPath()
	info := feeds.AtomInfo{
		Title:   "talkdex: " + ss.Name,
		ID:      self,
		SelfURL: self,
		PageURL: base + "/?" + savedSearchValues(ss).Encode(),
		Updated: updated,
	}
	var buf bytes.Buffer
	if err := feeds.WriteAtom(&buf, info, entries); err != nil {
		return fmt.Errorf("write feed of %q: %w", ss.Name, err)
	}
	return c.Blob(http.StatusOK, "application/atom+xml; charset=utf-8", buf.Bytes())
}

// watchListCalendar is the iCalendar feed of the watch list's talks that
// have a start time.
func (s *Server) watchListCalendar(c echo.Context) error {
	talks, err := s.svc.WatchList(c.Request().Context())
	if err != nil {
		return fmt.Errorf("load watch list: %w", err)
	}
	base := s.baseURL(c)
	entries := make([]feeds.Entry, 0, len(talks))
	for _, t := range talks {
		entries = append(entries, feeds.Entry{Talk: t, Added: t.Added, URL: absTalkURL(base, t.ID)})
	}
	var buf bytes.Buffer
	if _, err := feeds.WriteCalendar(&buf, feeds.CalendarInfo{Name: "talkdex watch list"}, entries); err != nil {
		return fmt.Errorf("write watch list calendar: %w", err)
	}
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", buf.Bytes())
}

// baseURL is the scheme and host the client used, for the absolute links
// of feeds. With a Host check (loopback, or --allow-host) the Host is one
// of the server's own names; without one, the listen address stands in for
// a Host that nothing vouches for, so a crafted header cannot put another
// site's links into a feed a reader caches.
func (s *Server) baseURL(c echo.Context) string {
	host := c.Request().Host
	if s.allowedHosts == nil && s.cfg.Addr != "" {
		host = s.cfg.Addr
	}
	return c.Scheme() + "://" + host
}

func absTalkURL(base string, id int64) string {
	return base + "/talks/" + strconv.FormatInt(id, 10)
}

// savedSearchValues is a saved search as the search page's query string.
func savedSearchValues(ss *catalog.SavedSearch) url.Values { return ss.Request().Values() }
