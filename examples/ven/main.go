// Command ven points one simulated Fortress-style battery at an OpenADR 2.0b
// VTN (simple HTTP, pull mode or, with -push-addr, push mode) and prints what it does: the registration, the
// reports the VTN asks for, the events it opts in to and the battery's state
// of charge as it follows them.
//
//	go run ./examples/ven -vtn http://127.0.0.1:8080
//	go run ./examples/ven -vtn https://vtn.example.com -cert ven.crt -key ven.key -ca vtn-ca.crt
//	go run ./examples/ven -vtn https://vtn.example.com -cert ven.crt -key ven.key -ca vtn-ca.crt -sign -push-addr 0.0.0.0:8081
//
// Flags:
//
//	-vtn        the VTN's base URL (or its /OpenADR2/Simple/2.0b prefix)
//	-ven-name   oadrVenName to register with (default gridwire-battery)
//	-resource   the battery's resourceID (default battery1)
//	-capacity   usable capacity in kWh (default 19.2)
//	-max-power  charge/discharge limit in kW (default 5)
//	-soc        state of charge at start, in % (default 50)
//	-tries      attempts to reach the VTN before giving up (default 5)
//	-timeout    stop after this long (default: run until interrupted)
//	-status     print the battery's state this often (default 10s; 0: never)
//	-cert, -key a TLS client certificate for the VTN; -ca the VTN's CA
//	-sign       sign every message with 2.0b XML signatures (-key's key, -cert's
//	            certificate) and take only answers the VTN signed with the
//	            certificate it presents over TLS (needs -cert and an https -vtn)
//	-push-addr  be a push VEN: listen on this address for the VTN's pushes and
//	            register it as the oadrTransportAddress (over TLS with -cert's
//	            certificate when -cert is given, which a VTN pins the push to;
//	            plain HTTP otherwise); the VEN still polls, for what a push
//	            could not deliver
//	-push-url   the URL the VTN reaches -push-addr by, when it is not
//	            https://-push-addr (http:// without -cert): a public name, a proxy
//	-tz         time zone of printed times (default Local, which follows $TZ)
//	-v          also print every message sent and received, and every report
//
// Environment: TZ sets the Local time zone. SIGINT or SIGTERM stop it
// cleanly. It exits with status 1 when the VTN cannot be reached after
// -tries attempts, refuses the registration or cancels it later, and 2 for
// bad flags.
package main

import (
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/examples/internal/cli"
	"github.com/gridwire/gridwire/openadr/oadrsig"
	"github.com/gridwire/gridwire/openadr/ven"
)

func main() {
	cli.Main(func(ctx context.Context) int { return run(ctx, os.Args[1:], os.Stdout, os.Stderr) })
}

// description is what -h prints first.
const description = "ven runs one simulated battery as an OpenADR 2.0b VEN against a VTN and prints what it does."

var help = cli.Help{
	Description: description,
	Env:         []cli.EnvVar{{Name: "TZ", Help: "the Local time zone (see -tz)"}},
}

// retryGap is the pause between attempts to reach the VTN.
var retryGap = 2 * time.Second

// config holds the parsed flags.
type config struct {
	vtn, name, resource       string
	capacity, maxPower, soc   float64
	tries                     int
	timeout, status, retryGap time.Duration
	cert, key, ca             string
	sign                      bool
	pushAddr, pushURL         string
	verbose                   bool
	tz                        *time.Location
}

