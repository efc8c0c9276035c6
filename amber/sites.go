package amber

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"time"

	"github.com/gridwire/gridwire/energy"
)

// Site is an electricity supply point (a meter) linked to the account.
type Site struct {
	// ID identifies the site in every other call.
	ID string `json:"id"`
	// NMI is the site's National Metering Identifier.
	NMI string `json:"nmi"`
	// Channels are the meter's channels.
	Channels []Channel `json:"channels"`
	// Network is the distribution network (DNSP), such as "Jemena".
	Network string `json:"network"`
	// Status says whether Amber supplies the site.
	Status SiteStatus `json:"status"`
	// ActiveFrom is the date the site became (or, when pending, will
	// become) active; zero when Amber does not say.
	ActiveFrom Date `json:"activeFrom"`
	// ClosedOn is the date the site closed; zero unless it is closed.
	ClosedOn Date `json:"closedOn"`
	// IntervalLength is the interval the site is billed on: 5 or 30
	// minutes.
	IntervalLength time.Duration `json:"intervalLength"`
}

// Channel is one channel of a site's meter.
type Channel struct {
	// Identifier names the channel on the meter, such as "E1" or "B1".
	Identifier string `json:"identifier"`
	// Type is the kind of channel.
	Type ChannelType `json:"type"`
	// Tariff is the network tariff code, such as "A100".
	Tariff string `json:"tariff"`
}

// UnmarshalJSON implements json.Unmarshaler: intervalLength is minutes on
// the wire, and the optional dates may be absent. A site without an id (or
// a null in place of a site) is an error: no other call could name it.
func (s *Site) UnmarshalJSON(b []byte) error {
	type plain Site
	var w struct {
		plain
		IntervalLength minutes `json:"intervalLength"`
		ActiveFrom     *Date   `json:"activeFrom"`
		ClosedOn       *Date   `json:"closedOn"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if w.ID == "" {
		return errors.New("amber: site without an id")
	}
	*s = Site(w.plain)
	s.IntervalLength = w.IntervalLength.duration()
	if s.IntervalLength == 0 {
		s.IntervalLength = 30 * time.Minute // the spec's default
	}
	if w.ActiveFrom != nil {
		s.ActiveFrom = *w.ActiveFrom
	}
	if w.ClosedOn != nil {
		s.ClosedOn = *w.ClosedOn
	}
	return nil
}

// MarshalJSON implements json.Marshaler, writing the wire form (so a Site
// round-trips): intervalLength in minutes, absent dates left out.
func (s Site) MarshalJSON() ([]byte, error) {
	type plain Site
	w := struct {
		plain
		IntervalLength int   `json:"intervalLength"`
		ActiveFrom     *Date `json:"activeFrom,omitempty"`
		ClosedOn       *Date `json:"closedOn,omitempty"`
	}{plain: plain(s), IntervalLength: int(s.IntervalLength / time.Minute)}
	if !s.ActiveFrom.IsZero() {
		w.ActiveFrom = &s.ActiveFrom
	}
	if !s.ClosedOn.IsZero() {
		w.ClosedOn = &s.ClosedOn
	}
	return json.Marshal(w)
}

// Channel returns the site's first channel of type t, if it has one.
func (s Site) Channel(t ChannelType) (Channel, bool) {
	for _, c := range s.Channels {
		if c.Type == t {
			return c, true
		}
	}
	return Channel{}, false
}

// ActiveSite picks the site to use from a list of sites: the active one, or
// when several are active, the one active the longest. An account keeps its
// old, closed sites after a move, so the first site is not necessarily the
// right one. ok is false when no site is active.
func ActiveSite(sites []Site) (site Site, ok bool) {
	for _, s := range sites {
		if s.Status != SiteActive {
			continue
		}
		if !ok || s.ActiveFrom.Before(site.ActiveFrom) {
			site, ok = s, true
		}
	}
	return site, ok
}

// Sites returns the sites linked to the account.
func (c *Client) Sites(ctx context.Context) ([]Site, error) {
	var sites []Site
	if err := c.get(ctx, "/sites", nil, &sites); err != nil {
		return nil, err
	}
	return sites, nil
}

// SiteClient is a Client scoped to one site. It is cheap to create and
// shares its Client's transport, rate-limit state and limiter.
type SiteClient struct {
	c  *Client
	id string
}

// Site returns a handle for the site with the given ID. It does no I/O; an
// empty id is reported by the handle's methods.
func (c *Client) Site(id string) *SiteClient { return &SiteClient{c: c, id: id} }

// ID returns the site's ID.
func (s *SiteClient) ID() string { return s.id }

// Client returns the Client the handle belongs to.
func (s *SiteClient) Client() *Client { return s.c }

// CurrentPrices is Client.CurrentPrices for this site.
func (s *SiteClient) CurrentPrices(ctx context.Context, p CurrentPricesParams) (Intervals, error) {
	return s.c.CurrentPrices(ctx, s.id, p)
}

// Prices is Client.Prices for this site.
func (s *SiteClient) Prices(ctx context.Context, p PricesParams) (Intervals, error) {
	return s.c.Prices(ctx, s.id, p)
}

// Usage is Client.Usage for this site.
func (s *SiteClient) Usage(ctx context.Context, p UsageParams) ([]Usage, error) {
	return s.c.Usage(ctx, s.id, p)
}

// sitePath returns "/sites/{id}" + rest, or a *energy.FieldError for an
// empty id.
func sitePath(id, rest string) (string, error) {
	if id == "" {
		return "", energy.Invalid("siteID", "is empty")
	}
	return "/sites/" + url.PathEscape(id) + rest, nil
}
