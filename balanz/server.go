package balanz

import (
	"context"
	"encoding/json"
	"fmt"
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

// ServerStatus is the answer to GetStatus.
type ServerStatus struct {
	// Version is balanz's version, such as "1.2.3".
	Version string `json:"version"`
	// StartTime is when the server started (a local wall-clock time).
	StartTime Time `json:"starttime"`
	// Tags, Groups, Chargers and Sessions count the model's entries.
	Tags     Int `json:"no_tags"`
	Groups   Int `json:"no_groups"`
	Chargers Int `json:"no_chargers"`
	Sessions Int `json:"no_sessions"`
	// Logging maps each logger to its level.
	Logging map[string]LogLevel `json:"logging"`
}

// LogLevel is a logger's level: "DEBUG", "INFO", "WARNING", "ERROR" or
// "CRITICAL". Python's numeric levels (10 … 50) are read as these names.
type LogLevel string

// UnmarshalJSON implements json.Unmarshaler.
func (l *LogLevel) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*l = LogLevel(s)
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("balanz: log level %s is neither a name nor a number", b)
	}
	switch n {
	case 10:
		*l = "DEBUG"
	case 20:
		*l = "INFO"
	case 30:
		*l = "WARNING"
	case 40:
		*l = "ERROR"
	case 50:
		*l = "CRITICAL"
	default:
		*l = LogLevel(fmt.Sprintf("Level %d", n))
	}
	return nil
}

func (s *ServerStatus) localize(loc *time.Location) { s.StartTime.in(loc) }

// LogEntry is one line of balanz's in-memory log (INFO and above only).
type LogEntry struct {
	// Level is "INFO", "WARNING", "ERROR" …
	Level string `json:"level"`
	// Message is the log text.
	Message string `json:"message"`
	// Timestamp is when it was logged (a local wall-clock time).
	Timestamp Time `json:"timestamp"`
	// Logger names the component; audit lines have "AUDIT".
	Logger string `json:"logger"`
}

// AuditLogger is the logger of audit lines.
const AuditLogger = "AUDIT"

type logsAnswer struct {
	Logs []LogEntry `json:"logs"`
}

func (l *logsAnswer) localize(loc *time.Location) {
	for i := range l.Logs {
		l.Logs[i].Timestamp.in(loc)
	}
}