// run is the program apart from the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	stdout = &syncWriter{w: stdout}
	c := config{retryGap: retryGap}
	fs := flag.NewFlagSet("ven", flag.ContinueOnError)
	fs.StringVar(&c.vtn, "vtn", "http://127.0.0.1:8080", "the VTN's base URL")
	fs.StringVar(&c.name, "ven-name", ven.DefaultVENName, "oadrVenName to register with")
	fs.StringVar(&c.resource, "resource", ven.DefaultResourceID, "the battery's resourceID")
	def := ven.DefaultBattery()
	fs.Float64Var(&c.capacity, "capacity", def.Capacity.KilowattHours(), "usable capacity in kWh")
	fs.Float64Var(&c.maxPower, "max-power", def.MaxPower.Kilowatts(), "charge/discharge limit in kW")
	fs.Float64Var(&c.soc, "soc", def.InitialSoC.Percent(), "state of charge at start, in %")
	fs.IntVar(&c.tries, "tries", 5, "attempts to reach the VTN before giving up")
	fs.DurationVar(&c.timeout, "timeout", 0, "stop after this long (0: run until interrupted)")
	fs.DurationVar(&c.status, "status", 10*time.Second, "print the battery's state this often (0: never)")
	fs.StringVar(&c.cert, "cert", "", "TLS client certificate (PEM) to present to the VTN")
	fs.StringVar(&c.key, "key", "", "private key (PEM) of -cert")
	fs.StringVar(&c.ca, "ca", "", "CA certificate (PEM) to verify the VTN with")
	fs.BoolVar(&c.sign, "sign", false, "sign messages with 2.0b XML signatures (-key, -cert) and require the VTN's (needs -cert and an https -vtn)")
	fs.StringVar(&c.pushAddr, "push-addr", "", "listen on this address for the VTN's pushes and register as a push VEN")
	fs.StringVar(&c.pushURL, "push-url", "", "the URL the VTN reaches -push-addr by (default https://-push-addr with -cert, http:// without)")
	fs.BoolVar(&c.verbose, "v", false, "also print every message sent and received")
	tz := cli.TZ(fs, "Local", "time zone of printed times (IANA name, UTC or Local)")
	if ok, code := cli.Parse(fs, args, help, stdout, stderr); !ok {
		return code
	}
	loc := tz.Location()
	c.tz = loc
	// Every flag is checked here, each named with the value given, before
	// a file is read or an address taken.
	if err := checkValues(c); err != nil {
		fmt.Fprintln(stderr, "ven:", err)
		return 2
	}
	switch {
	case (c.cert == "") != (c.key == ""):
		fmt.Fprintln(stderr, "ven: -cert and -key go together: give both, or neither")
		return 2
	case c.sign && c.cert == "":
		fmt.Fprintln(stderr, "ven: -sign needs -cert and -key: the VEN signs with its TLS client certificate")
		return 2
	case c.sign && !strings.HasPrefix(c.vtn, "https://"):
		fmt.Fprintln(stderr, "ven: -sign needs an https -vtn: the VTN's signatures are checked against the certificate it presents over TLS")
		return 2
	case c.pushURL != "" && c.pushAddr == "":
		fmt.Fprintln(stderr, "ven: -push-url needs -push-addr")
		return 2
	}
	hc, cert, err := httpClient(c)
	if err != nil {
		fmt.Fprintln(stderr, "ven:", err)
		return 2
	}
	var push net.Listener
	if c.pushAddr != "" {
		if push, err = net.Listen("tcp", c.pushAddr); err != nil {
			fmt.Fprintf(stderr, "ven: -push-addr: %v\n", err)
			return 1
		}
		defer push.Close()
		scheme := "http"
		if c.cert != "" {
			// The VTN pushes to a VEN bound to a certificate only at a
			// server presenting that certificate.
			push = tls.NewListener(push, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
			scheme = "https"
		}
		if c.pushURL == "" {
			c.pushURL = scheme + "://" + push.Addr().String()
		}
	}
	// checkValues built this VEN from the same flags: what is left to
	// fail is -sign's, with the key and certificate read since.
	v, err := newVEN(c, hc, cert, stdout)
	if err != nil {
		fmt.Fprintln(stderr, "ven:", err)
		return 2
	}
	if push != nil {
		server := cli.Serve(&http.Server{Handler: v.PushHandler()}, push)
		defer func() {
			if err := server.Stop(); err != nil {
				fmt.Fprintln(stderr, "ven: push listener:", err)
			}
		}()
		fmt.Fprintf(stdout, "listening for the VTN's pushes at %s\n", c.pushURL)
	}
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	if err := connect(ctx, v, c, stdout, stderr); err != nil {
		switch {
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			return cli.Fail(stderr, "ven", fmt.Errorf("not registered with %s within -timeout %v: %w", c.vtn, c.timeout, err))
		case ctx.Err() != nil:
			fmt.Fprintln(stderr, "ven: interrupted before registering")
			return 1
		}
		return cli.Fail(stderr, "ven", err)
	}

	// Print the battery now and then while Run works; State is safe to call
	// from another goroutine.
	var wg sync.WaitGroup
	runCtx, stopStatus := context.WithCancel(ctx)
	if c.status > 0 {
		wg.Go(func() {
			t := time.NewTicker(c.status)
			defer t.Stop()
			for {
				select {
				case <-runCtx.Done():
					return
				case <-t.C:
					printStatus(stdout, v.State(), c.tz)
				}
			}
		})
	}
	err = v.Run(runCtx)
	stopStatus()
	wg.Wait()
	printStatus(stdout, v.State(), c.tz)
	if errors.Is(err, ven.ErrRegistrationCanceled) {
		fmt.Fprintln(stderr, "ven: the VTN cancelled the registration")
		return 1
	}
	if err != nil {
		return cli.Fail(stderr, "ven", err)
	}
	return 0
}

