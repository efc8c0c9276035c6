// Command sandbox runs a whole gridwire site for one simulated day, offline:
// an OpenADR VTN with three Fortress-style battery VENs polling it over HTTP,
// the Amber price feed, Volue prices pushed by signed webhook, an AlphaESS
// house with solar and a battery, two balanz EV chargers, and an OSCP
// capacity limit on those chargers, all fakes on 127.0.0.1, steered by a
// controller that knows them only as energy.Battery, energy.Charger and
// energy.PriceSource (and the capacity limit as a current in amperes) and
// plans with energy/plan.
//
//	go run ./examples/sandbox
//
// No account and no network are needed. Every fake, client, VEN and the VTN
// share one clock that runs -speed times faster than real time (a day in a
// minute by default). The controller plans each battery over the rest of the
// day, sends the schedules (the VENs take one-off schedules, AlphaESS only
// daily ones: the controller steps down to the form a battery takes when it
// refuses one with energy.ErrUnsupported), starts the cars' sessions and caps
// the chargers while the price spikes, and re-plans when prices move or a
// battery strays from its plan.
//
// The site has one HTTP server of its own, on 127.0.0.1, that holds the VTN
// and two endpoints others call:
//
//   - Volue: the site registers a webhook with the Volue fake, which
//     publishes the day's price curve for the site's location and, at 15:00,
//     a price delta raising 20:00–21:00. Its webhook sender delivers them,
//     signed, to a volue.Receiver whose hook is a volue.PriceSource. Volue's
//     prices are a reference tariff, in NOK: the controller reads them at
//     every look beside Amber's, for comparison, and plans and bills with
//     Amber's alone (the two are in different currencies).
//   - OSCP: the site is a Capacity Optimizer (a co.Handler storing forecasts
//     in co.Forecasts). A fake SolarNetwork Flexibility Provider registers
//     with it, shakes hands and sends a capacity forecast for the group
//     "chargers": both chargers together may draw 10 A per phase from 19:00
//     to 22:00 (6.9 kW, less than one car's 11 kW) and 32 A otherwise. The
//     controller shares that current between the chargers, on top of the
//     price cap, cars that draw before cars that are full. A charger takes
//     0 A or at least 6 A (balanz's least), so when the limit cannot give
//     each car 6 A the cars take turns: as many as can have 6 A or more
//     charge, the others pause, and the order rotates every 30 minutes. It
//     lowers limits before it starts a session or raises another, and keeps
//     to a falling limit from the look before it falls, so the chargers keep
//     within the limit (a look that a busy machine makes late may leave a
//     new limit exceeded for up to one 5-minute step, which the test
//     allows).
//
// It prints one line per simulated hour: Amber's and Volue's import prices,
// each battery's state of charge and power (kW, positive discharging), each
// charger's current, the OSCP limit on the chargers together and the site's
// grid power (kW, positive importing); then a table of the energy each
// device charged and discharged and its cost against a do-nothing baseline,
// with the saving; and it writes the day as a plot (Amber's and Volue's
// prices, state of charge, battery power, charger current with the OSCP
// limit) to DIR/sandbox.png and DIR/sandbox.svg.
//
// The baselines are the AlphaESS house left in its own self-consumption mode
// (a second AlphaESS fake on the same clock), the VEN batteries idle, and
// the same energy into each car at full current from the moment it plugs
// in. Energy a battery holds at the end beyond (or short of) its baseline is
// worth the day's lowest import price per kWh, in the plans as in the bill.
//
// The committed plot docs/sandbox.png is made with
//
//	go run ./examples/sandbox -out docs -formats png
//
// A seed always gives the same day, prices, batteries and arrivals, and so
// the same plans; the bill moves from run to run, because the VENs, fakes
// and controller run concurrently in real time: at the default speed by
// about 1 % (two runs: 22.89 and 23.12 AUD saved), at -speed 5000, where a
// look is 60 ms of real time and a busy machine makes some late, by much
// more (two runs: 21.64 and 12.53 AUD, the second missing the spike's look).
// Compare runs at the default speed. Above a speed of about 5000 a busy machine may outrun AlphaESS's 300-second
// signature window (a few tens of milliseconds of real time): such a call
// fails with code 6006, which the controller prints as a glitch and tries
// again at its next look; three failed looks in a row are an error.
//
// Flags:
//
//	-speed    how many times faster than real time the day runs (default
//	          1440: a day in a minute)
//	-seed     which day and scenario (default 1): the seed-th day from
//	          1 December 2026 whose Amber prices spike in the evening, the
//	          batteries' starting charge and the cars' arrival times
//	-out      directory for the plot (default ./sandbox-out, created)
//	-formats  plot formats to write, comma-separated: png, svg (default both)
//	-from     time of day to start at, HH:MM (default 00:00); the day ends
//	          at midnight
//	-tz       time zone of the day and of printed times (default
//	          Australia/Sydney, as Amber's prices are)
//	-v        also print what the controller does
//
// No environment variables are read. SIGINT or SIGTERM stop it cleanly: the
// table then covers the part of the day that ran, no plot is written, and it
// exits 0. It exits 2 for bad flags and 1 when something fails, with a
// message saying what.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // -tz works on machines without a zoneinfo database

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/energy/plan"
	"github.com/gridwire/gridwire/examples/internal/cli"
)

