// Command vtn runs an OpenADR 2.0b VTN for VENs (OpenLEADR's, EPRI's, the
// Fortress Power sandbox, openadr/ven; pull mode, and push mode, whose VENs
// get their messages posted to them within a second): it accepts any VEN
// (or, with -provision, the VENs listed), requests every telemetry report
// a VEN offers, and prints one line per VEN per report: the battery's
// state of charge, whether it charges or discharges and at what power (in
// words, so no sign convention can be misread), and the rest of what the
// report carries.
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
//	-tls-cert, -tls-key
//	              serve HTTPS (TLS 1.2 or later) with this certificate and key (PEM files;
//	              -cert and -key are older names of the same flags); VENs presenting client
//	              certificates are bound to them
//	-client-ca    a PEM bundle of the CA certificates that issue the VENs' client certificates:
//	              a client certificate is then required, and one not signed by these CAs fails
//	              the TLS handshake (needs -tls-cert)
//	-provision    a file of the VENs allowed to register, one "venID fingerprint" per line
//	              (# starts a comment; the fingerprint of the VEN's client certificate as
//	              OpenLEADR prints it, AB:CD:…, or as 20 hex digits): only those certificates
//	              register, each under its venID (needs -client-ca)
//	-sign-key     the PEM private key (RSA or ECDSA) of -tls-cert's certificate: sign every
//	              message with 2.0b XML signatures and verify those of VENs against their
//	              client certificates
//	-require-signatures
//	              refuse unsigned messages from every VEN, not only from those that registered
//	              with oadrXmlSignature (needs -sign-key)
//	-db           the SQLite file the VTN keeps its state in, so that a restart forgets no VEN,
//	              report request, queued message or event (default vtn.db in the working
//	              directory); -db :memory: keeps it in memory only
//	-postgres     keep the state in PostgreSQL instead (a connection string, e.g.
//	              postgres://vtn:secret@db.example/vtn), for several VTN processes behind one
//	              load balancer; see docs/several-vtns.md
//	-tz           time zone of printed times (default Local, which follows $TZ)
//	-v            log every exchange
//
// Without -tls-cert the VTN serves plain HTTP, which identifies no VEN: anyone
// who knows a venID can act as it. That is for development only; a deployment
// starts like this:
//
//	go run ./examples/vtn -tls-cert vtn.pem -tls-key vtn.key -client-ca vens-ca.pem \
//	    -provision vens.txt -sign-key vtn.key -require-signatures
//
// Environment: TZ sets the Local time zone. It stops cleanly on SIGINT or
// SIGTERM; it exits 2 on bad flags and 1 when it cannot serve (or read the
// files the flags name).
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/examples/internal/cli"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadrsig"
	"github.com/gridwire/gridwire/openadr/pgstore"
	"github.com/gridwire/gridwire/openadr/sqlitestore"
)

func main() {
	cli.Main(func(ctx context.Context) int { return run(ctx, os.Args[1:], os.Stdout, os.Stderr) })
}

// description is what -h prints first.
const description = "vtn runs an OpenADR 2.0b VTN for pull- and push-mode VENs and prints each VEN's telemetry, one line per report."

var help = cli.Help{
	Description: description,
	Env:         []cli.EnvVar{{Name: "TZ", Help: "the Local time zone (see -tz)"}},
}

// errUsage stands for a bad command line that cli.Parse has reported.
var errUsage = errors.New("bad command line")

type config struct {
	addr, vtnID       string
	poll              time.Duration
	granularity, back time.Duration
	event, verbose    bool
	// tlsCert and tlsKey are the server's certificate and key; clientCA,
	// provision and signKey the files of the other deployment flags.
	tlsCert, tlsKey     string
	clientCA, provision string
	signKey             string
	requireSignatures   bool
	// provisioned and signer are what loadSecurity read from them.
	provisioned  []provisionedVEN
	signer       *oadrsig.Signer
	tz           *time.Location
	db, postgres string
	// store is where the VTN keeps its state; nil is memory.
	store openadr.Store
}

// memoryDB is the -db value that keeps the state in memory only.
const memoryDB = ":memory:"

