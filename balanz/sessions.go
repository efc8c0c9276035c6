package balanz

import "context"

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