// description is what -h prints first.
const description = "sandbox runs a simulated site (OpenADR VTN + 3 VENs, Amber and Volue prices, AlphaESS, balanz chargers under an OSCP limit) for one day, offline, and plots it."

// help is what -h prints; the sandbox reads no environment variables.
var help = cli.Help{Description: description}

// errUsage stands for a bad command line that cli.Parse has reported.
var errUsage = errors.New("bad command line")

// The defaults of the flags.
const (
	defaultSpeed = 1440
	defaultOut   = "sandbox-out"
	defaultTZ    = "Australia/Sydney"
)

// warmup is the simulated time before the start in which the VENs register
// and start reporting.
const warmup = 30 * time.Minute

// The controller's settings.
var (
	// capping pauses the cars while the import price is above 1 AUD/kWh
	// (an ordinary evening peak is about half that).
	capping     = plan.Charger{Threshold: 1.0, Normal: carCurrent, Capped: 0}
	controlStep = 5 * time.Minute
)

func main() {
	cli.Main(func(ctx context.Context) int { return run(ctx, os.Args[1:], os.Stdout, os.Stderr) })
}

// config holds the parsed flags.
type config struct {
	speed   float64
	seed    uint64
	from    time.Duration // into the day
	out     string
	formats []string
	tz      *time.Location
	verbose bool
}

// run is the program apart from the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stdout, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case err != nil:
		fmt.Fprintln(stderr, "sandbox:", err)
		return 2
	}
	if _, err := sandbox(ctx, cfg, stdout); err != nil {
		fmt.Fprintln(stderr, "sandbox:", err)
		return 1
	}
	return 0
}