// openStore opens the store the flags name and returns it with the
// function that closes it. A PostgreSQL store listens for other VTN
// processes' answers (so that a SetSchedule waiting here wakes) until ctx
// ends; close waits for that.
func openStore(ctx context.Context, cfg config) (openadr.Store, func(), error) {
	switch {
	case cfg.postgres != "":
		s, err := pgstore.Open(ctx, cfg.postgres)
		if err != nil {
			return nil, nil, fmt.Errorf("%w (check -postgres and that the database is up)", err)
		}
		listenCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { s.Listen(listenCtx); close(done) }()
		return s, func() { stop(); <-done; s.Close() }, nil
	case cfg.db == memoryDB:
		return openadr.NewMemStore(), func() {}, nil
	}
	s, err := sqlitestore.Open(ctx, cfg.db)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (check -db: a file the program may create and write)", err)
	}
	return s, func() { s.Close() }, nil
}

// run is the program, apart from the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	sec, err := loadSecurity(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "vtn:", err)
		return 1
	}
	cfg.provisioned, cfg.signer = sec.provisioned, sec.signer
	level := slog.LevelWarn
	if cfg.verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	store, closeStore, err := openStore(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "vtn:", err)
		return 1
	}
	defer closeStore()
	cfg.store = store
	vtn, err := newVTN(cfg, stdout, log)
	if err != nil {
		fmt.Fprintln(stderr, "vtn:", flagError(err))
		return 2
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintf(stderr, "vtn: %v (is another program on %s? choose another -addr)\n", err, cfg.addr)
		return 1
	}
	scheme := "http"
	switch {
	case sec.tls == nil:
		fmt.Fprintln(stderr, plainHTTPWarning)
	case sec.tls.ClientCAs == nil:
		fmt.Fprintln(stderr, noClientCAWarning)
	}
	if sec.tls != nil {
		ln = tls.NewListener(ln, sec.tls)
		scheme = "https"
	}
	fmt.Fprintf(stdout, "VTN %s listening on %s://%s%s\n", vtn.ID(), scheme, ln.Addr(), openadr.PathPrefix)
	// Push-mode VENs get their messages posted to them every
	// openadr.DefaultPushInterval; pull VENs cost a pass one read each.
	pushCtx, stopPush := context.WithCancel(ctx)
	pushDone := make(chan struct{})
	go func() { _ = vtn.RunPush(pushCtx); close(pushDone) }()
	defer func() { stopPush(); <-pushDone }()
	server := cli.Serve(&http.Server{Handler: vtn, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}, ln)
	select {
	case <-server.Done():
	case <-ctx.Done():
	}
	if err := server.Stop(); err != nil {
		fmt.Fprintln(stderr, "vtn:", err)
		return 1
	}
	return 0
}