// checkValues checks the flags' values one by one, in the units the flags
// take, and then what ven.New checks of them (the URLs, the names), each
// said of its flag.
func checkValues(c config) error {
	switch {
	case c.tries < 1:
		return fmt.Errorf("-tries: must be at least 1, got %d", c.tries)
	case c.timeout < 0:
		return fmt.Errorf("-timeout: must not be negative (0: run until interrupted), got %v", c.timeout)
	case c.status < 0:
		return fmt.Errorf("-status: must not be negative (0: never), got %v", c.status)
	case !(c.capacity > 0) || math.IsInf(c.capacity, 0):
		return fmt.Errorf("-capacity: must be a positive number of kWh, got %v", c.capacity)
	case !(c.maxPower > 0) || math.IsInf(c.maxPower, 0):
		return fmt.Errorf("-max-power: must be a positive number of kW, got %v", c.maxPower)
	case !(c.soc >= 0 && c.soc <= 100):
		return fmt.Errorf("-soc: must be from 0 to 100 (%%), got %v", c.soc)
	}
	if c.pushAddr != "" {
		if err := cli.CheckAddr(c.pushAddr, "0.0.0.0:8081 ([::]:8081 for IPv6)"); err != nil {
			return fmt.Errorf("-push-addr %s: %w", c.pushAddr, err)
		}
	}
	// A VEN built from the flags alone, thrown away: ven.New does no I/O.
	c.sign, c.verbose = false, false
	pushFlag := "-push-url"
	if c.pushURL == "" && c.pushAddr != "" {
		c.pushURL, pushFlag = "http://"+c.pushAddr, "-push-addr" // the URL is made from it
	}
	if _, err := newVEN(c, http.DefaultClient, tls.Certificate{}, io.Discard); err != nil {
		return flagError(err, c, pushFlag)
	}
	return nil
}

// flagError is err from ven.New with the option it names replaced by the
// flag of c that set it; pushFlag is the flag the push URL came from
// (-push-url, or -push-addr when the URL was made from the address).
func flagError(err error, c config, pushFlag string) error {
	if fe, ok := errors.AsType[*energy.FieldError](err); ok && fe.Field == "vtnURL" {
		return fmt.Errorf("-vtn %q: %s", c.vtn, fe.Reason) // the only reason that does not quote the value
	}
	return cli.FlagError(err, map[string]string{
		"WithVENName": "-ven-name", "WithResourceID": "-resource", "WithPushAddress": pushFlag,
	})
}

// newVEN builds the VEN from the flags, the client for the VTN and the
// client certificate (zero without -cert).
func newVEN(c config, hc *http.Client, cert tls.Certificate, stdout io.Writer) (*ven.VEN, error) {
	bat := ven.DefaultBattery()
	bat.Capacity = energy.WattHours(c.capacity * 1000)
	bat.MaxPower = energy.Watts(c.maxPower * 1000)
	bat.InitialSoC = energy.FromPercent(c.soc)
	level := slog.LevelInfo
	if c.verbose {
		level = slog.LevelDebug
	}
	opts := []ven.Option{
		ven.WithHTTPClient(hc),
		ven.WithVENName(c.name),
		ven.WithResourceID(c.resource),
		ven.WithBattery(bat),
		ven.WithLogger(slog.New(&lineHandler{w: stdout, level: level, tz: c.tz})),
	}
	if c.sign {
		key, ok := cert.PrivateKey.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("-sign: the key of -key cannot sign")
		}
		signer, err := oadrsig.NewSigner(key, cert.Leaf)
		if err != nil {
			return nil, fmt.Errorf("-sign: %w", err)
		}
		opts = append(opts, ven.WithSigning(signer))
	}
	if c.pushURL != "" {
		opts = append(opts, ven.WithPushAddress(c.pushURL))
	}
	return ven.New(c.vtn, opts...)
}

