package balanz

import (
	"context"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// ServerStatus returns balanz's version, start time, model counts and log
// levels (GetStatus; Admin only).
func (c *Client) ServerStatus(ctx context.Context) (*ServerStatus, error) {
	var out ServerStatus
	if err := c.callInto(ctx, "GetStatus", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// LogFilter selects log entries. balanz compares Level as a string
// ("INFO" < "WARNING" lexicographically, which happens to order the levels
// it keeps) and the times as local wall-clock strings; zero fields do not
// filter.
type LogFilter struct {
	// Level keeps entries whose level is at least this string.
	Level string
	// MessageSearch keeps entries whose message contains it.
	MessageSearch string
	// Start and End bound the entries' timestamps.
	Start, End time.Time
	// Logger keeps one logger's entries (AuditLogger for the audit trail).
	Logger string
}

type logFilters struct {
	Level          string `json:"level,omitempty"`
	MessageSearch  string `json:"messageSearch,omitempty"`
	TimeStampStart string `json:"timeStampStart,omitempty"`
	TimeStampEnd   string `json:"timeStampEnd,omitempty"`
	Logger         string `json:"logger,omitempty"`
}

// Logs returns balanz's in-memory log entries that match f (GetLogs).
func (c *Client) Logs(ctx context.Context, f LogFilter) ([]LogEntry, error) {
	lf := logFilters{Level: f.Level, MessageSearch: f.MessageSearch, Logger: f.Logger}
	if !f.Start.IsZero() {
		lf.TimeStampStart = f.Start.In(c.o.loc).Format(LocalLayout)
	}
	if !f.End.IsZero() {
		lf.TimeStampEnd = f.End.In(c.o.loc).Format(LocalLayout)
	}
	var out logsAnswer
	if err := c.callInto(ctx, "GetLogs", struct {
		Filters logFilters `json:"filters"`
	}{lf}, &out); err != nil {
		return nil, err
	}
	return out.Logs, nil
}

// SetConfig changes one setting of balanz's configuration in memory (not on
// disk). balanz accepts any section and key.
func (c *Client) SetConfig(ctx context.Context, section, key, value string) error {
	if section == "" || key == "" {
		return energy.Invalid("section/key", "both are required")
	}
	return c.callAccepted(ctx, "SetConfig", map[string]string{"section": section, "key": key, "value": value})
}

// DrawAll returns balanz's text drawing of every group, charger and
// session; historic adds the charging histories.
func (c *Client) DrawAll(ctx context.Context, historic bool) (string, error) {
	var out struct {
		Drawing string `json:"drawing"`
	}
	if err := c.Call(ctx, "DrawAll", map[string]bool{"historic": historic}, &out); err != nil {
		return "", err
	}
	return out.Drawing, nil
}

// SetLogLevel sets the level ("ERROR", "WARNING", "INFO", "DEBUG") of one
// of balanz's loggers.
func (c *Client) SetLogLevel(ctx context.Context, component, level string) error {
	if component == "" || level == "" {
		return energy.Invalid("component/level", "both are required")
	}
	return c.callAccepted(ctx, "SetLogLevel", map[string]string{"component": component, "loglevel": level})
}
