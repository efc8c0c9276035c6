// Command oscp lists a SolarNetwork account's OSCP setup (Capacity
// Providers, Capacity Optimizers, Capacity Groups and their assets) as
// tables, and can run a Capacity Optimizer endpoint that prints the
// capacity forecasts SolarNetwork's Flexibility Provider sends it.
//
//	SN_TOKEN=… SN_TOKEN_SECRET=… go run ./examples/oscp                 # the real API
//	go run ./examples/oscp -sim                                         # offline, against oscptest
//	go run ./examples/oscp -sim -co 127.0.0.1:9090                      # plus a CO endpoint fed by a fake FP
//	SN_TOKEN=… SN_TOKEN_SECRET=… OSCP_CO_TOKEN=… go run ./examples/oscp -co 127.0.0.1:9090
//
// Flags:
//
//	-sim        serve SolarNetwork from in-process fakes (no network, no token)
//	-base-url   talk to another SolarNetwork server (with -sim, the fake's)
//	-co ADDR    run the CO endpoint on ADDR (at /oscp/co/2.0) until interrupted
//	-tz         time zone for printed times (default: local)
//
// The CO endpoint only receives: registering the optimizer with
// SolarNetwork's Flexibility Provider (co.Client.Register, with the
// endpoint's public URL) is up to the optimizer's own program.
//
// Environment: SN_TOKEN and SN_TOKEN_SECRET (a SolarNetwork user token),
// OSCP_CO_TOKEN (the token the FP must present to the CO endpoint; -co
// only). Usage errors exit 2, failures 1.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/examples/internal/cli"
	"github.com/gridwire/gridwire/oscp"
	"github.com/gridwire/gridwire/oscp/co"
	"github.com/gridwire/gridwire/oscp/oscptest"
)

const coPath = "/oscp/co/2.0"

var help = cli.Help{
	Description: "oscp lists a SolarNetwork account's OSCP providers, optimizers, groups and assets, and can run a Capacity Optimizer endpoint that prints forecasts.",
	Env: []cli.EnvVar{
		{Name: "SN_TOKEN", Help: "a SolarNetwork user token (not needed with -sim)"},
		{Name: "SN_TOKEN_SECRET", Help: "its secret"},
		{Name: "OSCP_CO_TOKEN", Help: "the token the FP presents to -co (-co only)"},
	},
}

func main() {
	cli.Main(func(ctx context.Context) int { return run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv) })
}

// run is the program, apart from the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("oscp", flag.ContinueOnError)
	sim := fs.Bool("sim", false, "serve SolarNetwork from in-process fakes (no network, no token)")
	baseURL := fs.String("base-url", oscp.DefaultBaseURL, "base URL of a SolarNetwork server (with -sim, the fake's)")
	coAddr := fs.String("co", "", "run the Capacity Optimizer endpoint on this address (such as 127.0.0.1:9090) until interrupted")
	tzName := cli.TZ(fs, "Local", "time zone for printed times, such as Europe/Berlin")
	if ok, code := cli.Parse(fs, args, help, stdout, stderr); !ok {
		return code
	}
	tz := tzName.Location()
	// Every flag is checked before the fake starts or a call is made.
	if *coAddr != "" {
		if err := cli.CheckAddr(*coAddr, "127.0.0.1:9090 ([::1]:9090 for IPv6)"); err != nil {
			fmt.Fprintf(stderr, "oscp: -co %s: %v\n", *coAddr, err)
			return 2
		}
	}
	if !*sim {
		if err := cli.CheckBaseURL(*baseURL); err != nil {
			fmt.Fprintf(stderr, "oscp: %v\n", err)
			return 2
		}
	}
	tokenID, secret, coToken := getenv("SN_TOKEN"), getenv("SN_TOKEN_SECRET"), getenv("OSCP_CO_TOKEN")
	if *sim {
		srv := oscptest.NewServer()
		defer srv.Close()
		tokenID, secret, *baseURL = srv.TokenID, srv.TokenSecret, srv.URL
		if coToken == "" {
			coToken = "sim-co-token"
		}
	} else if tokenID == "" || secret == "" {
		fmt.Fprintln(stderr, "oscp: set SN_TOKEN and SN_TOKEN_SECRET to a SolarNetwork user token (SolarNetwork → My Account → Security Tokens), or use -sim to run against a simulated server")
		return 2
	}
	if *coAddr != "" && coToken == "" {
		fmt.Fprintln(stderr, "oscp: -co needs OSCP_CO_TOKEN, the token SolarNetwork's FP must present to this endpoint (the one given in the CO's register message)")
		return 2
	}
	c, err := oscp.New(tokenID, secret, oscp.WithBaseURL(*baseURL))
	if err != nil {
		// The flags were checked above: what is left is the token.
		fmt.Fprintf(stderr, "%s (check SN_TOKEN and SN_TOKEN_SECRET)\n", cli.Message("oscp", err))
		return 2
	}
	// The endpoint's address is taken before the listing, so that one in
	// use stops the program before it has done anything.
	var ln net.Listener
	if *coAddr != "" {
		if ln, err = net.Listen("tcp", *coAddr); err != nil {
			fmt.Fprintf(stderr, "oscp: -co %s: %v\n", *coAddr, err)
			fmt.Fprintln(stderr, "oscp: is another program on it? pick a free address, such as 127.0.0.1:9090")
			return 1
		}
		defer ln.Close()
	}
	lctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	err = list(lctx, c, stdout, tz)
	cancel()
	if err != nil {
		return cli.Fail(stderr, "oscp", err,
			cli.Hint{Err: energy.ErrUnauthorized, Advice: "check SN_TOKEN and SN_TOKEN_SECRET, and that the token may use the OSCP API"},
			cli.Hint{Err: energy.ErrUnavailable, Advice: "SolarNetwork could not be reached or answered badly; check the network and -base-url, try again later, or use -sim"})
	}
	if ln == nil {
		return 0
	}
	if err := serveCO(ctx, ln, coToken, *sim, stdout, tz); err != nil {
		fmt.Fprintln(stderr, "oscp:", err)
		return 1
	}
	return 0
}

