package balanz

import (
	"context"
	"time"
)

// SessionFilter selects sessions; zero fields do not filter. balanz has no
// date filter and no paging: every stored session comes back.
type SessionFilter struct {
	ChargerID string `json:"charger_id,omitempty"`
	GroupID   string `json:"group_id,omitempty"`
	// IncludeLive adds the sessions still going.
	IncludeLive bool `json:"include_live,omitempty"`
}

// Sessions returns the charging sessions matching f (GetSessions).
func (c *Client) Sessions(ctx context.Context, f SessionFilter) ([]Session, error) {
	return callList[Session](ctx, c, "GetSessions", f)
}

// SessionsCSV returns balanz's sessions file, as CSV text (GetCSVSessions).
func (c *Client) SessionsCSV(ctx context.Context) (string, error) {
	var out string
	if err := c.Call(ctx, "GetCSVSessions", nil, &out); err != nil {
		return "", err
	}
	return out, nil
}

// Session is a charging session: a stored one, or with include_live a live
// one (EndTime nil).
type Session struct {
	// SessionID is "<charger>-YYYY-MM-DD-HH:MM:SS".
	SessionID    string `json:"session_id"`
	ChargerID    string `json:"charger_id"`
	ChargerAlias string `json:"charger_alias"`
	GroupID      string `json:"group_id"`
	IDTag        string `json:"id_tag"`
	UserName     string `json:"user_name"`
	StopIDTag    string `json:"stop_id_tag"`
	StartTime    Time   `json:"start_time"`
	// EndTime, Duration (seconds) and Reason are nil for a live session.
	EndTime  *Time    `json:"end_time"`
	Duration *Seconds `json:"duration"`
	// EnergyMeter is, for a stored session, the session's energy in Wh;
	// for a live one the charger's cumulative meter reading.
	EnergyMeter Number  `json:"energy_meter"`
	Reason      *string `json:"reason"`
	// KWh is the session's energy in kWh (balanz sends "1.500").
	KWh             Number         `json:"kwh"`
	ChargingHistory []HistoryPoint `json:"charging_history"`
}

// Live reports whether the session is still going.
func (s *Session) Live() bool { return s.EndTime == nil }

func (s *Session) localize(loc *time.Location) {
	s.StartTime.in(loc)
	if s.EndTime != nil {
		s.EndTime.in(loc)
	}
	for i := range s.ChargingHistory {
		s.ChargingHistory[i].Timestamp.in(loc)
	}
}
