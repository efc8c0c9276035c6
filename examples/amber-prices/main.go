// Command amber-prices prints the next hours of import and export prices of
// an Amber Electric site as a table.
//
//	AMBER_TOKEN=psk_… go run ./examples/amber-prices          # the real API
//	go run ./examples/amber-prices -sim                       # offline, against ambertest
//	AMBER_TOKEN=… go run ./examples/amber-prices -base-url http://127.0.0.1:8080/v1
//
// Flags:
//
//	-sim        serve the Amber API from an in-process fake (no network, no token)
//	-base-url   talk to another server speaking the Amber API
//	-site       the site ID (default: the account's active site)
//	-hours      how many hours ahead to show (default 12)
//
// Without AMBER_TOKEN and without -sim it exits with status 2.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/gridwire/gridwire/amber"
	"github.com/gridwire/gridwire/amber/ambertest"
	"github.com/gridwire/gridwire/energy"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run is the program, apart from the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("amber-prices", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sim := fs.Bool("sim", false, "serve the Amber API from an in-process fake (no network, no token)")
	baseURL := fs.String("base-url", amber.DefaultBaseURL, "base URL of a server speaking the Amber API")
	siteID := fs.String("site", "", "site ID (default: the account's active site)")
	hours := fs.Int("hours", 12, "hours ahead to show")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *hours < 1 || *hours > 48 {
		fmt.Fprintln(stderr, "amber-prices: -hours must be from 1 to 48")
		return 2
	}
	token := getenv("AMBER_TOKEN")
	if *sim {
		srv := ambertest.NewServer()
		defer srv.Close()
		token, *baseURL = srv.Token, srv.URL
	} else if token == "" {
		fmt.Fprintln(stderr, "amber-prices: set AMBER_TOKEN to your Amber API token (app.amber.com.au/developers), or use -sim to run against a simulated server")
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, err := amber.New(token, amber.WithBaseURL(*baseURL))
	if err != nil {
		fmt.Fprintln(stderr, "amber-prices:", err)
		return 2
	}
	if err := show(ctx, c, *siteID, time.Duration(*hours)*time.Hour, stdout); err != nil {
		fmt.Fprintln(stderr, "amber-prices:", err)
		if errors.Is(err, energy.ErrUnauthorized) {
			fmt.Fprintln(stderr, "amber-prices: check AMBER_TOKEN")
		}
		return 1
	}
	return 0
}

// show prints the table for the site (or the account's active site).
func show(ctx context.Context, c *amber.Client, siteID string, ahead time.Duration, w io.Writer) error {
	sites, err := c.Sites(ctx)
	if err != nil {
		return err
	}
	var site amber.Site
	var ok bool
	if siteID == "" {
		if site, ok = amber.ActiveSite(sites); !ok {
			return fmt.Errorf("the account has no active site (%d site(s) in all)", len(sites))
		}
	} else if i := slices.IndexFunc(sites, func(s amber.Site) bool { return s.ID == siteID }); i >= 0 {
		site = sites[i]
	} else {
		return fmt.Errorf("site %q is not one of the account's %d site(s)", siteID, len(sites))
	}
	now := time.Now()
	prices, err := c.Site(site.ID).PriceSource().Prices(ctx, now, now.Add(ahead))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Amber site %s (%s, %s, %d-minute billing intervals)\n",
		site.ID, site.Network, site.Status, int(site.IntervalLength.Minutes()))
	fmt.Fprintf(w, "Next %d hours of prices in c/kWh incl. GST; export is what you are paid. Local time (%s).\n\n",
		int(ahead.Hours()), now.Format("MST -07:00"))
	printTable(w, prices, now)
	if st, ok := c.RateLimit(); ok {
		fmt.Fprintf(w, "\nRate limit: %d of %d requests left, renewed at %s.\n",
			st.Remaining, st.Limit, st.ResetAt.Local().Format("15:04:05"))
	}
	return nil
}

// row is one interval with its import and export prices.
type row struct {
	start, end     time.Time
	imp, exp       *energy.Price
	forecast, curr bool
}

func printTable(w io.Writer, prices []energy.Price, now time.Time) {
	var rows []*row
	byStart := map[time.Time]*row{}
	for i := range prices {
		p := &prices[i]
		r := byStart[p.Start]
		if r == nil {
			r = &row{start: p.Start, end: p.End, curr: !p.Start.After(now) && p.End.After(now)}
			byStart[p.Start] = r
			rows = append(rows, r)
		}
		r.forecast = r.forecast || p.Forecast
		switch p.Channel {
		case energy.ChannelImport:
			r.imp = p
		case energy.ChannelExport:
			r.exp = p
		}
	}
	fmt.Fprintf(w, "%-15s %9s %9s  %s\n", "Interval", "Import", "Export", "Descriptor")
	for _, r := range rows {
		desc := ""
		if r.imp != nil {
			desc = r.imp.Descriptor
		}
		mark := ""
		switch {
		case r.curr && r.forecast:
			mark = "◀ now (estimate)"
		case r.curr:
			mark = "◀ now"
		case r.forecast:
			mark = "forecast"
		}
		line := fmt.Sprintf("%-15s %9s %9s  %-13s %s",
			r.start.Local().Format("Mon 15:04")+"–"+r.end.Local().Format("15:04"), cents(r.imp), cents(r.exp), desc, mark)
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
}

// cents formats an AUD/kWh price in c/kWh.
func cents(p *energy.Price) string {
	if p == nil {
		return "–"
	}
	return fmt.Sprintf("%.2f", p.PerKWh*100)
}
