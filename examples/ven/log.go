package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// lineHandler prints log records as short lines, "15:04:05 registered
// venID=VEN_1 …", for a person watching the VEN. Times are the record's
// (the wall clock when the VEN logs), in tz.
type lineHandler struct {
	w     io.Writer // a syncWriter: the status printer writes too
	level slog.Level
	attrs []slog.Attr
	tz    *time.Location
}

func (h *lineHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *lineHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Time.In(h.zone()).Format(time.TimeOnly))
	if r.Level >= slog.LevelWarn {
		b.WriteString(" " + r.Level.String())
	}
	b.WriteString(" " + r.Message)
	write := func(a slog.Attr) bool {
		v := a.Value.Resolve()
		if v.Kind() == slog.KindTime {
			t := "none"
			if !v.Time().IsZero() {
				t = v.Time().In(h.zone()).Format(time.DateTime)
			}
			fmt.Fprintf(&b, " %s=%q", a.Key, t)
			return true
		}
		if t := v.String(); t != "" {
			if strings.ContainsAny(t, " \t\n\"=") {
				t = fmt.Sprintf("%q", t)
			}
			fmt.Fprintf(&b, " %s=%s", a.Key, t)
		}
		return true
	}
	for _, a := range h.attrs {
		write(a)
	}
	r.Attrs(write)
	b.WriteByte('\n')
	_, err := io.WriteString(h.w, b.String())
	return err
}

func (h *lineHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &lineHandler{w: h.w, level: h.level, tz: h.tz, attrs: append(append([]slog.Attr(nil), h.attrs...), attrs...)}
}

func (h *lineHandler) zone() *time.Location {
	if h.tz == nil {
		return time.Local
	}
	return h.tz
}

// WithGroup is not needed by the VEN's logs; groups are flattened.
func (h *lineHandler) WithGroup(string) slog.Handler { return h }

// syncWriter serialises writes from the VEN's logs and the status printer,
// which run in different goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
