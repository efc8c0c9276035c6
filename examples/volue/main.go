// Command volue walks through Volue's Energy Coordination API: it registers
// a user with a vehicle and a meter, registers a webhook pointing at a local
// receiver, asks for a test delivery and prints the verified event, then
// prints a location's price curve from the price events.
//
//	go run ./examples/volue -sim                      # offline, against voluetest's fake
//	VOLUE_CLIENT_ID=… VOLUE_CLIENT_SECRET=… go run ./examples/volue -webhook-url https://my-tunnel.example/volue
//
// Flags:
//
//	-sim          serve the API from an in-process fake (no network, no credentials)
//	-base-url     the API's base URL (default: the sandbox)
//	-token-url    the OAuth2 token endpoint
//	-webhook-url  the public URL Volue should deliver to, forwarded to -listen
//	              (without it, and without -sim, the webhook steps are skipped)
//	-listen       where the local receiver listens (default 127.0.0.1:0)
//	-location     the location whose prices to print (default "home")
//	-tz           the time zone times are printed in (default Local)
//
// A bad flag, or no VOLUE_CLIENT_ID and VOLUE_CLIENT_SECRET without -sim,
// exits with status 2 before the first call; a failure exits with status 1.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/examples/internal/cli"
	"github.com/gridwire/gridwire/volue"
	"github.com/gridwire/gridwire/volue/voluetest"
)

const description = "volue registers a user, vehicle, meter and webhook with Volue's Energy Coordination API, verifies a test delivery and prints a location's prices."

var help = cli.Help{
	Description: description,
	Env: []cli.EnvVar{
		{Name: "VOLUE_CLIENT_ID", Help: "OAuth2 client ID from the Spark portal (not needed with -sim)"},
		{Name: "VOLUE_CLIENT_SECRET", Help: "its client secret"},
	},
}

func main() {
	cli.Main(func(ctx context.Context) int { return run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv) })
}

// config is the parsed command line.
type config struct {
	sim                        bool
	baseURL, tokenURL, hookURL string
	listen, location           string
	tz                         *time.Location
	clientID, clientSecret     string
}

// run is the program, apart from the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("volue", flag.ContinueOnError)
	var cfg config
	fs.BoolVar(&cfg.sim, "sim", false, "serve the API from an in-process fake (no network, no credentials)")
	fs.StringVar(&cfg.baseURL, "base-url", volue.SandboxBaseURL, "base URL of the API (with -sim, the fake's)")
	fs.StringVar(&cfg.tokenURL, "token-url", volue.DefaultTokenURL, "OAuth2 token endpoint (with -sim, the fake's)")
	fs.StringVar(&cfg.hookURL, "webhook-url", "", "public URL Volue delivers to, forwarded to -listen")
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:0", "address of the local webhook receiver")
	fs.StringVar(&cfg.location, "location", "home", "location whose prices to print")
	tz := cli.TZ(fs, "Local", "time zone for printed times, such as Europe/Oslo")
	if ok, code := cli.Parse(fs, args, help, stdout, stderr); !ok {
		return code
	}
	loc := tz.Location()
	cfg.tz = loc
	// Every flag is checked here, before the fake starts or a call is
	// made: a mistake found after registering would leave a user, vehicle
	// and meter behind on the account.
	if err := checkFlags(cfg); err != nil {
		fmt.Fprintln(stderr, "volue:", err)
		return 2
	}
	cfg.clientID, cfg.clientSecret = getenv("VOLUE_CLIENT_ID"), getenv("VOLUE_CLIENT_SECRET")
	var srv *voluetest.Server
	if cfg.sim {
		srv = voluetest.NewServer(voluetest.WithDeliveryBackoff(100 * time.Millisecond))
		defer srv.Close()
		cfg.baseURL, cfg.tokenURL, cfg.clientID, cfg.clientSecret = srv.URL, srv.TokenURL, srv.ClientID, srv.ClientSecret
	} else if cfg.clientID == "" || cfg.clientSecret == "" {
		fmt.Fprintln(stderr, "volue: set VOLUE_CLIENT_ID and VOLUE_CLIENT_SECRET to your Spark portal credentials, or use -sim to run against a simulated API")
		return 2
	}
	c, err := volue.New(cfg.clientID, cfg.clientSecret, volue.WithBaseURL(cfg.baseURL), volue.WithTokenURL(cfg.tokenURL))
	if err != nil {
		fmt.Fprintln(stderr, cli.Message("volue", flagError(err)))
		return 2
	}
	// The receiver's address is taken before the first call, so that one
	// in use stops the program before it has registered anything.
	var ln net.Listener
	if srv != nil || cfg.hookURL != "" {
		if ln, err = net.Listen("tcp", cfg.listen); err != nil {
			fmt.Fprintf(stderr, "volue: -listen %s: %v\n", cfg.listen, err)
			fmt.Fprintln(stderr, "volue: is another program on it? pick a free address, or 127.0.0.1:0 for any")
			return 1
		}
		defer ln.Close()
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := walk(ctx, c, cfg, srv, ln, stdout); err != nil {
		return cli.Fail(stderr, "volue", err,
			cli.Hint{Err: energy.ErrUnauthorized, Advice: "check VOLUE_CLIENT_ID and VOLUE_CLIENT_SECRET, and that they are for the API at -base-url"},
			cli.Hint{Err: energy.ErrUnavailable, Advice: "the API could not be reached; check the network and -base-url, then try again"})
	}
	return 0
}

