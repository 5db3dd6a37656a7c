package server

import (
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/talkdex/talkdex/internal/catalog"
)

// Form names, used to show a validation message next to the form it is about.
const (
	formRatingName  = "rating"
	formNoteName    = "note"
	formWatchedName = "watched"
	formWatchName   = "watch"
	formTagsName    = "tags"
)

type talkPage struct {
	layout
	Talk        *catalog.Talk
	Abstract    []string // paragraphs, escaped by the template
	Note        template.HTML
	NoteText    string // textarea content: the stored note, or the rejected submission
	StarButtons []starButton
	FormName    string // which form FormError is about
	FormError   string
	// Preview is the rendered note text of a "Preview" submission, which
	// is shown and kept in the textarea but not saved.
	Preview     template.HTML
	HasPreview  bool
	TagText     string // the tag input: what the user typed, when it was rejected
	HistoryURL  string
	RevisionsOf int // how many earlier versions the note has
	Related     []*catalog.Talk
}

type starButton struct {
	Stars   int
	On      bool // at or below the current rating: lit
	Pressed bool // exactly the current rating
	Label   string
}

// starButtons are the five buttons of a rating widget.
func starButtons(rating int) []starButton {
	out := make([]starButton, 0, catalog.MaxStars)
	for n := catalog.MinStars; n <= catalog.MaxStars; n++ {
		label := fmt.Sprintf("Rate %d of %d stars", n, catalog.MaxStars)
		out = append(out, starButton{Stars: n, On: n <= rating, Pressed: n == rating, Label: label})
	}
	return out
}

// talkFormState is what a form submission carries back into the talk page
// it re-renders: the message, and what the user typed, so nothing is lost.
type talkFormState struct {
	FormName  string
	FormError string
	NoteText  *string
	Preview   *template.HTML
	TagText   string
}

func (s *Server) pageTalk(c echo.Context) error {
	id, err := pathID(c, "talk")
	if err != nil {
		return err
	}
	return s.renderTalk(c, http.StatusOK, id, talkFormState{})
}

// renderTalk renders the talk page with the state of a submitted form.
func (s *Server) renderTalk(c echo.Context, status int, id int64, st talkFormState) error {
	ctx := c.Request().Context()
	talk, err := s.svc.FindTalkByID(ctx, id)
	if err != nil {
		return fmt.Errorf("find talk %d: %w", id, err)
	}
	data := talkPage{
		layout:      layout{Page: pageTalkName, Title: talk.Title, CSRF: csrfToken(c)},
		Talk:        talk,
		Abstract:    paragraphs(talk.Abstract),
		Note:        s.markdown.Render(talk.Note),
		NoteText:    talk.Note,
		FormName:    st.FormName,
		FormError:   st.FormError,
		TagText:     st.TagText,
		StarButtons: starButtons(talk.Rating),
		HistoryURL:  talkURL(id) + "/history",
	}
	if st.NoteText != nil {
		data.NoteText = *st.NoteText
	}
	if st.Preview != nil {
		data.Preview, data.HasPreview = *st.Preview, true
	}
	// Related talks are a help, not the page: a failure costs the list.
	if related, err := s.svc.RelatedTalks(ctx, id, defaultRelated); err == nil {
		data.Related = related
	} else {
		s.logger.WarnContext(ctx, "find related talks", "talk", id, "err", err)
	}
	// The history link is worth showing only when there is a history; a
	// failure to read it costs the link, not the page.
	if h, err := s.svc.NoteHistory(ctx, id); err == nil {
		data.RevisionsOf = len(h.Revisions)
	} else if catalog.ErrorCode(err) == catalog.EINTERNAL {
		s.logger.WarnContext(ctx, "read note history", "talk", id, "err", err)
	}
	return s.render(c, status, pageTalkName, data)
}

