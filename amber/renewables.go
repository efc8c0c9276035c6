package amber

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// The renewable types, the values of the wire's "type" discriminator.
const (
	TypeActualRenewable   = "ActualRenewable"
	TypeCurrentRenewable  = "CurrentRenewable"
	TypeForecastRenewable = "ForecastRenewable"
)

// RenewableKind says whether a Renewable is measured, current or forecast.
type RenewableKind int

// The kinds of Renewable.
const (
	RenewableActual   RenewableKind = iota + 1 // a past interval
	RenewableCurrent                           // the interval under way
	RenewableForecast                          // a future interval
)

// String returns the wire name of k, such as "ActualRenewable".
func (k RenewableKind) String() string {
	switch k {
	case RenewableActual:
		return TypeActualRenewable
	case RenewableCurrent:
		return TypeCurrentRenewable
	case RenewableForecast:
		return TypeForecastRenewable
	}
	return "RenewableKind(" + strconv.Itoa(int(k)) + ")"
}

// Renewable is the share of renewables in a state's grid over one interval.
// The three wire types (ActualRenewable, CurrentRenewable,
// ForecastRenewable) carry the same fields, so they decode to this one
// struct with Kind telling them apart; an unknown type is an error.
type Renewable struct {
	// Kind says whether the interval is past, current or forecast.
	Kind RenewableKind
	// Duration is the interval's length.
	Duration time.Duration
	// Date is the NEM date the interval belongs to.
	Date Date
	// NEMTime is the end of the interval in NEM time (UTC+10).
	NEMTime time.Time
	// StartTime and EndTime are the interval's bounds as Amber sends them
	// (UTC); StartTime is one second after the boundary, see Start.
	StartTime, EndTime time.Time
	// Renewables is the share of renewables in the grid, in percent.
	Renewables float64
	// Descriptor is Amber's band for the share.
	Descriptor RenewableDescriptor
}

// Start returns the interval's start boundary: EndTime less Duration.
func (r Renewable) Start() time.Time { return r.EndTime.Add(-r.Duration) }

// UnmarshalJSON implements json.Unmarshaler.
func (r *Renewable) UnmarshalJSON(b []byte) error {
	var w struct {
		Type       string              `json:"type"`
		Duration   minutes             `json:"duration"`
		Date       Date                `json:"date"`
		NEMTime    time.Time           `json:"nemTime"`
		StartTime  time.Time           `json:"startTime"`
		EndTime    time.Time           `json:"endTime"`
		Renewables float64             `json:"renewables"`
		Descriptor RenewableDescriptor `json:"descriptor"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	var k RenewableKind
	switch w.Type {
	case TypeActualRenewable:
		k = RenewableActual
	case TypeCurrentRenewable:
		k = RenewableCurrent
	case TypeForecastRenewable:
		k = RenewableForecast
	default:
		return fmt.Errorf("amber: renewable has unknown type %q", w.Type)
	}
	if err := checkSpan(w.Duration, w.EndTime); err != nil {
		return fmt.Errorf("amber: %s: %w", w.Type, err)
	}
	*r = Renewable{Kind: k, Duration: w.Duration.duration(), Date: w.Date, NEMTime: w.NEMTime,
		StartTime: w.StartTime, EndTime: w.EndTime, Renewables: w.Renewables, Descriptor: w.Descriptor}
	return nil
}

// RenewablesParams are the options of CurrentRenewables.
type RenewablesParams struct {
	// Next is how many forecast intervals to return after the current one.
	Next int
	// Previous is how many actual intervals to return before the current
	// one.
	Previous int
	// Resolution is the interval length; zero means 30 minutes.
	Resolution Resolution
}

// CurrentRenewables returns the share of renewables in a state's grid: the
// Previous actual intervals, the current one and the Next forecast ones.
//
// The endpoint is public: it is called without the token, does not count
// against the account's quota, is not paced by the client's limiter and
// does not change RateLimit (it sends no rate-limit headers).
func (c *Client) CurrentRenewables(ctx context.Context, state State, p RenewablesParams) ([]Renewable, error) {
	switch {
	case !state.Known():
		return nil, energy.Invalid("state", "%q is not one of nsw, sa, qld, vic", string(state))
	case p.Next < 0:
		return nil, energy.Invalid("Next", "%d is negative", p.Next)
	case p.Previous < 0:
		return nil, energy.Invalid("Previous", "%d is negative", p.Previous)
	case !p.Resolution.valid():
		return nil, energy.Invalid("Resolution", "%d is not 5 or 30 minutes", p.Resolution)
	}
	var out []Renewable
	path := "/state/" + url.PathEscape(string(state)) + "/renewables/current"
	if err := c.do(ctx, c.public, path, countQuery(p.Next, p.Previous, p.Resolution), &out); err != nil {
		return nil, err
	}
	return out, nil
}