// checkFlags checks what volue.New does not: the webhook's URL, the
// receiver's address and the location, each named by its flag.
func checkFlags(cfg config) error {
	if cfg.hookURL != "" {
		u, err := url.Parse(cfg.hookURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			// Not echoed: a webhook URL may carry a token.
			return errors.New("-webhook-url: not an absolute http(s) URL, such as https://my-tunnel.example/volue")
		}
	}
	if err := cli.CheckAddr(cfg.listen, "127.0.0.1:8090 ([::1]:8090 for IPv6)"); err != nil {
		return fmt.Errorf("-listen %s: %w", cfg.listen, err)
	}
	if cfg.location == "" {
		return errors.New("-location: must not be empty")
	}
	return nil
}

// flagError is err from volue.New with the option it names replaced by
// the flag that set it; the credentials were checked before.
func flagError(err error) error {
	return cli.FlagError(err, map[string]string{"WithBaseURL": "-base-url", "WithTokenURL": "-token-url"})
}

// walk runs the steps with c; srv is the fake under -sim, else nil; ln is
// the webhook receiver's listener, nil when the webhook steps are skipped.
func walk(ctx context.Context, c *volue.Client, cfg config, srv *voluetest.Server, ln net.Listener, w io.Writer) error {
	user, err := c.CreateUser(ctx)
	if err != nil {
		return fmt.Errorf("registering a user: %w", err)
	}
	fmt.Fprintf(w, "user      %s\n", user.ID)
	vehicle := volue.Vehicle{ID: "demo-car-" + user.ID, Metadata: volue.VehicleMetadata{Brand: "Tesla", Model: "Model 3", Year: 2022}}
	if err := c.AddVehicle(ctx, user.ID, vehicle); err != nil {
		return fmt.Errorf("registering a vehicle: %w", err)
	}
	fmt.Fprintf(w, "vehicle   %s (%s %s %d)\n", vehicle.ID, vehicle.Metadata.Brand, vehicle.Metadata.Model, vehicle.Metadata.Year)
	meterID, err := c.AddMeter(ctx, user.ID, volue.Meter{
		Address:      volue.Address{Street: "Kongens gate 1", City: "Trondheim", ZipCode: "7011"},
		Location:     volue.Coordinates{Latitude: 63.4305, Longitude: 10.3951},
		MeterPointID: "707057500012345678", MeterNumber: "6970631400000000",
	})
	if err != nil {
		return fmt.Errorf("registering a meter: %w", err)
	}
	fmt.Fprintf(w, "meter     %s\n", meterID)

	ps, err := volue.NewPriceSource(cfg.location)
	if err != nil {
		return err
	}
	if srv != nil || cfg.hookURL != "" {
		if err := webhookSteps(ctx, cfg, c, ps, srv, ln, w); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(w, "webhook   skipped: give -webhook-url, a public URL forwarded to -listen, to receive deliveries")
		if err := ps.Load(ctx, c); err != nil {
			return fmt.Errorf("reading price events: %w", err)
		}
	}
	return printPrices(ctx, ps, cfg.location, cfg.tz, w)
}