// paragraphs splits plain text on blank lines.
func paragraphs(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// postForm returns the urlencoded form of a POST. The parseForm middleware
// has parsed it already; this call only matters for a route that lacks it.
func postForm(c echo.Context) (url.Values, error) {
	if err := parseRequestForm(c.Request()); err != nil {
		return nil, err
	}
	return c.Request().PostForm, nil
}

// afterFormWrite finishes a form POST: redirect back (Post/Redirect/Get) to
// the page named by the form's "next" field, or the talk page, on success;
// re-render the talk page with the message on a validation error, and leave
// everything else to the error handler.
func (s *Server) afterFormWrite(c echo.Context, id int64, formName string, err error, st talkFormState) error {
	if err == nil {
		return c.Redirect(http.StatusSeeOther, localRedirect(c.Request().PostForm.Get("next"), talkURL(id)))
	}
	if catalog.ErrorCode(err) == catalog.EINVALID {
		st.FormName, st.FormError = formName, catalog.ErrorMessage(err)
		return s.renderTalk(c, http.StatusBadRequest, id, st)
	}
	return err
}

func (s *Server) formRating(c echo.Context) error {
	id, form, err := talkForm(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if form.Get("clear") != "" {
		return s.afterFormWrite(c, id, formRatingName, s.svc.ClearRating(ctx, id), talkFormState{})
	}
	raw := form.Get("stars")
	stars, err := strconv.Atoi(raw)
	if err != nil {
		err = catalogInvalid("rating %q is not a number of stars from %d to %d", raw, catalog.MinStars, catalog.MaxStars)
		return s.afterFormWrite(c, id, formRatingName, err, talkFormState{})
	}
	return s.afterFormWrite(c, id, formRatingName, s.svc.SetRating(ctx, id, stars), talkFormState{})
}

func (s *Server) formNote(c echo.Context) error {
	id, form, err := talkForm(c)
	if err != nil {
		return err
	}
	if _, ok := form["text"]; !ok {
		return s.afterFormWrite(c, id, formNoteName, catalogInvalid("the form has no note text"), talkFormState{})
	}
	// Browsers submit textareas with CRLF line ends; store what was typed.
	text := strings.ReplaceAll(form.Get("text"), "\r\n", "\n")
	st := talkFormState{NoteText: &text}
	if form.Get("preview") != "" {
		// The page without JavaScript previews by rendering the text
		// into the page it comes back to; nothing is saved.
		if len(text) > catalog.MaxNoteBytes {
			err := catalogInvalid("the note is %d bytes; the limit is %d bytes", len(text), catalog.MaxNoteBytes)
			return s.afterFormWrite(c, id, formNoteName, err, st)
		}
		preview := s.markdown.Render(text)
		st.Preview = &preview
		return s.renderTalk(c, http.StatusOK, id, st)
	}
	return s.afterFormWrite(c, id, formNoteName, s.svc.SetNote(c.Request().Context(), id, text), st)
}

// talkForm reads the talk id of a form route and its posted form.
func talkForm(c echo.Context) (int64, url.Values, error) {
	id, err := pathID(c, "talk")
	if err != nil {
		return 0, nil, err
	}
	form, err := postForm(c)
	return id, form, err
}

func (s *Server) formWatched(c echo.Context) error {
	id, form, err := talkForm(c)
	if err != nil {
		return err
	}
	raw := form.Get("watched")
	watched, err := strconv.ParseBool(raw)
	if err != nil {
		err = catalogInvalid("watched %q is not true or false", raw)
		return s.afterFormWrite(c, id, formWatchedName, err, talkFormState{})
	}
	return s.afterFormWrite(c, id, formWatchedName, s.svc.SetWatched(c.Request().Context(), id, watched), talkFormState{})
}

type eventsPage struct {
	layout
	SeriesFilter string
	Series       []seriesLink
	AllURL       string
	Groups       []eventGroup
	Total        int
}

type seriesLink struct {
	Name   string
	Events int
	URL    string
	Active bool
}

type eventGroup struct {
	Series string
	Events []*catalog.Event
}

func (s *Server) pageEvents(c echo.Context) error {
	ctx := c.Request().Context()
	filter, err := parseEventFilter(c)
	if err != nil {
		return err
	}
	series, err := s.svc.ListSeries(ctx)
	if err != nil {
		return fmt.Errorf("list series: %w", err)
	}
	events, err := s.svc.ListEvents(ctx, filter)
	if err != nil {
		return fmt.Errorf("list events: %w", err)
	}
	title := "Events"
	if filter.Series != "" {
		title = filter.Series + " events"
	}
	data := eventsPage{
		layout:       layout{Page: pageEventsName, Title: title, CSRF: csrfToken(c)},
		SeriesFilter: filter.Series,
		AllURL:       "/events",
		Total:        len(events),
	}
	for _, sr := range series {
		data.Series = append(data.Series, seriesLink{
			Name:   sr.Name,
			Events: sr.EventCount,
			URL:    "/events?" + url.Values{paramSeries: {sr.Name}}.Encode(),
			Active: strings.EqualFold(sr.Name, filter.Series),
		})
	}
	groups := map[string]*eventGroup{}
	var names []string
	for _, ev := range events {
		g, ok := groups[ev.Series]
		if !ok {
			g = &eventGroup{Series: ev.Series}
			groups[ev.Series] = g
			names = append(names, ev.Series)
		}
		g.Events = append(g.Events, ev)
	}
	sort.Strings(names)
	for _, name := range names {
		data.Groups = append(data.Groups, *groups[name])
	}
	return s.render(c, http.StatusOK, pageEventsName, data)
}

type eventPage struct {
	layout
	Event *catalog.Event
	Talks []eventTalk
	Total int
	Pager pager
}

// eventTalk is a talk in an event's programme; Day is set on the first talk
// of each day so the template can print a heading.
type eventTalk struct {
	*catalog.Talk
	Day string
}

func (s *Server) pageEvent(c echo.Context) error {
	resp, err := s.eventTalks(c)
	if err != nil {
		return err
	}
	data := eventPage{
		layout: layout{Page: pageEventName, Title: resp.Event.Name, CSRF: csrfToken(c)},
		Event:  resp.Event,
		Total:  resp.Total,
	}
	lastDay := ""
	for _, t := range resp.Talks {
		et := eventTalk{Talk: t}
		if day := formatDayHeading(t); day != lastDay {
			et.Day, lastDay = day, day
		}
		data.Talks = append(data.Talks, et)
	}
	base := eventURL(resp.Event.ID)
	data.Pager = buildPager(resp.Total, resp.Page, resp.PerPage, func(page int) string {
		if page == 1 {
			return base
		}
		return base + "?" + url.Values{paramPage: {strconv.Itoa(page)}}.Encode()
	})
	return s.render(c, http.StatusOK, pageEventName, data)
}

func formatDayHeading(t *catalog.Talk) string {
	if t.Start.IsZero() {
		return "Unscheduled"
	}
	return t.Start.Format("Monday 2 January 2006")
}

// plainText turns a highlight fragment back into the text it marks up.
func plainText(fragment string) string {
	fragment = strings.ReplaceAll(fragment, "<mark>", "")
	fragment = strings.ReplaceAll(fragment, "</mark>", "")
	return html.UnescapeString(fragment)
}