func parseFlags(args []string, stdout, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	speed := fs.Float64("speed", defaultSpeed, "how many times faster than real time the day runs (1440: a day in a minute)")
	seed := fs.Uint64("seed", 1, "scenario: the seed-th day from 2026-12-01 with an evening price spike, starting charges, arrivals")
	out := fs.String("out", defaultOut, "directory to write sandbox.png and sandbox.svg to (created)")
	formats := fs.String("formats", "png,svg", "plot formats to write, comma-separated: png, svg")
	tz := cli.TZ(fs, defaultTZ, "time zone of the simulated day and printed times")
	from := fs.String("from", "00:00", "time of day to start at (HH:MM); the day ends at midnight")
	verbose := fs.Bool("v", false, "also print what the controller does")
	if ok, code := cli.Parse(fs, args, help, stdout, stderr); !ok {
		if code == cli.ExitOK {
			return config{}, flag.ErrHelp
		}
		return config{}, errUsage
	}
	cfg := config{speed: *speed, seed: *seed, out: *out, verbose: *verbose}
	if _, err := clock.NewScaled(time.Time{}, cfg.speed); err != nil {
		return cfg, fmt.Errorf("-speed %v: want a number of 1 or more", *speed)
	}
	if cfg.seed < 1 {
		return cfg, errors.New("-seed: want 1 or more")
	}
	if *out == "" {
		return cfg, errors.New("-out: want a directory")
	}
	for _, f := range strings.Split(*formats, ",") {
		if f = strings.TrimSpace(f); f != "png" && f != "svg" {
			return cfg, fmt.Errorf("-formats: %q is not png or svg", f)
		}
		cfg.formats = append(cfg.formats, strings.TrimSpace(f))
	}
	t, err := time.Parse("15:04", *from)
	if err != nil {
		return cfg, fmt.Errorf("-from %q: want HH:MM", *from)
	}
	cfg.from = time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	loc := tz.Location()
	cfg.tz = loc
	return cfg, nil
}

// outcome is what a run of the sandbox did, for its test.
type outcome struct {
	Report  report
	Stats   controllerStats
	Answers map[string]venAnswers // by VEN name
	Plots   []string
	// Errors are the failures of the site's background parts (VENs, VTN).
	Errors []error
	// Missed is how many meter readings failed.
	Missed int
	// Samples are the meter readings of the day.
	Samples []sample
	// Volue are Volue's prices for the day, as its price source had them
	// at the end.
	Volue []energy.Price
	// Scenario is the day that ran.
	Scenario scenario
}

// sandbox runs the day and prints it to w.
func sandbox(ctx context.Context, cfg config, w io.Writer) (outcome, error) {
	var res outcome
	sc, err := newScenario(ctx, cfg.seed, cfg.tz)
	if err != nil {
		return res, err
	}
	sc.Start = sc.Day.Add(cfg.from)
	clk, err := clock.NewScaled(sc.Start.Add(-warmup), cfg.speed)
	if err != nil {
		return res, err
	}
	s, err := startSite(ctx, sc, clk, cfg.tz)
	if err != nil {
		return res, fmt.Errorf("starting the site: %w", err)
	}
	defer s.Close()

	forecast, err := fetchDay(ctx, s.prices, sc.Start, sc.End)
	if err != nil {
		return res, err
	}
	carry := forecast.lowestImport()
	fmt.Fprintf(w, "gridwire sandbox: %s %s–24:00 (%s), seed %d, in %s (×%g); site (VTN, Volue webhook, OSCP) at %s\n",
		sc.Day.Format("Mon 2 Jan 2006"), sc.Start.Format("15:04"), cfg.tz, cfg.seed,
		(time.Duration(float64(sc.End.Sub(sc.Start)) / cfg.speed)).Round(100*time.Millisecond), cfg.speed, s.url)
	fmt.Fprintf(w, "price spike at %s; cars arrive at %s\n\n", sc.Spike.In(cfg.tz).Format("15:04"), arrivals(sc, cfg.tz))

	ctl := &controller{
		Prices: s.prices, Reference: s.volueSource, Capacity: s.capacity,
		Batteries: s.batteries, Chargers: s.chargers, Cap: capping,
		Clock: clk, End: sc.End, Step: controlStep, Carry: carry,
		// A VEN answers at its next poll; allow a few, and a few real
		// seconds for a busy machine.
		SendTimeout: clk.Real(3*s.pace.Poll) + 5*time.Second,
	}
	logf := func(time.Time, string, ...any) {}
	if cfg.verbose {
		logf = func(at time.Time, format string, args ...any) {
			fmt.Fprintf(w, "      %s %s\n", at.In(cfg.tz).Format("15:04"), fmt.Sprintf(format, args...))
		}
	}
	ctl.Logf = logf
	ctlCtx, stopCtl := context.WithCancel(ctx)
	ctlDone := make(chan error, 1)
	go func() {
		// The controller takes over when billing starts.
		if err := clk.Sleep(ctlCtx, sc.Start.Sub(clk.Now())); err != nil {
			ctlDone <- err
			return
		}
		ctlDone <- ctl.Run(ctlCtx)
	}()
	samples, missed, simErr := simulate(ctx, s, sc, forecast, cfg.tz, w, logf)
	stopCtl()
	<-ctlDone
	interrupted := simErr != nil && ctx.Err() != nil
	if simErr != nil && !interrupted {
		return res, simErr
	}
	if interrupted {
		if len(samples) == 0 {
			return res, errors.New("interrupted before the day began")
		}
		sc.End = samples[len(samples)-1].At
		fmt.Fprintf(w, "\ninterrupted at %s: the table covers the day up to then.\n", sc.End.In(cfg.tz).Format("15:04"))
	}

	// Bill at the settled prices. Reading them must not depend on ctx,
	// which an interruption has ended.
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	settled, err := fetchDay(bctx, s.prices, sc.Start, sc.End)
	if err != nil {
		return res, err
	}
	if settled.Volue, err = s.volueSource.Prices(bctx, sc.Start, sc.End); err != nil {
		return res, fmt.Errorf("reading Volue's prices: %w", err)
	}
	if len(settled.Volue) > 0 {
		settled.VolueCurrency = settled.Volue[0].Currency
	}
	res.Volue = settled.Volue
	res.Report = bill(s, sc, samples, settled, carry)
	res.Report.print(w)
	res.Stats = ctl.Stats()
	res.Answers = s.venAnswers()
	res.Errors = s.errs()
	res.Missed = missed
	res.Samples, res.Scenario = samples, sc
	printRun(w, res)
	if interrupted {
		return res, nil
	}
	if res.Plots, err = writePlots(cfg.out, cfg.formats, s, samples, settled, cfg.tz); err != nil {
		return res, fmt.Errorf("writing the plot: %w (choose another directory with -out)", err)
	}
	fmt.Fprintf(w, "plot: %s\n", strings.Join(res.Plots, ", "))
	return res, nil
}

