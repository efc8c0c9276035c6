// Command alphaess-status lists the systems of an AlphaESS Open API
// developer account and prints their live power flows and state of charge.
//
//	ALPHAESS_APP_ID=alpha… ALPHAESS_APP_SECRET=… go run ./examples/alphaess-status
//	go run ./examples/alphaess-status -sim            # in-process fake, no network
//	go run ./examples/alphaess-status -base-url http://localhost:8080/api
//
// Against the real service calls are paced 10 s apart, as AlphaESS asks, so
// each system takes ten seconds to show (-min-interval changes that). With
// -sim the fake answers instantly and pacing is off. Without credentials and without -sim the
// command exits with status 2.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"
	_ "time/tzdata" // -tz works on systems without a zoneinfo database

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/alphaess/alphaesstest"
	"github.com/gridwire/gridwire/energy"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the command, apart from the process, so tests can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("alphaess-status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sim := fs.Bool("sim", false, "run against an in-process fake of the Open API (no network, no credentials)")
	baseURL := fs.String("base-url", alphaess.DefaultBaseURL, "base URL of the Open API (or of any server speaking it)")
	zone := fs.String("tz", "Local", "time zone of the systems (IANA name, such as Australia/Sydney)")
	interval := fs.Duration("min-interval", alphaess.DefaultMinInterval, "minimum spacing between calls (AlphaESS asks for 10s)")
	timeout := fs.Duration("timeout", 3*time.Minute, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	loc, err := time.LoadLocation(*zone)
	if err != nil {
		fmt.Fprintf(stderr, "alphaess-status: -tz %q: %v\n", *zone, err)
		return 2
	}

	appID, secret := strings.TrimSpace(getenv("ALPHAESS_APP_ID")), strings.TrimSpace(getenv("ALPHAESS_APP_SECRET"))
	opts := []alphaess.Option{alphaess.WithBaseURL(*baseURL), alphaess.WithLocation(loc), alphaess.WithMinInterval(*interval)}
	source := *baseURL
	if *sim {
		srv := alphaesstest.NewServer(alphaesstest.WithLocation(loc))
		defer srv.Close()
		appID, secret, source = srv.AppID, srv.AppSecret, "simulated Open API (in-process fake, no network)"
		// The fake does not rate-limit, so there is nothing to wait for.
		opts = append(opts, alphaess.WithBaseURL(srv.URL), alphaess.WithMinInterval(0))
	} else if appID == "" || secret == "" {
		fmt.Fprintln(stderr, "alphaess-status: set ALPHAESS_APP_ID and ALPHAESS_APP_SECRET (the developer AppID and")
		fmt.Fprintln(stderr, "AppSecret from https://open.alphaess.com), or run with -sim to use a simulated system.")
		return 2
	}

	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	client, err := alphaess.New(appID, secret, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "alphaess-status: %v\n", err)
		return 2
	}
	fmt.Fprintf(stdout, "AlphaESS systems of AppID %s — %s\n\n", appID, source)
	if err := status(ctx, client, stdout); err != nil {
		fmt.Fprintf(stderr, "alphaess-status: %v\n", err)
		if errors.Is(err, energy.ErrUnauthorized) {
			fmt.Fprintln(stderr, "check the AppID and AppSecret, and the computer's clock (it must be within 5 minutes).")
		}
		return 1
	}
	return 0
}

// status prints one row per system. A system that fails (offline, no
// data) gets a row saying so; only a failure to list the systems is an
// error.
func status(ctx context.Context, c *alphaess.Client, out io.Writer) error {
	systems, err := c.ListSystems(ctx)
	if err != nil {
		return err
	}
	if len(systems) == 0 {
		fmt.Fprintln(out, "No systems are bound to this AppID: bind one at https://open.alphaess.com.")
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "SYSTEM\tMODEL\tCAPACITY\tSOC\tPV\tLOAD\tGRID\tBATTERY\tEV\tMEASURED\t")
	for _, s := range systems {
		row := []string{s.SerialNumber, s.InverterModel, orDash(s.BatteryCapacity)}
		p, err := c.System(s.SerialNumber).LastPowerData(ctx)
		var me *alphaess.MissingDataError
		var ae *alphaess.APIError
		switch {
		case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
			return err
		case errors.As(err, &me):
			row = append(row, "no data", "", "", "", "", "", "")
		case errors.As(err, &ae) && ae.Code == alphaess.CodeSystemOffline:
			row = append(row, "offline", "", "", "", "", "", "")
		case errors.Is(err, energy.ErrUnavailable):
			// A 502 during maintenance or a network failure: the system
			// may well be online.
			row = append(row, "unavailable", "", "", "", "", "", "")
		case err != nil:
			row = append(row, "error: "+err.Error(), "", "", "", "", "", "")
		case p.StateOfCharge == nil && p.PV == nil && p.Load == nil && p.Grid == nil && p.Battery == nil:
			// Some systems answer every value null; that is no reading at all.
			row = append(row, "no data", "", "", "", "", "", "")
		default:
			row = append(row, orDash(p.StateOfCharge), orDash(p.PV), orDash(p.Load),
				flow(p.Grid, "import", "export"), flow(p.Battery, "discharging", "charging"), orDash(p.EV),
				p.ReceivedAt.Format("15:04:05 MST"))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(out, "\nGrid is positive when importing, battery positive when discharging.")
	return nil
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