// list prints the providers, optimizers, groups and each group's assets.
func list(ctx context.Context, c *oscp.Client, w io.Writer, tz *time.Location) error {
	providers, err := c.CapacityProviders(ctx)
	if err != nil {
		return fmt.Errorf("listing capacity providers: %w", err)
	}
	optimizers, err := c.CapacityOptimizers(ctx)
	if err != nil {
		return fmt.Errorf("listing capacity optimizers: %w", err)
	}
	groups, err := c.CapacityGroups(ctx)
	if err != nil {
		return fmt.Errorf("listing capacity groups: %w", err)
	}
	for _, s := range []struct {
		title string
		l     []oscp.System
	}{{"Capacity Providers", providers}, {"Capacity Optimizers", optimizers}} {
		fmt.Fprintf(w, "%s (%d)\n", s.title, len(s.l))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tName\tEnabled\tStatus\tOSCP\tBase URL\tHeartbeat\tAuth")
		for _, p := range s.l {
			auth := "token"
			if p.ServiceProps.OAuth != nil {
				auth = "OAuth " + p.ServiceProps.OAuth.ClientID
			}
			fmt.Fprintf(tw, "%d\t%s\t%v\t%s\t%s\t%s\t%s\t%s\n", p.ConfigID, p.Name, p.Enabled, p.RegistrationStatus,
				p.OSCPVersion, p.BaseURL, when(p.HeartbeatDate, tz), auth)
		}
		tw.Flush()
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Capacity Groups (%d)\n", len(groups))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tName\tIdentifier\tEnabled\tCP\tCP period\tCO\tCO period\tModified")
	for _, g := range groups {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%v\t%d\t%s\t%d\t%s\t%s\n", g.ConfigID, g.Name, g.Identifier, g.Enabled,
			g.CapacityProviderID, g.CapacityProviderMeasurementPeriod, g.CapacityOptimizerID, g.CapacityOptimizerMeasurementPeriod,
			when(g.Modified, tz))
	}
	tw.Flush()
	for _, g := range groups {
		assets, err := c.CapacityGroupAssets(ctx, g.ConfigID)
		if err != nil {
			return fmt.Errorf("listing assets of group %d: %w", g.ConfigID, err)
		}
		fmt.Fprintf(w, "\nAssets of %s (%d)\n", g.Identifier, len(assets))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tName\tIdentifier\tEnabled\tAudience\tCategory\tPhase\tNode\tSource\tMeasures")
		for _, a := range assets {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%v\t%s\t%s\t%s\t%d\t%s\t%s\n", a.ConfigID, a.Name, a.Identifier, a.Enabled,
				a.Audience, a.Category, dash(string(a.Phase)), a.NodeID, a.SourceID, measures(a))
		}
		tw.Flush()
	}
	return nil
}