// arrivals lists the cars' arrival times.
func arrivals(sc scenario, loc *time.Location) string {
	var out []string
	for _, c := range sc.Cars {
		out = append(out, fmt.Sprintf("%s (%s)", c.Arrive.In(loc).Format("15:04"), c.Name))
	}
	return strings.Join(out, " and ")
}

// printRun prints what the controller did and how the VENs answered.
func printRun(w io.Writer, res outcome) {
	st := res.Stats
	fmt.Fprintf(w, "\ncontroller: %d schedules sent (%d re-plans; prices moved %d times), %d current limits set (%d looks shared within the OSCP limit), %d errors, %d glitches; %d meter readings missed\n",
		st.Plans, st.Replans, st.PriceMoves, st.Limits, st.Shared, len(st.Errors), len(st.Glitches), res.Missed)
	fmt.Fprintf(w, "Volue reference tariff read at %d looks (last %.3f %s/kWh)\n", st.RefReads, st.RefPrice, st.RefCurrency)
	names := make([]string, 0, len(res.Answers))
	for n := range res.Answers {
		names = append(names, n)
	}
	slices.Sort(names)
	var parts []string
	for _, n := range names {
		a := res.Answers[n]
		parts = append(parts, fmt.Sprintf("%s %d in/%d out", n, a.OptIn, a.OptOut))
	}
	fmt.Fprintf(w, "VEN answers to events: %s\n", strings.Join(parts, ", "))
	for _, err := range append(st.Errors, res.Errors...) {
		fmt.Fprintf(w, "error: %v\n", err)
	}
	for _, err := range st.Glitches {
		fmt.Fprintf(w, "glitch: %v\n", err)
	}
}
