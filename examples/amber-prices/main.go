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
//	-base-url   talk to another server speaking the Amber API (with -sim, the fake's)
//	-site       the site ID (default: the account's active site)
//	-hours      how many hours ahead to show (default 12)
//	-tz         the time zone times are printed in (default: the site's own)
//
// Times are printed in the site's own time zone by default, the one its
// electricity network is in (Jemena, in Melbourne, gives
// Australia/Melbourne), since that is the clock its tariff follows; an
// unknown network gives Australia/Sydney. -tz takes any IANA zone name,
// "Local", or "NEM" for the market's AEST, UTC+10 all year.
//
// A bad flag, or no AMBER_TOKEN without -sim, exits with status 2 before
// the first call; a failure of the API exits with status 1. SIGINT and SIGTERM stop it cleanly.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // -tz works on systems without a zoneinfo database

	"github.com/gridwire/gridwire/amber"
	"github.com/gridwire/gridwire/amber/ambertest"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/examples/internal/cli"
)

const description = "amber-prices prints the next hours of an Amber Electric site's import and export prices."

var help = cli.Help{
	Description: description,
	Env:         []cli.EnvVar{{Name: "AMBER_TOKEN", Help: "your Amber API token, from app.amber.com.au/developers (not needed with -sim)"}},
}

func main() {
	cli.Main(func(ctx context.Context) int { return run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv) })
}

// run is the program, apart from the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("amber-prices", flag.ContinueOnError)
	sim := fs.Bool("sim", false, "serve the Amber API from an in-process fake (no network, no token)")
	baseURL := fs.String("base-url", amber.DefaultBaseURL, "base URL of a server speaking the Amber API (with -sim, the fake's)")
	siteID := fs.String("site", "", "site ID (default: the account's active site)")
	hours := fs.Int("hours", 12, "hours ahead to show, 1 to 48")
	tzName := fs.String("tz", "", `time zone of the printed times: an IANA name, "Local" or "NEM" (default: the site's network's zone)`)
	if ok, code := cli.Parse(fs, args, help, stdout, stderr); !ok {
		return code
	}
	if *hours < 1 || *hours > 48 {
		fmt.Fprintf(stderr, "amber-prices: -hours: must be from 1 to 48, got %d\n", *hours)
		return 2
	}
	if !*sim {
		if err := cli.CheckBaseURL(*baseURL); err != nil {
			fmt.Fprintf(stderr, "amber-prices: %v\n", err)
			return 2
		}
	}
	var tz *time.Location
	if *tzName != "" {
		var err error
		if tz, err = loadZone(*tzName); err != nil {
			fmt.Fprintf(stderr, "amber-prices: -tz %q is not a time zone (try Australia/Sydney, Local or NEM)\n", *tzName)
			return 2
		}
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
	c, err := amber.New(token, amber.WithBaseURL(*baseURL))
	if err != nil {
		// The flags were checked above: what is left is the token.
		fmt.Fprintf(stderr, "amber-prices: %v (check AMBER_TOKEN)\n", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := show(ctx, c, *siteID, time.Duration(*hours)*time.Hour, tz, time.Now(), stdout); err != nil {
		return cli.Fail(stderr, "amber-prices", err,
			cli.Hint{Err: context.Canceled, Advice: "interrupted"},
			cli.Hint{Err: energy.ErrUnauthorized, Advice: "check AMBER_TOKEN"},
			cli.Hint{Err: energy.ErrRateLimited, Advice: "the account's quota is spent; try again in a few minutes"},
			cli.Hint{Err: energy.ErrUnavailable, Advice: "the API is not answering as it should; try again later, or -base-url for another server"})
	}
	return 0
}

// loadZone is cli.Location plus "NEM", the market's fixed AEST.
func loadZone(name string) (*time.Location, error) {
	if strings.EqualFold(name, "NEM") {
		return amber.NEM, nil
	}
	return cli.Location(name)
}

// networkZones maps Australia's distribution networks to the zone of the
// state they serve.
var networkZones = map[string]string{
	"Ausgrid": "Australia/Sydney", "Endeavour Energy": "Australia/Sydney", "Essential Energy": "Australia/Sydney",
	"Evoenergy": "Australia/Canberra",
	"Jemena":    "Australia/Melbourne", "CitiPower": "Australia/Melbourne", "Powercor": "Australia/Melbourne",
	"AusNet Services": "Australia/Melbourne", "United Energy": "Australia/Melbourne",
	"Energex": "Australia/Brisbane", "Ergon Energy": "Australia/Brisbane",
	"SA Power Networks": "Australia/Adelaide",
	"TasNetworks":       "Australia/Hobart",
}

// siteZone is the zone of the site's network, or Australia/Sydney.
func siteZone(s amber.Site) *time.Location {
	name, ok := networkZones[s.Network]
	if !ok {
		name = "Australia/Sydney"
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return amber.NEM // unreachable with time/tzdata linked in
	}
	return loc
}

// show prints the table for the site (or the account's active site) from
// now on, in tz (nil: the site's zone).
func show(ctx context.Context, c *amber.Client, siteID string, ahead time.Duration, tz *time.Location, now time.Time, w io.Writer) error {
	sites, err := c.Sites(ctx)
	if err != nil {
		return err
	}
	var site amber.Site
	var ok bool
	if siteID == "" {
		if site, ok = amber.ActiveSite(sites); !ok {
			return fmt.Errorf("the account has no active site (%d site(s) in all); pick one with -site", len(sites))
		}
	} else if i := slices.IndexFunc(sites, func(s amber.Site) bool { return s.ID == siteID }); i >= 0 {
		site = sites[i]
	} else {
		return fmt.Errorf("site %q is not one of the account's %d site(s); leave -site out for the active one", siteID, len(sites))
	}
	if tz == nil {
		tz = siteZone(site)
	}
	prices, err := c.Site(site.ID).PriceSource().Prices(ctx, now, now.Add(ahead))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Amber site %s (%s, %s, %d-minute billing intervals)\n",
		site.ID, site.Network, site.Status, int(site.IntervalLength.Minutes()))
	span := fmt.Sprintf("%d hours", int(ahead.Hours()))
	if ahead == time.Hour {
		span = "hour"
	}
	fmt.Fprintf(w, "Next %s of prices in c/kWh incl. GST; export is what you are paid. Times in %s.\n\n",
		span, zoneName(tz, now))
	printTable(w, prices, now, tz)
	if st, ok := c.RateLimit(); ok {
		fmt.Fprintf(w, "\nRate limit: %d of %d requests left, renewed at %s.\n",
			st.Remaining, st.Limit, st.ResetAt.In(tz).Format("15:04:05"))
	}
	return nil
}

// row is one interval with its import and export prices.
type row struct {
	start, end     time.Time
	imp, exp       *energy.Price
	forecast, curr bool
}

func printTable(w io.Writer, prices []energy.Price, now time.Time, tz *time.Location) {
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
			r.start.In(tz).Format("Mon 15:04")+"–"+r.end.In(tz).Format("15:04"), cents(r.imp), cents(r.exp), desc, mark)
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

// zoneName is tz as a reader wants it: its name, and its abbreviation and
// offset now when the name is not the abbreviation already ("AEST +10:00",
// not "AEST (AEST +10:00)").
func zoneName(tz *time.Location, now time.Time) string {
	abbr := now.In(tz).Format("MST -07:00")
	if strings.HasPrefix(abbr, tz.String()+" ") {
		return abbr
	}
	return tz.String() + " (" + abbr + ")"
}
