package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/oscp/co"
	"github.com/gridwire/gridwire/oscp/oscptest"
)

// The OSCP part of the site: the grid's capacity limit for the chargers.
// The site is a Capacity Optimizer: a co.Handler on the site's server
// stores the forecasts it receives in co.Forecasts. A fake Flexibility
// Provider (SolarNetwork's, as oscptest has it) registers with it, shakes
// hands and sends a capacity forecast for the group "chargers"; the
// controller keeps both chargers together within what the forecast allows.

const (
	oscpPath  = "/oscp/co/2.0"
	oscpGroup = "chargers"
	// oscpToken is what the FP must present to the site's endpoint.
	oscpToken = "sandbox-co-token"
	// nominalVoltage turns a forecast in W or kW into amperes per phase.
	nominalVoltage = 230
)

// oscpLink is the site's side of the OSCP connection.
type oscpLink struct {
	forecasts *co.Forecasts
	handler   *co.Handler

	mu        sync.Mutex
	register  *co.Register // the FP's registration
	handshake string       // the X-Request-ID of the FP's handshake
}

func newOSCPLink() (*oscpLink, error) {
	l := &oscpLink{forecasts: co.NewForecasts()}
	h, err := co.NewHandler(oscpToken, co.Hooks{
		Register: func(_ context.Context, m co.Register) error {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.register = &m
			return nil
		},
		Handshake: func(ctx context.Context, _ co.Handshake) error {
			info, _ := co.RequestInfoFrom(ctx)
			l.mu.Lock()
			defer l.mu.Unlock()
			l.handshake = info.RequestID
			return nil
		},
	}, co.WithForecasts(l.forecasts))
	if err != nil {
		return nil, fmt.Errorf("OSCP handler: %w", err)
	}
	l.handler = h
	return l, nil
}

// startOSCP starts the fake FP, has it register and shake hands with the
// site's endpoint, acknowledges the handshake, and has the FP send the
// chargers' capacity forecast for the day: their full current (two cars
// at carCurrent) but for sc's evening limit.
func (s *site) startOSCP(ctx context.Context, sc scenario) error {
	s.fp = oscptest.NewFP(oscptest.WithFPClock(s.clk))
	if err := s.fp.Connect(ctx, s.url+oscpPath, oscpToken); err != nil {
		return fmt.Errorf("OSCP: the FP's registration: %w", err)
	}
	l := s.oscp
	l.mu.Lock()
	reg, hs := l.register, l.handshake
	l.mu.Unlock()
	if reg == nil {
		return fmt.Errorf("OSCP: the FP did not register")
	}
	base, ok := reg.BaseURL(co.Version)
	if !ok {
		return fmt.Errorf("OSCP: the FP registered no OSCP %s URL", co.Version)
	}
	// The FP's handshake is answered once its request has had its 204.
	c, err := co.NewClient(s.fp.Token, co.WithBaseURL(base), co.WithClock(s.clk))
	if err != nil {
		return fmt.Errorf("OSCP client: %w", err)
	}
	ack := co.HandshakeAcknowledge{RequiredBehaviour: &co.RequiredBehaviour{
		MeasurementConfiguration: []co.MeasurementConfiguration{co.Continuous}}}
	if err := c.HandshakeAcknowledge(co.WithCorrelationID(ctx, hs), ack); err != nil {
		return fmt.Errorf("OSCP handshake: %w", err)
	}
	block := func(amps float64, from, to time.Time) co.ForecastedBlock {
		return co.ForecastedBlock{Capacity: amps, Phase: co.PhaseAll, Unit: co.UnitA, StartTime: from.UTC(), EndTime: to.UTC()}
	}
	full := float64(len(sc.Cars) * carCurrent)
	fc := co.CapacityForecast{GroupID: oscpGroup, Type: co.Consumption, ForecastedBlocks: []co.ForecastedBlock{
		block(full, sc.Day, sc.LimitFrom), block(float64(sc.Limit), sc.LimitFrom, sc.LimitTo), block(full, sc.LimitTo, sc.End),
	}}
	if err := s.fp.SendForecast(ctx, fc); err != nil {
		return fmt.Errorf("OSCP forecast: %w", err)
	}
	return nil
}

// oscpCapacity is what the OSCP forecasts let the chargers draw together,
// per phase, for the controller.
type oscpCapacity struct {
	forecasts *co.Forecasts
	group     string
}

// MayDraw returns the group's current per phase at t: the lowest of the
// forecast's phases, a forecast in W or kW spread over three phases at the
// nominal voltage. ok is false when no forecast covers t.
func (c oscpCapacity) MayDraw(t time.Time) (energy.Amperes, bool) {
	capa, ok := c.forecasts.MayDraw(c.group, t)
	if !ok {
		return 0, false
	}
	lowest, found := 0.0, false
	for ph, q := range capa {
		var amps float64
		switch q.Unit {
		case co.UnitA:
			amps = q.Value
		case co.UnitW, co.UnitKW:
			w := q.Value
			if q.Unit == co.UnitKW {
				w *= 1000
			}
			amps = w / nominalVoltage
			if ph == co.PhaseAll {
				amps /= 3
			}
		default:
			continue // an energy, not a rate
		}
		if !found || amps < lowest {
			lowest, found = amps, true
		}
	}
	return energy.Amperes(lowest), found
}
