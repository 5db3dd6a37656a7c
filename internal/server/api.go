package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/talkdex/talkdex/internal/catalog"
)

// Request bodies of the API writes. Pointers tell a missing field from a
// zero value, so that {} is rejected rather than read as stars=0.
type (
	ratingRequest struct {
		Stars *int `json:"stars"`
	}
	noteRequest struct {
		Text *string `json:"text"`
	}
	watchedRequest struct {
		Watched *bool `json:"watched"`
	}
)

// eventTalksPerPage is how many talks one page of an event lists: an
// event's whole programme usually fits.
const eventTalksPerPage = catalog.MaxPerPage

func (s *Server) apiSearchTalks(c echo.Context) error {
	values, err := queryValues(c)
	if err != nil {
		return err
	}
	req, err := parseSearchRequest(values)
	if err != nil {
		return err
	}
	res, err := s.searchTalks(c.Request().Context(), req)
	if err != nil {
		return fmt.Errorf("search talks: %w", err)
	}
	if res.Hits == nil {
		res.Hits = []catalog.SearchHit{}
	}
	return c.JSON(http.StatusOK, res)
}

func (s *Server) apiGetTalk(c echo.Context) error {
	id, err := pathID(c, "talk")
	if err != nil {
		return err
	}
	return s.respondTalk(c, id)
}

func (s *Server) apiSetRating(c echo.Context) error {
	id, err := pathID(c, "talk")
	if err != nil {
		return err
	}
	var body ratingRequest
	if err := decodeJSONBody(c, &body); err != nil {
		return err
	}
	if body.Stars == nil {
		return catalogInvalid(`field "stars" is required: {"stars": %d..%d}`, catalog.MinStars, catalog.MaxStars)
	}
	if err := s.svc.SetRating(c.Request().Context(), id, *body.Stars); err != nil {
		return fmt.Errorf("rate talk %d: %w", id, err)
	}
	return s.respondTalk(c, id)
}

func (s *Server) apiClearRating(c echo.Context) error {
	id, err := pathID(c, "talk")
	if err != nil {
		return err
	}
	if err := s.svc.ClearRating(c.Request().Context(), id); err != nil {
		return fmt.Errorf("clear rating of talk %d: %w", id, err)
	}
	return s.respondTalk(c, id)
}

func (s *Server) apiSetNote(c echo.Context) error {
	id, err := pathID(c, "talk")
	if err != nil {
		return err
	}
	var body noteRequest
	if err := decodeJSONBody(c, &body); err != nil {
		return err
	}
	if body.Text == nil {
		return catalogInvalid(`field "text" is required: {"text": "markdown"}; an empty string clears the note`)
	}
	if err := s.svc.SetNote(c.Request().Context(), id, *body.Text); err != nil {
		return fmt.Errorf("set note of talk %d: %w", id, err)
	}
	return s.respondTalk(c, id)
}

func (s *Server) apiSetWatched(c echo.Context) error {
	id, err := pathID(c, "talk")
	if err != nil {
		return err
	}
	var body watchedRequest
	if err := decodeJSONBody(c, &body); err != nil {
		return err
	}
	if body.Watched == nil {
		return catalogInvalid(`field "watched" is required: {"watched": true}`)
	}
	if err := s.svc.SetWatched(c.Request().Context(), id, *body.Watched); err != nil {
		return fmt.Errorf("set watched of talk %d: %w", id, err)
	}
	return s.respondTalk(c, id)
}

// respondTalk answers with the talk as stored, so that a write's response
// shows what the catalog now holds.
func (s *Server) respondTalk(c echo.Context, id int64) error {
	talk, err := s.svc.FindTalkByID(c.Request().Context(), id)
	if err != nil {
		return fmt.Errorf("find talk %d: %w", id, err)
	}
	return c.JSON(http.StatusOK, talk)
}

func (s *Server) apiListSeries(c echo.Context) error {
	series, err := s.svc.ListSeries(c.Request().Context())
	if err != nil {
		return fmt.Errorf("list series: %w", err)
	}
	if series == nil {
		series = []*catalog.Series{}
	}
	return c.JSON(http.StatusOK, map[string]any{"series": series})
}

func (s *Server) apiListEvents(c echo.Context) error {
	filter, err := parseEventFilter(c)
	if err != nil {
		return err
	}
	events, err := s.svc.ListEvents(c.Request().Context(), filter)
	if err != nil {
		return fmt.Errorf("list events: %w", err)
	}
	if events == nil {
		events = []*catalog.Event{}
	}
	return c.JSON(http.StatusOK, map[string]any{"events": events})
}