// httpClient returns the client for the VTN, with the TLS files if given,
// and the client certificate (zero without -cert).
func httpClient(c config) (*http.Client, tls.Certificate, error) {
	hc := &http.Client{Timeout: 30 * time.Second}
	var cert tls.Certificate
	if c.cert == "" && c.ca == "" {
		return hc, cert, nil
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.cert != "" {
		var err error
		if cert, err = tls.LoadX509KeyPair(c.cert, c.key); err != nil {
			return nil, cert, fmt.Errorf("-cert/-key: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	if c.ca != "" {
		pem, err := os.ReadFile(c.ca)
		if err != nil {
			return nil, cert, fmt.Errorf("-ca: %w", err)
		}
		tc.RootCAs = x509.NewCertPool()
		if !tc.RootCAs.AppendCertsFromPEM(pem) {
			return nil, cert, fmt.Errorf("-ca: no PEM certificate in %s", c.ca)
		}
	}
	hc.Transport = &http.Transport{TLSClientConfig: tc}
	return hc, cert, nil
}

// connect asks the VTN about itself and registers, trying up to c.tries
// times while the VTN cannot be reached. A VTN that answers with a refusal
// is not asked again.
func connect(ctx context.Context, v *ven.VEN, c config, stdout, stderr io.Writer) error {
	var err error
	for try := 1; try <= c.tries; try++ {
		if try > 1 {
			t := time.NewTimer(c.retryGap)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
		info, qerr := v.QueryRegistration(ctx)
		switch {
		case qerr == nil:
			fmt.Fprintf(stdout, "VTN %s at %s asks for a poll every %v\n", info.VTNID, c.vtn, info.PollInterval)
		case !errors.Is(qerr, energy.ErrUnavailable):
			// The query is optional; a VTN that fumbles it may still register us.
			fmt.Fprintln(stderr, cli.Message("ven", fmt.Errorf("the VTN did not answer oadrQueryRegistration well: %w", qerr)))
		}
		if err = qerr; qerr == nil || !errors.Is(qerr, energy.ErrUnavailable) {
			if err = v.Register(ctx); err == nil {
				s := v.State()
				fmt.Fprintf(stdout, "registered as %s (registration %s); battery %s at %v\n", s.VENID, s.RegistrationID, c.resource, s.Battery.StateOfCharge)
				return nil
			}
		}
		if ctx.Err() != nil || !errors.Is(err, energy.ErrUnavailable) {
			break // interrupted, or the VTN answered: trying again will not help
		}
		fmt.Fprintln(stderr, cli.Message("ven", fmt.Errorf("try %d of %d: %w", try, c.tries, err)))
	}
	return fmt.Errorf("cannot register with %s: %w", c.vtn, err)
}

// printStatus prints the battery's state in a line; its power is said in
// words (charging, discharging) and as a magnitude, so it reads the same
// whatever sign convention the reader has in mind.
func printStatus(w io.Writer, s ven.State, tz *time.Location) {
	b := s.Battery
	mode := "idle"
	switch {
	case b.Power > 0:
		mode = "discharging"
	case b.Power < 0:
		mode = "charging"
	}
	fmt.Fprintf(w, "%s SoC %v, %s at %v, %v, %v; %d event(s), %d report request(s)\n",
		b.MeasuredAt.In(tz).Format(time.TimeOnly), b.StateOfCharge, mode, abs(b.Power), *b.Voltage, *b.Temperature,
		len(s.Events), len(s.Reports))
}

func abs(p energy.Watts) energy.Watts {
	if p < 0 {
		return -p
	}
	return p
}
