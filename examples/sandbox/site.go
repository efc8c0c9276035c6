package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gridwire/gridwire/alphaess/alphaesstest"
	"github.com/gridwire/gridwire/amber/ambertest"
	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/balanz/balanztest"
	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/energy/plan"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
	"github.com/gridwire/gridwire/oscp/oscptest"
	"github.com/gridwire/gridwire/volue"
	"github.com/gridwire/gridwire/volue/voluetest"
)

// pace is how often, in simulated time, the parts of the site talk: at
// high speeds less often, so that the machine keeps up with the clock.
type pace struct {
	// Poll is how often the VENs poll the VTN.
	Poll time.Duration
	// Sample and Report are how often the VENs sample their telemetry and
	// send it.
	Sample, Report time.Duration
	// Meter is how often the simulation reads the meters.
	Meter time.Duration
}

// paceFor returns the pace for a clock running speed times real time: at
// the default speed VENs poll every minute and the meters are read every
// minute; faster, they keep about 15 ms and 25 ms of real time apart.
func paceFor(speed float64) pace {
	real := func(ms float64, unit, lo, hi time.Duration) time.Duration {
		d := time.Duration(speed * ms * float64(time.Millisecond))
		return min(max((d+unit-1)/unit*unit, lo), hi)
	}
	return pace{
		Poll:   real(15, time.Second, time.Minute, 5*time.Minute),
		Sample: time.Minute, Report: 5 * time.Minute,
		Meter: real(25, time.Minute, time.Minute, 5*time.Minute),
	}
}

// site is everything the sandbox runs on loopback: the fakes, the site's own
// HTTP server (the VTN, Volue's webhook and the OSCP endpoint), the VENs,
// and the clients that reach them. The controller sees only the energy
// interfaces in batteries, chargers, prices, volueSource and capacity; the
// rest is for the simulation itself (cars arriving, the meters it bills
// from).
type site struct {
	clk  *clock.Scaled
	pace pace

	amber  *ambertest.Server
	prices energy.PriceSource

	alpha, twin  *alphaesstest.Server
	home, twinM  energy.Meter   // the AlphaESS house, controlled and left alone
	twinBattery  energy.Battery // the AlphaESS house left alone
	vtn          *openadr.VTN
	url          string // the site's server: the VTN at its root
	server       *http.Server
	vens         []*ven.VEN
	balanz       *balanztest.Server
	balanzClient *balanz.Client

	volue       *voluetest.Server
	volueSource *volue.PriceSource // fed by Volue's webhook deliveries
	oscp        *oscpLink
	fp          *oscptest.FP
	capacity    oscpCapacity // what the OSCP forecasts let the chargers draw

	batteries []managedBattery
	chargers  []managedCharger

	cancel  context.CancelFunc // stops the VENs and the VTN's server
	wg      sync.WaitGroup
	mu      sync.Mutex
	runErr  []error                // what the VENs' Run and the VTN's Serve returned early
	answers map[string]*venAnswers // by venID: the VENs' answers to events
}

// venAnswers counts a VEN's answers to the events of its schedules.
type venAnswers struct {
	OptIn, OptOut int
}

// alphaLimits are the AlphaESS fake's SMILE5: 13.34 kWh (it reports its own
// capacity), 3 kW from the grid, 5 kW out, lossless, 10 % reserve.
var alphaLimits = plan.Limits{MinSoC: 0.1, MaxSoC: 1, MaxCharge: 3000, MaxDischarge: 5000,
	ChargeEfficiency: 1, DischargeEfficiency: 1}

// startSite starts every service of sc on 127.0.0.1 on clock clk and waits,
// within ctx, until the VENs are registered. Close it when done, also after
// an error.
func startSite(ctx context.Context, sc scenario, clk *clock.Scaled, loc *time.Location) (s *site, err error) {
	s = &site{clk: clk, pace: paceFor(clk.Speed())}
	defer func() {
		if err != nil {
			s.Close()
			s = nil
		}
	}()

	s.amber = ambertest.NewServer(ambertest.WithClock(clk))
	s.prices = s.amber.Client().Site(s.amber.SiteID).PriceSource()

	s.alpha = alphaesstest.NewServer(alphaesstest.WithClock(clk), alphaesstest.WithLocation(loc))
	s.twin = alphaesstest.NewServer(alphaesstest.WithClock(clk), alphaesstest.WithLocation(loc))
	ac, tc := s.alpha.Client(), s.twin.Client()
	s.home, s.twinM, s.twinBattery = ac.Meter(), tc.Meter(), tc.Battery()
	s.batteries = append(s.batteries, managedBattery{Name: "alphaess", Battery: ac.Battery(), Limits: alphaLimits})

	if err := s.startServer(ctx, sc); err != nil {
		return s, err
	}
	if err := s.startVolue(ctx, sc); err != nil {
		return s, err
	}
	if err := s.startOSCP(ctx, sc); err != nil {
		return s, err
	}
	if err := s.startVENs(ctx, sc); err != nil {
		return s, err
	}

	s.balanz = balanztest.NewServer(balanztest.WithClock(clk), balanztest.WithLocation(loc))
	if s.balanzClient, err = s.balanz.Client(ctx, balanz.WithClock(clk)); err != nil {
		return s, fmt.Errorf("balanz fake: %w", err)
	}
	for _, car := range sc.Cars {
		ch, err := s.balanzClient.EVCharger(balanz.ByID(car.Charger), 1, balanz.WithIDTag(balanztest.SeedTag))
		if err != nil {
			return s, fmt.Errorf("balanz charger %s: %w", car.Charger, err)
		}
		s.chargers = append(s.chargers, managedCharger{Name: car.Name, Charger: ch, Least: balanz.MinChargingCurrent})
	}
	return s, nil
}