func parseEventFilter(c echo.Context) (catalog.EventFilter, error) {
	values, err := queryValues(c)
	if err != nil {
		return catalog.EventFilter{}, err
	}
	q := cleanSearchValues(values)
	filter := catalog.EventFilter{Series: q.Get(paramSeries)}
	filter.Year, err = singleInt(q, paramYear)
	return filter, err
}

// eventTalksResponse is GET /api/v1/events/{id}: the event and one page of
// its talks in time order.
type eventTalksResponse struct {
	Event   *catalog.Event  `json:"event"`
	Talks   []*catalog.Talk `json:"talks"`
	Total   int             `json:"total"`
	Page    int             `json:"page"`
	PerPage int             `json:"per_page"`
}

func (s *Server) apiGetEvent(c echo.Context) error {
	resp, err := s.eventTalks(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, resp)
}

// eventTalks loads the event named by :id and the page of its talks named by
// ?page=. Talks are found by search, filtered on the event's series and name.
func (s *Server) eventTalks(c echo.Context) (*eventTalksResponse, error) {
	id, err := pathID(c, "event")
	if err != nil {
		return nil, err
	}
	values, err := queryValues(c)
	if err != nil {
		return nil, err
	}
	page, err := pageParam(cleanSearchValues(values))
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	event, err := s.svc.FindEventByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("find event %d: %w", id, err)
	}
	req := catalog.SearchRequest{
		Filter:  catalog.TalkFilter{Series: []string{event.Series}, Event: []string{event.Name}},
		Sort:    catalog.SortOldest,
		Page:    page,
		PerPage: eventTalksPerPage,
	}
	if err := req.Normalize(); err != nil {
		return nil, err
	}
	res, err := s.searchTalks(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("list talks of event %d: %w", id, err)
	}
	talks := make([]*catalog.Talk, 0, len(res.Hits))
	for _, hit := range res.Hits {
		if hit.Talk != nil {
			talks = append(talks, hit.Talk)
		}
	}
	return &eventTalksResponse{Event: event, Talks: talks, Total: res.Total, Page: req.Page, PerPage: req.PerPage}, nil
}

func (s *Server) apiOpenAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, s.openapi)
}

// healthResponse is GET /healthz: "ok", or "degraded" while searches are
// answered from the database (the index is being rebuilt, or its rebuild
// failed), plus the catalog's counts and the index state.
type healthResponse struct {
	Status string `json:"status"`
	*catalog.Stats
}

func (s *Server) healthz(c echo.Context) error {
	stats, err := s.svc.Stats(c.Request().Context())
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	status := "ok"
	if stats.Index == "rebuilding" || stats.Index == "failed" {
		status = "degraded"
	}
	return c.JSON(http.StatusOK, healthResponse{Status: status, Stats: stats})
}

// apiSuggest completes what a user is typing into the search box.
func (s *Server) apiSuggest(c echo.Context) error {
	values, err := queryValues(c)
	if err != nil {
		return err
	}
	limit := defaultSuggestions
	if raw := values.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxSuggestions {
			return catalogInvalid("limit %q is not a whole number from 1 to %d", raw, maxSuggestions)
		}
		limit = n
	}
	q := values.Get(paramQuery)
	if len(q) > maxSuggestQuery {
		return catalogInvalid("q is %d bytes; completions take at most %d", len(q), maxSuggestQuery)
	}
	found, err := s.svc.Suggest(c.Request().Context(), q, limit)
	if err != nil {
		return fmt.Errorf("suggest %q: %w", q, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"suggestions": found})
}

// Bounds of GET /api/v1/suggest.
const (
	defaultSuggestions = 8
	maxSuggestions     = 50
	maxSuggestQuery    = 500
)

// apiRelatedTalks lists talks like the given one.
func (s *Server) apiRelatedTalks(c echo.Context) error {
	id, err := pathID(c, "talk")
	if err != nil {
		return err
	}
	values, err := queryValues(c)
	if err != nil {
		return err
	}
	limit := defaultRelated
	if raw := values.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxRelated {
			return catalogInvalid("limit %q is not a whole number from 1 to %d", raw, maxRelated)
		}
		limit = n
	}
	talks, err := s.svc.RelatedTalks(c.Request().Context(), id, limit)
	if err != nil {
		return fmt.Errorf("related talks of %d: %w", id, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"talks": talks})
}

// Bounds of GET /api/v1/talks/{id}/related and the talk page's list.
const (
	defaultRelated = 5
	maxRelated     = 20
)
