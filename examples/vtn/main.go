// Command vtn runs an OpenADR 2.0b VTN for pull-mode VENs (OpenLEADR's, EPRI's,
// the Fortress Power sandbox, openadr/ven): it accepts any VEN, requests every
// telemetry report a VEN offers, and prints the telemetry as it arrives, and
// each VEN's battery status (energy.BatteryStatus, power + discharging) when
// its reports give one.
//
//	go run ./examples/vtn -addr 127.0.0.1:8080 -vtn-id VTN_GRIDWIRE
//	go run ./examples/vtn -event        # also send each VEN a charge-then-discharge schedule
//
// Point a VEN at http://127.0.0.1:8080 (the services live under
// /OpenADR2/Simple/2.0b/). Flags:
//
//	-addr         listen address (default 127.0.0.1:8080)
//	-vtn-id       the VTN's ID; it needs an upper-case letter (default VTN_GRIDWIRE)
//	-poll         poll period asked of VENs (default 10s)
//	-granularity  telemetry sampling period requested (default 10s; fitted to what each VEN allows)
//	-report-back  how often VENs send their telemetry (default: the granularity)
//	-event        send each newly registered VEN a charge-then-discharge schedule starting in a
//	              minute, through its energy.Battery (openadr.VTN.Battery)
//	-cert, -key   serve HTTPS with this certificate (VENs with client certificates are then
//	              bound to them)
//	-v            log every exchange
//
// It stops on interrupt.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type config struct {
	addr, vtnID       string
	poll              time.Duration
	granularity, back time.Duration
	event, verbose    bool
	certFile, keyFile string
}

// run is the program, apart from the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return 2
	}
	level := slog.LevelWarn
	if cfg.verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	vtn, err := newVTN(cfg, stdout, log)
	if err != nil {
		fmt.Fprintln(stderr, "vtn:", err)
		return 2
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintln(stderr, "vtn:", err)
		return 1
	}
	scheme := "http"
	if cfg.certFile != "" {
		cert, err := tls.LoadX509KeyPair(cfg.certFile, cfg.keyFile)
		if err != nil {
			ln.Close()
			fmt.Fprintln(stderr, "vtn:", err)
			return 1
		}
		// Client certificates are asked for, not required: a VEN that
		// presents one is bound to it (see openadr.Caller).
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, ClientAuth: tls.RequestClientCert, MinVersion: tls.VersionTLS12})
		scheme = "https"
	}
	srv := &http.Server{
		Handler:           vtn,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "VTN %s listening on %s://%s%s\n", vtn.ID(), scheme, ln.Addr(), openadr.PathPrefix)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintln(stderr, "vtn:", err)
		return 1
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		fmt.Fprintln(stderr, "vtn: shutdown:", err)
		return 1
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "vtn:", err)
		return 1
	}
	return 0
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("vtn", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "listen address")
	fs.StringVar(&cfg.vtnID, "vtn-id", "VTN_GRIDWIRE", "the VTN's ID (needs an upper-case letter)")
	fs.DurationVar(&cfg.poll, "poll", openadr.DefaultPollFrequency, "poll period asked of VENs (whole seconds)")
	fs.DurationVar(&cfg.granularity, "granularity", 10*time.Second, "telemetry sampling period to request")
	fs.DurationVar(&cfg.back, "report-back", 0, "how often VENs send telemetry (default: the granularity)")
	fs.BoolVar(&cfg.event, "event", false, "send each new VEN a charge-then-discharge event")
	fs.StringVar(&cfg.certFile, "cert", "", "TLS certificate file (with -key)")
	fs.StringVar(&cfg.keyFile, "key", "", "TLS key file")
	fs.BoolVar(&cfg.verbose, "v", false, "log every exchange")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	switch {
	case fs.NArg() > 0:
		err := fmt.Errorf("unexpected argument %q", fs.Arg(0))
		fmt.Fprintln(stderr, "vtn:", err)
		return cfg, err
	case (cfg.certFile == "") != (cfg.keyFile == ""):
		err := errors.New("-cert and -key go together")
		fmt.Fprintln(stderr, "vtn:", err)
		return cfg, err
	case cfg.granularity < time.Second || cfg.back < 0:
		err := errors.New("-granularity must be at least 1s and -report-back not negative")
		fmt.Fprintln(stderr, "vtn:", err)
		return cfg, err
	}
	return cfg, nil
}

