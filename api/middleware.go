package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"
)

const requestIDKey = "request_id"

// incomingID is the shape of a request id we accept from a proxy in front
// of us; anything else is replaced so that logs cannot be forged.
var incomingID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestIDMiddleware gives every request an id, echoed in X-Request-Id and
// in every log line and problem document about the request.
func (s *Server) requestIDMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !incomingID.MatchString(id) {
			var b [12]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Set(requestIDKey, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func requestID(c echo.Context) string {
	id, _ := c.Get(requestIDKey).(string)
	return id
}

// logMiddleware writes one line per request.
func (s *Server) logMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err) // the error handler writes the problem and logs 5xx causes
		}
		req, res := c.Request(), c.Response()
		level := slog.LevelInfo
		switch {
		case res.Status < 400 && c.Path() == pixelRoute:
			// The pixel answers every ad impression: a line each would
			// cost more than recording it, and say nothing the exposures
			// table and the metrics do not. Its failures still show.
			level = slog.LevelDebug
		case res.Status == http.StatusServiceUnavailable:
			level = slog.LevelWarn
		case res.Status >= 500:
			level = slog.LevelError
		}
		s.log.LogAttrs(req.Context(), level, "request",
			slog.String("request_id", requestID(c)),
			slog.String("method", req.Method),
			slog.String("path", logPath(c)),
			slog.Int("status", res.Status),
			slog.Int64("bytes", res.Size),
			slog.Duration("duration", time.Since(start)),
			slog.String("ip", c.RealIP()),
		)
		return nil
	}
}

// logPath is the request's path as logs may keep it: a path that carries
// a respondent id (the one value the store promises never to keep) is
// logged as its route template, /api/v1/studies/:id/respondents/:rid.
func logPath(c echo.Context) string {
	for _, name := range c.ParamNames() {
		if name == "rid" {
			return c.Path()
		}
	}
	return c.Request().URL.Path
}

// headersMiddleware sets the headers every response carries, errors and
// static files included: no response is ever sniffed into another type
// (a text answer "<script>" comes back inside JSON, and stays JSON).
func (s *Server) headersMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("X-Content-Type-Options", "nosniff")
		return next(c)
	}
}

// recoverMiddleware turns a panic into a 500 problem with the request id;
// the stack goes to the log, never to the client.
func (s *Server) recoverMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r) // the server's own signal to drop the connection
				}
				s.log.Error("panic", "request_id", requestID(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return next(c)
	}
}