func parseFlags(args []string, stdout, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("vtn", flag.ContinueOnError)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "listen address")
	fs.StringVar(&cfg.vtnID, "vtn-id", "VTN_GRIDWIRE", "the VTN's ID (needs an upper-case letter)")
	fs.DurationVar(&cfg.poll, "poll", openadr.DefaultPollFrequency, "poll period asked of VENs (whole seconds)")
	fs.DurationVar(&cfg.granularity, "granularity", 10*time.Second, "telemetry sampling period to request")
	fs.DurationVar(&cfg.back, "report-back", 0, "how often VENs send telemetry (default: the granularity)")
	fs.BoolVar(&cfg.event, "event", false, "send each new VEN a charge-then-discharge event")
	fs.StringVar(&cfg.tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate (with -tls-key)")
	fs.StringVar(&cfg.tlsKey, "tls-key", "", "PEM private key of -tls-cert")
	fs.StringVar(&cfg.tlsCert, "cert", "", "older name of -tls-cert")
	fs.StringVar(&cfg.tlsKey, "key", "", "older name of -tls-key")
	fs.StringVar(&cfg.clientCA, "client-ca", "", "PEM bundle of the CAs of VEN client certificates: require one they signed (needs -tls-cert)")
	fs.StringVar(&cfg.provision, "provision", "", "file of \"venID fingerprint\" lines: only these client certificates register (needs -client-ca)")
	fs.StringVar(&cfg.signKey, "sign-key", "", "PEM private key (RSA or ECDSA) of -tls-cert's certificate: sign and verify XML signatures")
	fs.BoolVar(&cfg.requireSignatures, "require-signatures", false, "refuse unsigned messages from every VEN (needs -sign-key)")
	fs.BoolVar(&cfg.verbose, "v", false, "log every exchange")
	fs.StringVar(&cfg.db, "db", "vtn.db", "SQLite file of the VTN's state ("+memoryDB+": memory only)")
	fs.StringVar(&cfg.postgres, "postgres", "", "PostgreSQL connection string of the VTN's state (instead of -db)")
	tz := cli.TZ(fs, "Local", "time zone of printed times (IANA name, UTC or Local)")
	if ok, code := cli.Parse(fs, args, help, stdout, stderr); !ok {
		if code == cli.ExitOK {
			return cfg, flag.ErrHelp
		}
		return cfg, errUsage
	}
	cfg.tz = tz.Location()
	// The flags that go together, or exclude each other.
	var err error
	switch {
	case (cfg.tlsCert == "") != (cfg.tlsKey == ""):
		err = errors.New("-tls-cert and -tls-key go together")
	case cfg.clientCA != "" && cfg.tlsCert == "":
		err = errors.New("-client-ca needs -tls-cert and -tls-key: client certificates come with TLS")
	case cfg.provision != "" && cfg.clientCA == "":
		err = errors.New("-provision needs -client-ca (and -tls-cert): provisioned VENs are known by client certificates a CA you trust issued")
	case cfg.signKey != "" && cfg.tlsCert == "":
		err = errors.New("-sign-key needs -tls-cert and -tls-key: VENs check signatures against the VTN's certificate")
	case cfg.requireSignatures && cfg.signKey == "":
		err = errors.New("-require-signatures needs -sign-key")
	case cfg.postgres != "" && cli.Given(fs)["db"]:
		err = errors.New("-db and -postgres are alternatives: give one")
	case cfg.db == "":
		err = errors.New("-db needs a file name (or " + memoryDB + ")")
	default:
		err = checkValues(cfg)
	}
	if err != nil {
		fmt.Fprintln(stderr, "vtn:", err)
		return cfg, err
	}
	return cfg, nil
}

// checkValues checks the flags' values one by one, so that a wrong one is
// named with the value given, before anything is opened.
func checkValues(cfg config) error {
	if err := cli.CheckAddr(cfg.addr, "127.0.0.1:8080 ([::1]:8080 for IPv6)"); err != nil {
		return fmt.Errorf("-addr %s: %w", cfg.addr, err)
	}
	switch {
	case cfg.poll < time.Second || cfg.poll%time.Second != 0:
		return fmt.Errorf("-poll: must be a positive whole number of seconds, got %v", cfg.poll)
	case cfg.granularity < time.Second:
		return fmt.Errorf("-granularity: must be at least 1s, got %v", cfg.granularity)
	case cfg.back < 0:
		return fmt.Errorf("-report-back: must not be negative (0: the granularity), got %v", cfg.back)
	}
	// The VTN's own rules for its ID (not empty, no blanks around it, an
	// upper-case letter), said of -vtn-id.
	if _, err := openadr.NewVTN(cfg.vtnID); err != nil {
		return flagError(err)
	}
	return nil
}

// flagError is err from openadr.NewVTN with the option it names replaced
// by the flag that set it.
func flagError(err error) error {
	return cli.FlagError(err, map[string]string{"vtnID": "-vtn-id", "WithPollFrequency": "-poll"})
}

