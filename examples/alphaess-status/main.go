// Command alphaess-status lists the systems of an AlphaESS Open API
// developer account and prints their live power flows and state of charge,
// one row per system as soon as it arrives.
//
//	ALPHAESS_APP_ID=alpha… ALPHAESS_APP_SECRET=… go run ./examples/alphaess-status -tz Australia/Sydney
//	go run ./examples/alphaess-status -sim            # in-process fake, no network
//	go run ./examples/alphaess-status -base-url http://localhost:8080/api
//
// Against the real service calls are paced 10 s apart, as AlphaESS asks, so
// each system's row follows the previous one by ten seconds (-min-interval
// changes that). With -sim the fake answers at once. SIGINT and SIGTERM stop
// it at once. Usage errors (a bad flag, no credentials without -sim) exit
// with status 2, failures with status 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // -tz works on systems without a zoneinfo database

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/alphaess/alphaesstest"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/examples/internal/cli"
)

func main() {
	cli.Main(func(ctx context.Context) int { return run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr) })
}

var help = cli.Help{
	Description: "alphaess-status prints the live power flows and state of charge of every system of an AlphaESS Open API account.",
	Env: []cli.EnvVar{
		{Name: "ALPHAESS_APP_ID", Help: "the developer AppID from https://open.alphaess.com"},
		{Name: "ALPHAESS_APP_SECRET", Help: "the developer AppSecret (not needed with -sim)"},
	},
}

// run is the command, apart from the process, so tests can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("alphaess-status", flag.ContinueOnError)
	sim := fs.Bool("sim", false, "run against an in-process fake of the Open API (no network, no credentials)")
	baseURL := fs.String("base-url", alphaess.DefaultBaseURL, "base URL of the Open API, or of any server speaking it (with -sim, the fake's)")
	zone := cli.TZ(fs, "Local", "time zone of the systems, in which times are printed (IANA name, such as Australia/Sydney)")
	interval := fs.Duration("min-interval", alphaess.DefaultMinInterval, "minimum spacing between calls (AlphaESS asks for 10s; 0: no pacing)")
	timeout := fs.Duration("timeout", 3*time.Minute, "give up after this long")
	if ok, code := cli.Parse(fs, args, help, stdout, stderr); !ok {
		return code
	}
	// Every flag is checked here, before the fake starts or a call is
	// made, and a wrong one is named with the value given.
	switch {
	case *interval < 0:
		fmt.Fprintf(stderr, "alphaess-status: -min-interval: must not be negative (0 turns pacing off), got %v\n", *interval)
		return cli.ExitUsage
	case *timeout <= 0:
		fmt.Fprintf(stderr, "alphaess-status: -timeout: must be positive, got %v\n", *timeout)
		return cli.ExitUsage
	}
	if !*sim {
		if err := cli.CheckBaseURL(*baseURL); err != nil {
			fmt.Fprintf(stderr, "alphaess-status: %v\n", err)
			return cli.ExitUsage
		}
	}
	loc := zone.Location()

	var client *alphaess.Client
	appID, source := strings.TrimSpace(getenv("ALPHAESS_APP_ID")), *baseURL
	if *sim {
		srv := alphaesstest.NewServer(alphaesstest.WithLocation(loc))
		defer srv.Close()
		// The fake does not rate-limit, so its client does not pace.
		client, appID, source = srv.Client(), srv.AppID, "simulated Open API (in-process fake, no network)"
	} else {
		secret := strings.TrimSpace(getenv("ALPHAESS_APP_SECRET"))
		if appID == "" || secret == "" {
			fmt.Fprintln(stderr, "alphaess-status: set ALPHAESS_APP_ID and ALPHAESS_APP_SECRET (the developer AppID and")
			fmt.Fprintln(stderr, "AppSecret from https://open.alphaess.com), or run with -sim to use a simulated system.")
			return 2
		}
		var err error
		if client, err = alphaess.New(appID, secret,
			alphaess.WithBaseURL(*baseURL), alphaess.WithLocation(loc), alphaess.WithMinInterval(*interval)); err != nil {
			// The flags were checked above: what is left is the
			// credentials.
			fmt.Fprintf(stderr, "alphaess-status: %v (check ALPHAESS_APP_ID and ALPHAESS_APP_SECRET)\n", err)
			return 2
		}
	}

	runCtx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	fmt.Fprintf(stdout, "AlphaESS systems of AppID %s — %s\n", appID, source)
	if client.MinInterval() > 0 {
		fmt.Fprintf(stdout, "(calls are %v apart, as AlphaESS asks: rows follow as they arrive)\n", client.MinInterval())
	}
	fmt.Fprintln(stdout)
	err := status(runCtx, client, stdout)
	switch {
	case err == nil:
		return 0
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "alphaess-status: stopped")
		return 1
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Fprintf(stderr, "alphaess-status: no answer within -timeout %v: try again later, or raise -timeout\n", *timeout)
		return 1
	}
	return cli.Fail(stderr, "alphaess-status", err,
		cli.Hint{Err: energy.ErrUnauthorized, Advice: "check the AppID and AppSecret, and the computer's clock (it must be within 5 minutes)."},
		cli.Hint{Err: energy.ErrUnavailable, Advice: "the Open API is unavailable: try again in a few minutes."})
}

