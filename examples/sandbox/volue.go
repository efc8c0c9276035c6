package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/volue"
	"github.com/gridwire/gridwire/volue/voluetest"
)

// The Volue part of the site: a second tariff, pushed rather than polled.
// The Volue fake publishes a price curve for the day and, later, a price
// delta; Volue's webhook sender delivers them, signed, to a volue.Receiver
// on the site's own server, whose hook is a volue.PriceSource. The
// controller reads that source beside Amber's, as a reference tariff (see
// controller.Reference).

// Where the site receives Volue's webhook deliveries, and the location its
// prices are for.
const (
	voluePath     = "/volue/webhook"
	volueLocation = "sandbox-home"
	// volueSecret signs the deliveries: the receiver takes only those.
	volueSecret = "sandbox-webhook-secret-0123456789"
)

// newVolueReceiver returns the price source and the receiver that feeds
// it, for mounting at voluePath.
func (s *site) newVolueReceiver() (*volue.Receiver, error) {
	ps, err := volue.NewPriceSource(volueLocation, volue.WithPriceSourceClock(s.clk))
	if err != nil {
		return nil, fmt.Errorf("volue price source: %w", err)
	}
	s.volueSource = ps
	rc, err := volue.NewReceiver(ps.Handle, []string{volueSecret}, volue.WithReceiverClock(s.clk))
	if err != nil {
		return nil, fmt.Errorf("volue receiver: %w", err)
	}
	return rc, nil
}

// startVolue starts the Volue fake, registers the site's webhook with it
// and publishes the day's price curve, waiting until the price source
// has it.
func (s *site) startVolue(ctx context.Context, sc scenario) error {
	s.volue = voluetest.NewServer(voluetest.WithClock(s.clk))
	c := s.volue.Client(volue.WithClock(s.clk))
	if _, err := c.CreateWebhook(ctx, volue.NewWebhook{
		URL: s.url + voluePath, Secret: volueSecret,
		EventTypes: []volue.EventType{volue.EventPriceCurveCreated, volue.EventPriceDelta},
	}); err != nil {
		return fmt.Errorf("volue webhook: %w", err)
	}
	hours := int(sc.End.Sub(sc.Day) / time.Hour)
	s.volue.Publish(voluetest.PriceCurve(volueLocation, sc.Day, hours))
	s.volue.WaitDeliveries()
	if _, err := s.volueSource.Prices(ctx, sc.Day, sc.End); err != nil {
		if !errors.Is(err, energy.ErrUnavailable) {
			return fmt.Errorf("volue prices: %w", err)
		}
		// The delivery was lost: start from the events the API holds,
		// as a restarted receiver would.
		if err := s.volueSource.Load(ctx, c); err != nil {
			return fmt.Errorf("volue prices: %w", err)
		}
	}
	return nil
}

// publishVolueDelta has the Volue fake announce sc's price delta.
func (s *site) publishVolueDelta(sc scenario) {
	s.volue.Publish(voluetest.PriceDelta(volueLocation, sc.DeltaHour, sc.DeltaPrice))
}