// newVTN builds the VTN with the program's hooks, which print to out, on
// cfg.store (memory when nil).
func newVTN(cfg config, out io.Writer, log *slog.Logger) (*openadr.VTN, error) {
	p := &printer{w: out, tz: cfg.tz}
	if p.tz == nil {
		p.tz = time.UTC
	}
	var vtn *openadr.VTN
	onRegistration := func(ctx context.Context, c openadr.RegistrationChange) {
		r := c.Registration
		p.printf("%s VEN %s (%q) %s\n", p.stamp(time.Now()), r.VenID, r.VenName, c.Kind)
		if !cfg.event || c.Kind != openadr.Registered {
			return
		}
		// Not waiting for the VEN's answer: this runs inside its
		// registration request, and it cannot poll before that is answered.
		// The event-response hook prints the answer.
		bat := vtn.Battery(r.VenID, openadr.WithoutWaiting())
		if err := bat.SetSchedule(ctx, chargeThenDischarge(time.Now())); err != nil {
			p.printf("%s VEN %s: schedule not sent: %v\n", p.stamp(time.Now()), r.VenID, err)
			return
		}
		var ids []string
		if evs, err := bat.ScheduleEvents(ctx); err == nil {
			for _, e := range evs {
				ids = append(ids, e.Event.ID)
			}
		}
		p.printf("%s VEN %s: schedule queued as event %s (charge 3 kW for 30 min, then discharge 3 kW for 30 min)\n", p.stamp(time.Now()), r.VenID, strings.Join(ids, ", "))
	}
	var err error
	store := cfg.store
	if store == nil {
		store = openadr.NewMemStore()
	}
	opts := deploymentOptions(cfg)
	vtn, err = openadr.NewVTN(cfg.vtnID, append(opts,
		openadr.WithStore(store),
		openadr.WithLogger(log),
		openadr.WithPollFrequency(cfg.poll),
		openadr.WithReportRegistrationHook(openadr.RequestTelemetry(cfg.granularity, cfg.back)),
		openadr.WithRegistrationChangeHook(onRegistration),
		openadr.WithTelemetryHook(func(ctx context.Context, venID string, ms []openadr.Measurement) {
			if len(ms) == 0 {
				return
			}
			at := ms[0].MeasuredAt
			for _, m := range ms {
				if m.MeasuredAt.After(at) {
					at = m.MeasuredAt
				}
			}
			line := summary(ms)
			battery := slices.ContainsFunc(ms, func(m openadr.Measurement) bool {
				return m.Quantity == openadr.QuantityStateOfCharge || m.Quantity == openadr.QuantityPower
			})
			// The capacity comes through the energy vocabulary, once the
			// VEN has reported a state of charge and a power recently
			// enough, and its stored energy.
			if battery {
				if st, err := vtn.Battery(venID).BatteryStatus(ctx); err != nil {
					log.DebugContext(ctx, "no battery status", "venID", venID, "err", err)
				} else if st.Capacity > 0 {
					line += ", capacity " + st.Capacity.String()
				}
			}
			p.printf("%s VEN %s %s\n", p.stamp(at), venID, line)
		}),
		openadr.WithEventResponseHook(func(_ context.Context, r openadr.EventResponse) {
			p.printf("%s VEN %s event %s (modification %d): %s\n", p.stamp(r.ReceivedAt), r.VenID, r.EventID, r.ModificationNumber, r.OptType)
		}),
		openadr.WithOptHook(func(_ context.Context, o openadr.Opt) {
			state := "created"
			if o.Cancelled {
				state = "cancelled"
			}
			p.printf("%s VEN %s opt %s %s: %s (%s)\n", p.stamp(o.ReceivedAt), o.VenID, o.OptID, state, o.Type, o.Reason)
		}),
	)...)
	return vtn, err
}