// webhookSteps registers a webhook pointing at a local Receiver, verifies a
// test delivery, and (under -sim) a price curve delivered through it.
func webhookSteps(ctx context.Context, cfg config, c *volue.Client, ps *volue.PriceSource, srv *voluetest.Server, ln net.Listener, w io.Writer) error {
	secret := randomSecret()
	events := make(chan volue.Event, 16)
	recv, err := volue.NewReceiver(func(ctx context.Context, e volue.Event) error {
		if err := ps.Handle(ctx, e); err != nil {
			return err
		}
		select {
		case events <- e:
		default: // nobody waiting; the event is handled all the same
		}
		return nil
	}, []string{secret})
	if err != nil {
		return err
	}
	server := cli.Serve(&http.Server{Handler: recv}, ln)
	defer func() { _ = server.Stop() }()
	hookURL := cfg.hookURL
	if hookURL == "" {
		hookURL = "http://" + ln.Addr().String() + "/volue"
	}
	hook, err := c.CreateWebhook(ctx, volue.NewWebhook{URL: hookURL, Secret: volue.Secret(secret),
		Operations: []volue.Operation{volue.OperationCreate, volue.OperationUpdate},
		EventTypes: []volue.EventType{volue.EventPriceCurveCreated, volue.EventPriceDelta}})
	if err != nil {
		return fmt.Errorf("registering a webhook: %w", err)
	}
	defer func() {
		// Clean up even after Ctrl-C, but not for longer than a person
		// waiting for the program to stop would accept.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = c.DeleteWebhook(dctx, hook.ID)
	}()
	fmt.Fprintf(w, "webhook   %s → %s\n", hook.ID, hookURL)
	if err := c.TestWebhook(ctx, hook.ID); err != nil {
		return fmt.Errorf("asking for a test delivery: %w", err)
	}
	e, err := await(ctx, events)
	if err != nil {
		return fmt.Errorf("waiting for the test delivery: %w", err)
	}
	fmt.Fprintf(w, "verified  %s event %s (signature checked), payload %s\n", e.Type, e.ID, payloadJSON(e))
	if srv == nil {
		return ps.Load(ctx, c)
	}
	srv.Publish(voluetest.PriceCurve(cfg.location, time.Now().Add(-time.Hour), 24))
	e, err = await(ctx, events)
	if err != nil {
		return fmt.Errorf("waiting for the price curve: %w", err)
	}
	fmt.Fprintf(w, "verified  %s event %s\n", e.Type, e.ID)
	return nil
}

func await(ctx context.Context, events <-chan volue.Event) (volue.Event, error) {
	t := time.NewTimer(30 * time.Second)
	defer t.Stop()
	select {
	case e := <-events:
		return e, nil
	case <-t.C:
		return volue.Event{}, errors.New("no delivery within 30 s; is the webhook URL reachable from Volue?")
	case <-ctx.Done():
		return volue.Event{}, ctx.Err()
	}
}

func payloadJSON(e volue.Event) string {
	if u, ok := e.Payload.(*volue.UnknownPayload); ok {
		return string(u.Raw)
	}
	return fmt.Sprintf("%+v", e.Payload)
}

func printPrices(ctx context.Context, ps *volue.PriceSource, location string, tz *time.Location, w io.Writer) error {
	now := time.Now()
	prices, err := ps.Prices(ctx, now, now.Add(12*time.Hour))
	if errors.Is(err, energy.ErrUnavailable) {
		fmt.Fprintf(w, "prices    none yet for location %s: no PriceCurveCreated event received\n", location)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nPrices for location %s, next 12 hours (%s):\n", location, tz)
	for _, p := range prices {
		mark := ""
		if !p.Start.After(now) {
			mark = "  ◀ now"
		}
		fmt.Fprintf(w, "%s–%s  %7.4f %s/kWh%s\n", p.Start.In(tz).Format("Mon 15:04"), p.End.In(tz).Format("15:04"), p.PerKWh, p.Currency, mark)
	}
	return nil
}

func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