// row is the table's layout: fixed widths, so each row can be printed the
// moment it arrives instead of after the whole table.
const row = "%-16s %-18s %10s %7s %9s %9s %18s %22s %9s  %s\n"

// status prints one row per system as it arrives. A system that fails
// (offline, no data) gets a row saying so; only a failure to list the
// systems is an error.
func status(ctx context.Context, c *alphaess.Client, out io.Writer) error {
	systems, err := c.ListSystems(ctx)
	if err != nil {
		return err
	}
	if len(systems) == 0 {
		fmt.Fprintln(out, "No systems are bound to this AppID: bind one at https://open.alphaess.com.")
		return nil
	}
	fmt.Fprintf(out, row, "SYSTEM", "MODEL", "CAPACITY", "SOC", "PV", "LOAD", "GRID", "BATTERY", "EV", "MEASURED")
	for _, s := range systems {
		p, err := c.System(s.SerialNumber).LastPowerData(ctx)
		cells := []any{s.SerialNumber, s.InverterModel, orDash(s.BatteryCapacity)}
		var ae *alphaess.APIError
		switch {
		case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
			return err
		case errors.Is(err, energy.ErrUnauthorized):
			return err
		case errors.As(err, &ae) && ae.Code == alphaess.CodeSystemOffline:
			cells = append(cells, "offline")
		case errors.Is(err, energy.ErrUnavailable) && !isMissing(err):
			// A 502 during maintenance or a network failure: the system
			// may well be online.
			cells = append(cells, "unavailable")
		case err != nil && !isMissing(err):
			cells = append(cells, "error: "+err.Error())
		case err != nil || allNull(p):
			// Some systems answer every value null; that is no reading.
			cells = append(cells, "no data")
		default:
			cells = append(cells, orDash(p.StateOfCharge), orDash(p.PV), orDash(p.Load),
				flow(p.Grid, "import", "export"), flow(p.Battery, "discharging", "charging"), orDash(p.EV),
				measured(p).In(c.Location()).Format("15:04:05 MST"))
		}
		for len(cells) < 10 {
			cells = append(cells, "")
		}
		fmt.Fprintf(out, row, cells...)
	}
	fmt.Fprintln(out, "\nGrid is positive when importing, battery positive when discharging.")
	return nil
}

func isMissing(err error) bool {
	var me *alphaess.MissingDataError
	return errors.As(err, &me)
}

func allNull(p *alphaess.PowerData) bool {
	return p.StateOfCharge == nil && p.PV == nil && p.Load == nil && p.Grid == nil && p.Battery == nil
}

// measured is when the values were measured: the system's uploadTime when
// the answer has one (and it is not ahead of the arrival), else the arrival.
func measured(p *alphaess.PowerData) time.Time {
	if !p.UploadTime.IsZero() && !p.UploadTime.After(p.ReceivedAt) {
		return p.UploadTime
	}
	return p.ReceivedAt
}

// orDash formats a value AlphaESS may send as null.
func orDash[T fmt.Stringer](v *T) string {
	if v == nil {
		return "–"
	}
	return (*v).String()
}

// flow formats a signed power with the direction spelled out.
func flow(p *energy.Watts, pos, neg string) string {
	switch {
	case p == nil:
		return "–"
	case *p > 0:
		return p.String() + " " + pos
	case *p < 0:
		return p.String() + " " + neg
	}
	return p.String()
}