func measures(a oscp.Asset) string {
	var parts []string
	if i := a.Instantaneous; i != nil {
		parts = append(parts, fmt.Sprintf("%s %s of %s", i.StatisticType, i.Unit, strings.Join(i.PropertyNames, ",")))
	}
	if e := a.Energy; e != nil {
		parts = append(parts, fmt.Sprintf("%s %s %s %s of %s", e.Type, e.Direction, e.StatisticType, e.Unit, strings.Join(e.PropertyNames, ",")))
	}
	return dash(strings.Join(parts, "; "))
}

func when(t oscp.Timestamp, tz *time.Location) string {
	if t.IsZero() {
		return "–"
	}
	return t.In(tz).Format("2006-01-02 15:04:05 MST")
}

func dash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// serveCO runs the CO endpoint on ln until ctx is done, printing each
// forecast. With sim, a fake FP connects to it and sends a forecast every
// few seconds.
func serveCO(ctx context.Context, ln net.Listener, token string, sim bool, w io.Writer, tz *time.Location) error {
	// Hooks run on the server's goroutines: one message is printed at a
	// time.
	var mu sync.Mutex
	forecasts := co.NewForecasts()
	printForecast := func(kind string) func(context.Context, co.CapacityForecast) error {
		return func(_ context.Context, f co.CapacityForecast) error {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(w, "\n%s forecast for %s (%s), %d block(s):\n", kind, f.GroupID, f.Type, len(f.ForecastedBlocks))
			for _, b := range f.ForecastedBlocks {
				fmt.Fprintf(w, "  %s – %s  %6g %-3s phase %s\n", b.StartTime.In(tz).Format("Jan 2 15:04"),
					b.EndTime.In(tz).Format("15:04"), b.Capacity, b.Unit, b.Phase)
			}
			if c, ok := forecasts.MayDraw(f.GroupID, time.Now()); ok {
				for _, ph := range slices.Sorted(maps.Keys(c)) {
					fmt.Fprintf(w, "  may draw now on phase %s: %g %s\n", ph, c[ph].Value, c[ph].Unit)
				}
			}
			return nil
		}
	}
	h, err := co.NewHandler(token, co.Hooks{
		UpdateGroupCapacityForecast: printForecast("Update"),
		AdjustGroupCapacityForecast: printForecast("Adjust"),
		Register: func(_ context.Context, m co.Register) error {
			mu.Lock()
			defer mu.Unlock()
			base, _ := m.BaseURL(co.Version)
			fmt.Fprintf(w, "\nFP registered; it serves OSCP 2.0 at %s\n", base)
			return nil
		},
		Heartbeat: func(_ context.Context, m co.Heartbeat) error {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(w, "FP heartbeat; offline after %s\n", m.OfflineModeAt.In(tz).Format("15:04:05"))
			return nil
		},
	}, co.WithForecasts(forecasts))
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle(coPath+"/", h)
	url := "http://" + ln.Addr().String() + coPath
	fmt.Fprintf(w, "\nCapacity Optimizer endpoint at %s (interrupt to stop)\n", url)

	server := cli.Serve(&http.Server{Handler: mux}, ln)
	var wg sync.WaitGroup
	if sim {
		wg.Go(func() {
			simulateFP(ctx, url, token, func(err error) {
				mu.Lock()
				defer mu.Unlock()
				fmt.Fprintln(w, "simulated FP:", err)
			})
		})
	}
	select {
	case <-ctx.Done():
	case <-server.Done():
	}
	err = server.Stop()
	wg.Wait()
	return err
}

// simulateFP connects a fake FP to the endpoint and sends a forecast of
// the next hour, then every 5 seconds, until ctx is done; failures go to
// report.
func simulateFP(ctx context.Context, coURL, token string, report func(error)) {
	fp := oscptest.NewFP()
	defer fp.Close()
	if err := fp.Connect(ctx, coURL, token); err != nil {
		report(err)
		return
	}
	for i := 0; ; i++ {
		start := time.Now().Truncate(15 * time.Minute)
		var blocks []co.ForecastedBlock
		for b := range 4 {
			blocks = append(blocks, co.ForecastedBlock{Capacity: float64(32 - 4*((b+i)%4)), Phase: co.PhaseAll, Unit: co.UnitA,
				StartTime: start.Add(time.Duration(b) * 15 * time.Minute), EndTime: start.Add(time.Duration(b+1) * 15 * time.Minute)})
		}
		if err := fp.SendForecast(ctx, co.CapacityForecast{GroupID: "my-group", Type: co.Consumption, ForecastedBlocks: blocks}); err != nil && ctx.Err() == nil {
			report(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(5 * time.Second):
		}
	}
}