// newVTN builds the VTN with the program's hooks, which print to out.
func newVTN(cfg config, out io.Writer, log *slog.Logger) (*openadr.VTN, error) {
	p := &printer{w: out}
	var vtn *openadr.VTN
	onRegistration := func(ctx context.Context, c openadr.RegistrationChange) {
		r := c.Registration
		p.printf("%s VEN %s (%q) %s\n", stamp(time.Now()), r.VenID, r.VenName, c.Kind)
		if !cfg.event || c.Kind != openadr.Registered {
			return
		}
		// Not waiting for the VEN's answer: this runs inside its
		// registration request, and it cannot poll before that is answered.
		// The event-response hook prints the answer.
		bat := vtn.Battery(r.VenID, openadr.WithoutWaiting())
		if err := bat.SetSchedule(ctx, chargeThenDischarge(time.Now())); err != nil {
			p.printf("%s VEN %s: schedule not sent: %v\n", stamp(time.Now()), r.VenID, err)
			return
		}
		var ids []string
		if evs, err := bat.ScheduleEvents(ctx); err == nil {
			for _, e := range evs {
				ids = append(ids, e.Event.ID)
			}
		}
		p.printf("%s VEN %s: schedule queued as event %s (charge 3 kW for 30 min, then discharge 3 kW for 30 min)\n", stamp(time.Now()), r.VenID, strings.Join(ids, ", "))
	}
	var err error
	vtn, err = openadr.NewVTN(cfg.vtnID,
		openadr.WithLogger(log),
		openadr.WithPollFrequency(cfg.poll),
		openadr.WithReportRegistrationHook(openadr.RequestTelemetry(cfg.granularity, cfg.back)),
		openadr.WithRegistrationChangeHook(onRegistration),
		openadr.WithTelemetryHook(func(ctx context.Context, venID string, ms []openadr.Measurement) {
			battery := false
			for _, m := range ms {
				p.printf("%s VEN %s %s\n", stamp(m.MeasuredAt), venID, describe(m))
				battery = battery || m.Quantity == openadr.QuantityStateOfCharge || m.Quantity == openadr.QuantityPower
			}
			if !battery {
				return
			}
			// The same data through the energy vocabulary, once the VEN has
			// reported a state of charge and a power recently enough.
			if st, err := vtn.Battery(venID).BatteryStatus(ctx); err == nil {
				p.printf("%s VEN %s battery: state of charge %s, power %s (+ discharging), capacity %s\n",
					stamp(st.MeasuredAt), venID, st.StateOfCharge, st.Power, st.Capacity)
			} else {
				log.DebugContext(ctx, "no battery status", "venID", venID, "err", err)
			}
		}),
		openadr.WithEventResponseHook(func(_ context.Context, r openadr.EventResponse) {
			p.printf("%s VEN %s event %s (modification %d): %s\n", stamp(r.ReceivedAt), r.VenID, r.EventID, r.ModificationNumber, r.OptType)
		}),
		openadr.WithOptHook(func(_ context.Context, o openadr.Opt) {
			state := "created"
			if o.Cancelled {
				state = "cancelled"
			}
			p.printf("%s VEN %s opt %s %s: %s (%s)\n", stamp(o.ReceivedAt), o.VenID, o.OptID, state, o.Type, o.Reason)
		}),
	)
	return vtn, err
}

// chargeThenDischarge is the -event schedule: from a minute after now, half
// an hour charging at 3 kW, then half an hour discharging at 3 kW. The VTN
// sends it as one event (the windows adjoin) with a LOAD_DISPATCH setpoint
// of +3 then −3 kW (the wire's sign: + charges) and a SIMPLE level.
func chargeThenDischarge(now time.Time) energy.Schedule {
	start := now.Add(time.Minute).Truncate(time.Second)
	mid := start.Add(30 * time.Minute)
	return energy.Schedule{Windows: []energy.Window{
		{Start: start, End: mid, Mode: energy.ModeCharge, Power: 3000},
		{Start: mid, End: mid.Add(30 * time.Minute), Mode: energy.ModeDischarge, Power: 3000},
	}}
}

// describe formats a measurement: resource, data point, value and unit.
func describe(m openadr.Measurement) string {
	res := m.ResourceID
	if res == "" {
		res = "-"
	}
	switch m.Quantity {
	case openadr.QuantityStateOfCharge:
		f, _ := m.StateOfCharge()
		return fmt.Sprintf("%s state of charge %s", res, f)
	case openadr.QuantityStatus:
		return fmt.Sprintf("%s status online=%t manual-override=%t", res, m.Status.Online, m.Status.ManualOverride)
	case openadr.QuantityOther:
		return fmt.Sprintf("%s %s %g %s", res, m.RID, m.Value, m.Unit)
	}
	return fmt.Sprintf("%s %s %g %s", res, m.Quantity, m.Value, m.Unit)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// printer serialises lines from concurrent requests.
type printer struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *printer) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format, args...)
}