// startServer serves on 127.0.0.1 the VTN (at the root), Volue's webhook
// (voluePath) and the OSCP endpoint (oscpPath).
func (s *site) startServer(ctx context.Context, sc scenario) error {
	vtn, err := openadr.NewVTN("VTN_GRIDWIRE_SANDBOX",
		openadr.WithClock(s.clk),
		openadr.WithPollFrequency(s.pace.Poll),
		openadr.WithEventResponseHook(s.answered),
		openadr.WithReportRegistrationHook(openadr.RequestTelemetry(s.pace.Sample, s.pace.Report)))
	if err != nil {
		return fmt.Errorf("VTN: %w", err)
	}
	s.vtn = vtn
	receiver, err := s.newVolueReceiver()
	if err != nil {
		return err
	}
	if s.oscp, err = newOSCPLink(); err != nil {
		return err
	}
	s.capacity = oscpCapacity{forecasts: s.oscp.forecasts, group: oscpGroup}
	mux := http.NewServeMux()
	mux.Handle("/", vtn)
	mux.Handle(voluePath, receiver)
	mux.Handle(oscpPath+"/", s.oscp.handler)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("the site's server: %w", err)
	}
	s.url = "http://" + ln.Addr().String()
	s.server = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	s.wg.Go(func() {
		if err := s.server.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.fail(fmt.Errorf("the site's server: %w", err))
		}
	})
	return nil
}

// startVENs starts a VEN for each battery of sc polling the VTN over HTTP,
// and waits until all of them are registered.
func (s *site) startVENs(ctx context.Context, sc scenario) error {
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	for _, spec := range sc.VENs {
		v, err := ven.New(s.url, ven.WithClock(s.clk), ven.WithVENName(spec.Name),
			ven.WithResourceID(spec.Name), ven.WithBattery(spec.Battery))
		if err != nil {
			return fmt.Errorf("VEN %s: %w", spec.Name, err)
		}
		s.vens = append(s.vens, v)
		s.wg.Go(func() {
			if err := v.Run(runCtx); err != nil && runCtx.Err() == nil {
				s.fail(fmt.Errorf("VEN %s: %w", spec.Name, err))
			}
		})
	}
	// Wait for the registrations, in real time: they are a few requests.
	deadline := time.Now().Add(10 * time.Second)
	for i, v := range s.vens {
		for !v.State().Registered {
			if err := ctx.Err(); err != nil {
				return err
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("VEN %s did not register with the VTN within 10 s", sc.VENs[i].Name)
			}
			time.Sleep(5 * time.Millisecond)
		}
		b := sc.VENs[i].Battery
		s.batteries = append(s.batteries, managedBattery{
			Name: sc.VENs[i].Name,
			Battery: s.vtn.Battery(v.State().VENID, openadr.WithResourceID(sc.VENs[i].Name),
				openadr.WithCapacity(b.Capacity), openadr.WithRatedPower(b.MaxPower),
				// Under load the sandbox's clock may outrun a report or two.
				openadr.WithMaxAge(time.Hour)),
			Limits: plan.Limits{MinSoC: 0.1, MaxSoC: 1, MaxCharge: b.MaxPower, MaxDischarge: b.MaxPower,
				ChargeEfficiency: b.Efficiency, DischargeEfficiency: b.Efficiency},
		})
	}
	return nil
}

// answered counts a VEN's answer to an event.
func (s *site) answered(_ context.Context, r openadr.EventResponse) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.answers == nil {
		s.answers = map[string]*venAnswers{}
	}
	a := s.answers[r.VenID]
	if a == nil {
		a = &venAnswers{}
		s.answers[r.VenID] = a
	}
	if r.OptType == oadr.OptIn {
		a.OptIn++
	} else {
		a.OptOut++
	}
}

// venAnswers returns the answers of each VEN, by its name.
func (s *site) venAnswers() map[string]venAnswers {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]venAnswers{}
	for i, v := range s.vens {
		if a := s.answers[v.State().VENID]; a != nil {
			out[s.batteries[i+1].Name] = *a
		} else {
			out[s.batteries[i+1].Name] = venAnswers{}
		}
	}
	return out
}

// fail records an error of a background part of the site.
func (s *site) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runErr = append(s.runErr, err)
}

// errs returns the errors of the background parts so far.
func (s *site) errs() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.runErr...)
}

// Close stops everything startSite started and waits for it.
func (s *site) Close() {
	if s.cancel != nil {
		s.cancel()
	}
	if s.server != nil {
		// Close, not Shutdown: the clients are the VENs, stopped above,
		// and the fakes, whose requests are over, and Shutdown would wait
		// seconds for a connection one of them opened but never used.
		_ = s.server.Close()
	}
	s.wg.Wait()
	if s.volue != nil {
		s.volue.Close()
	}
	if s.fp != nil {
		s.fp.Close()
	}
	if s.balanzClient != nil {
		_ = s.balanzClient.Close()
	}
	if s.balanz != nil {
		s.balanz.Close()
	}
	if s.alpha != nil {
		s.alpha.Close()
	}
	if s.twin != nil {
		s.twin.Close()
	}
	if s.amber != nil {
		s.amber.Close()
	}
}
