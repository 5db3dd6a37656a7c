package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/talkdex/talkdex/internal/catalog"
)

// statusClientClosedRequest is nginx's 499: the client went away before the
// answer was ready. It is set on the response only so that the server side
// records something other than a success; no client ever reads it.
const statusClientClosedRequest = 499

// errorResponse is the JSON body of every API error.
type errorResponse struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// handleError is echo's HTTPErrorHandler and the only place that turns
// errors into responses: catalog error codes and echo's own errors map to a
// status here, API paths get JSON and everything else an HTML page. Only
// internal errors are logged, and clients never see their text.
func (s *Server) handleError(err error, c echo.Context) {
	req := c.Request()
	if clientGone(req) {
		// Whatever failed, it failed because nobody is waiting any more (the
		// search-as-you-type script aborts requests all the time): not an
		// internal error, and there is no one to write a body to.
		s.logger.DebugContext(req.Context(), "client went away",
			"method", req.Method, "path", req.URL.Path, "err", err)
		if !c.Response().Committed {
			c.Response().WriteHeader(statusClientClosedRequest)
		}
		return
	}
	status, code, message := s.describeError(err, c)
	if code == catalog.EINTERNAL {
		s.logger.ErrorContext(req.Context(), "request failed",
			"method", req.Method, "path", req.URL.Path, "status", status, "err", err)
	}
	if c.Response().Committed {
		return
	}
	// A HEAD request gets the headers of the GET answer: net/http drops the
	// body itself.
	var writeErr error
	switch {
	case isAPIPath(req.URL.Path):
		writeErr = c.JSON(status, errorResponse{Error: errorBody{Code: code, Message: message}})
	default:
		writeErr = s.renderErrorPage(c, status, message)
	}
	if writeErr != nil {
		s.logger.WarnContext(req.Context(), "write error response", "path", req.URL.Path, "err", writeErr)
	}
}

// clientGone reports whether the request's context was canceled, which
// net/http does when the client closes the connection (or resets an HTTP/2
// stream) before the handler is done.
func clientGone(req *http.Request) bool {
	return errors.Is(req.Context().Err(), context.Canceled)
}

// describeError returns the status, code and client-safe message for err.
func (s *Server) describeError(err error, c echo.Context) (status int, code, message string) {
	var domainErr *catalog.Error
	var tooLarge *http.MaxBytesError
	var httpErr *echo.HTTPError
	switch {
	case errors.As(err, &domainErr):
		return statusForCode(domainErr.Code), domainErr.Code, domainErr.Message
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge, catalog.EINVALID,
			fmt.Sprintf("request body is larger than the limit of %d bytes", s.cfg.MaxBodyBytes)
	case errors.As(err, &httpErr):
		status = httpErr.Code
		code = codeForStatus(status)
		if code == catalog.EINTERNAL {
			return status, code, catalog.ErrorMessage(err)
		}
		return status, code, httpErrorMessage(httpErr, c)
	default:
		return http.StatusInternalServerError, catalog.EINTERNAL, catalog.ErrorMessage(err)
	}
}

// httpErrorMessage replaces echo's bare status texts with messages that say
// what was wrong with the request.
func httpErrorMessage(he *echo.HTTPError, c echo.Context) string {
	req := c.Request()
	switch he.Code {
	case http.StatusNotFound:
		if he == echo.ErrNotFound {
			return fmt.Sprintf("nothing at %s", req.URL.Path)
		}
	case http.StatusMethodNotAllowed:
		return fmt.Sprintf("method %s is not allowed on %s", req.Method, req.URL.Path)
	}
	if msg, ok := he.Message.(string); ok && msg != "" {
		return msg
	}
	return strings.ToLower(http.StatusText(he.Code))
}

func statusForCode(code string) int {
	switch code {
	case catalog.EINVALID:
		return http.StatusBadRequest
	case catalog.ENOTFOUND:
		return http.StatusNotFound
	case catalog.ECONFLICT:
		return http.StatusConflict
	case catalog.EUNAUTHORIZED:
		return http.StatusUnauthorized
	default:
		return http.StatusInternalServerError
	}
}

func codeForStatus(status int) string {
	switch {
	case status == http.StatusNotFound:
		return catalog.ENOTFOUND
	case status == http.StatusConflict:
		return catalog.ECONFLICT
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return catalog.EUNAUTHORIZED
	case status >= 400 && status < 500:
		return catalog.EINVALID
	default:
		return catalog.EINTERNAL
	}
}

func isAPIPath(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/api" || path == "/healthz"
}