// deploymentOptions are the VTN's options from -provision, -sign-key and
// -require-signatures. Provisioned VENs are refused by the VTN itself
// before any registration hook runs: a certificate not in the file gets
// 463, and a listed one is registered under its venID whatever it sends.
func deploymentOptions(cfg config) []openadr.Option {
	var opts []openadr.Option
	for _, p := range cfg.provisioned {
		opts = append(opts, openadr.WithVENFingerprint(p.venID, p.fingerprint))
	}
	if cfg.signer != nil {
		opts = append(opts, openadr.WithSigning(cfg.signer))
	}
	if cfg.requireSignatures {
		opts = append(opts, openadr.WithRequiredSignatures())
	}
	return opts
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

// summary describes the measurements of one report in one line, resource
// by resource. The battery's flow is said in words ("charging 1200 W",
// "discharging 800 W", "idle"), and current as a magnitude: 2.0b reports
// count charging as positive and gridwire's batteries count discharging as
// positive, so a signed number would mean opposite things on neighbouring
// lines.
func summary(ms []openadr.Measurement) string {
	byRes := make(map[string][]openadr.Measurement)
	var order []string
	for _, m := range ms {
		if _, ok := byRes[m.ResourceID]; !ok {
			order = append(order, m.ResourceID)
		}
		byRes[m.ResourceID] = append(byRes[m.ResourceID], m)
	}
	var lines []string
	for _, res := range order {
		group := byRes[res]
		// Latest value of each data point (a report may carry several
		// intervals), in a fixed order of quantities.
		slices.SortStableFunc(group, func(a, b openadr.Measurement) int { return a.MeasuredAt.Compare(b.MeasuredAt) })
		latest := make(map[string]openadr.Measurement)
		var rids []string
		for _, m := range group {
			if _, ok := latest[m.RID]; !ok {
				rids = append(rids, m.RID)
			}
			latest[m.RID] = m
		}
		slices.SortStableFunc(rids, func(a, b string) int { return rank(latest[a].Quantity) - rank(latest[b].Quantity) })
		power := slices.ContainsFunc(rids, func(rid string) bool { return latest[rid].Quantity == openadr.QuantityPower })
		parts := make([]string, 0, len(rids))
		for _, rid := range rids {
			parts = append(parts, describe(latest[rid], power))
		}
		name := res
		if name == "" {
			name = "-"
		}
		lines = append(lines, name+": "+strings.Join(parts, ", "))
	}
	return strings.Join(lines, "; ")
}

// rank orders quantities in a summary: the battery's state first.
func rank(q openadr.Quantity) int {
	switch q {
	case openadr.QuantityStateOfCharge:
		return 0
	case openadr.QuantityPower:
		return 1
	case openadr.QuantityCurrent:
		return 2
	case openadr.QuantityVoltage:
		return 3
	case openadr.QuantityTemperature:
		return 4
	case openadr.QuantityEnergy:
		return 5
	case openadr.QuantityStatus:
		return 6
	}
	return 7
}

// describe formats one measurement for a summary; withPower says that the
// summary gives the battery's power, and with it the direction of the flow.
func describe(m openadr.Measurement, withPower bool) string {
	switch m.Quantity {
	case openadr.QuantityStateOfCharge:
		f, _ := m.StateOfCharge()
		return "state of charge " + f.String()
	case openadr.QuantityPower:
		// The wire's consumption sign: + is power into the battery.
		w := energy.Watts(math.Abs(m.Value))
		switch {
		case m.Value > 0:
			return "charging " + w.String()
		case m.Value < 0:
			return "discharging " + w.String()
		}
		return "idle"
	case openadr.QuantityCurrent:
		a := energy.Amperes(math.Abs(m.Value)).String()
		switch {
		case withPower || m.Value == 0:
			return "current " + a
		case m.Value > 0:
			return "charging " + a
		}
		return "discharging " + a
	case openadr.QuantityVoltage:
		return "voltage " + energy.Volts(m.Value).String()
	case openadr.QuantityTemperature:
		return "temperature " + energy.Celsius(m.Value).String()
	case openadr.QuantityEnergy:
		return string(m.ReportType) + " " + energy.WattHours(m.Value).String()
	case openadr.QuantityStatus:
		if m.Status == nil {
			return "status unknown"
		}
		return fmt.Sprintf("online=%t manual-override=%t", m.Status.Online, m.Status.ManualOverride)
	case openadr.QuantityOther:
		return fmt.Sprintf("%s %g %s", m.RID, m.Value, m.Unit)
	}
	return fmt.Sprintf("%s %g %s", m.Quantity, m.Value, m.Unit)
}

// printer serialises lines from concurrent requests, with times in tz.
type printer struct {
	mu sync.Mutex
	w  io.Writer
	tz *time.Location
}

func (p *printer) stamp(t time.Time) string { return t.In(p.tz).Format(time.RFC3339) }

func (p *printer) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format, args...)
}
