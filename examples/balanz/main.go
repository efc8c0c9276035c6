// Command balanz shows and steers a balanz OCPP load balancer through its
// WebSocket API: groups, chargers, sessions and tags as tables, and a
// charger's current limit, start and stop.
//
//	BALANZ_TOKEN=adminadmin go run ./examples/balanz -base-url ws://balanz.local:9999/api chargers
//	go run ./examples/balanz -sim status            # in-process fake, no network
//	go run ./examples/balanz -sim limit garage 10   # by charger id or alias
//
// The token is the balanz user id followed by the password (-token or
// BALANZ_TOKEN). Usage errors exit 2; a refused login or a failed call exits
// 1 with a message saying what to do.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	_ "time/tzdata" // -tz works on systems without a zoneinfo database

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/balanz/balanztest"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/examples/internal/cli"
)

var help = cli.Help{
	Description: "balanz shows groups, chargers, sessions and tags of a balanz OCPP load balancer, and sets a charger's limit, starts or stops it.",
	Args: []string{
		"status|groups|chargers|sessions|tags",
		"limit <charger|alias> <amps> | start <charger|alias> | stop <charger|alias>",
	},
	Env: []cli.EnvVar{{Name: "BALANZ_TOKEN", Help: "login token (user id followed by password), unless -token is given"}},
}

func main() {
	cli.Main(func(ctx context.Context) int { return run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr) })
}

// run is the command, apart from the process, so tests can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("balanz", flag.ContinueOnError)
	url := fs.String("base-url", "ws://127.0.0.1:9999/api", "WebSocket URL of the balanz API")
	token := fs.String("token", "", "login token: user id followed by password (default $BALANZ_TOKEN)")
	sim := fs.Bool("sim", false, "run against an in-process fake balanz (no network, no token)")
	zone := cli.TZ(fs, "Local", "time zone of the balanz server, used to read and print its times")
	connector := fs.Int("connector", 1, "connector of the charger for limit, start and stop")
	idTag := fs.String("id-tag", "", "id tag that start uses (default: the charger id, its free-vending tag)")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long (more than 0)")
	phases := fs.Int("phases", balanz.DefaultPhases, fmt.Sprintf("phases the vehicles charge on, 1 to 3: balanz reports current per phase, and power is printed as current × %v × phases (-sim knows its cars' phases unless this is given)", balanz.DefaultVoltage))
	if ok, code := cli.Parse(fs, args, help, stdout, stderr); !ok {
		return code
	}
	if err := checkFlags(*timeout, *phases, *connector); err != nil {
		fmt.Fprintf(stderr, "balanz: %v\n", err)
		return cli.ExitUsage
	}
	loc := zone.Location()
	cmd, rest := fs.Arg(0), fs.Args()
	if len(rest) > 0 {
		rest = rest[1:]
	}
	if err := checkArgs(cmd, rest); err != nil {
		fmt.Fprintf(stderr, "balanz: %v\n", err)
		fs.Usage()
		return cli.ExitUsage
	}
	if *token == "" {
		*token = strings.TrimSpace(getenv("BALANZ_TOKEN"))
	}

	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	a := app{out: stdout, loc: loc, connector: *connector, idTag: *idTag, phases: func(string) int { return *phases }}
	if *sim {
		srv, err := simulation(ctx, loc)
		if err != nil {
			return cli.Fail(stderr, "balanz", fmt.Errorf("starting the simulation: %w", err))
		}
		if !cli.Given(fs)["phases"] {
			a.phases = simPhases
		}
		defer srv.Close()
		*url, *token = srv.URL, srv.Token
		fmt.Fprintln(stdout, "simulated balanz (in-process fake, no network)")
	} else if *token == "" {
		fmt.Fprintln(stderr, "balanz: set BALANZ_TOKEN (or -token) to your balanz user id followed by the password, or run with -sim.")
		return 2
	}

	c, err := balanz.Dial(ctx, *url, balanz.WithLocation(loc))
	if errors.Is(err, energy.ErrInvalid) {
		fmt.Fprintln(stderr, cli.Message("balanz", fmt.Errorf("-base-url: %w", err)))
		return cli.ExitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s\ncheck -base-url (balanz serves its API at ws://host:9999/api) and that the server runs.\n", cli.Message("balanz", err))
		return 1
	}
	defer c.Close()
	if _, err := c.Login(ctx, *token); err != nil {
		return cli.Fail(stderr, "balanz", fmt.Errorf("login: %w", err),
			cli.Hint{Err: energy.ErrUnauthorized, Advice: "check BALANZ_TOKEN: it is the user id followed by the password, as in balanz's users.csv."})
	}
	a.c = c
	if err := a.do(ctx, cmd, rest); err != nil {
		var usage *usageError
		if errors.As(err, &usage) {
			fmt.Fprintf(stderr, "balanz: %v\n", err)
			return cli.ExitUsage
		}
		hints := []cli.Hint{
			{Err: energy.ErrUnauthorized, Advice: "this user's type may not do that; log in as a user allowed to (Admin may do everything)."},
			{Err: energy.ErrUnavailable, Advice: "the charger or the server cannot be reached; try again when it is connected."},
			{Err: energy.ErrUnsupported, Advice: "balanz does not allow this here; see the message above."},
		}
		var advised *advisedError
		if errors.As(err, &advised) {
			hints = append([]cli.Hint{{Err: advised, Advice: advised.advice}}, hints...)
		}
		return cli.Fail(stderr, "balanz", fmt.Errorf("%s: %w", cmd, err), hints...)
	}
	return 0
}

// checkFlags refuses flag values no command could use, before any work.
func checkFlags(timeout time.Duration, phases, connector int) error {
	switch {
	case timeout <= 0:
		return fmt.Errorf("-timeout %v: give a time to wait of more than 0, such as 30s", timeout)
	case phases < 1 || phases > 3:
		return fmt.Errorf("-phases %d: a vehicle charges on 1, 2 or 3 phases", phases)
	case connector < 1:
		return fmt.Errorf("-connector %d: connectors count from 1", connector)
	}
	return nil
}

func checkArgs(cmd string, rest []string) error {
	switch cmd {
	case "status", "groups", "chargers", "sessions", "tags":
		if len(rest) != 0 {
			return fmt.Errorf("%s takes no arguments", cmd)
		}
	case "start", "stop":
		if len(rest) != 1 {
			return fmt.Errorf("%s takes a charger id or alias", cmd)
		}
	case "limit":
		if len(rest) != 2 {
			return errors.New("limit takes a charger id or alias and a current in A")
		}
		a, err := strconv.ParseFloat(rest[1], 64)
		if err != nil || !(a == 0 || a >= float64(balanz.MinChargingCurrent)) {
			return fmt.Errorf("limit: %q is not a current of 0 A (pause) or at least %v", rest[1], balanz.MinChargingCurrent)
		}
	case "":
		return errors.New("no command")
	default:
		return fmt.Errorf("unknown command %q", cmd)
	}
	return nil
}

// simCars are the cars the simulation plugs in, by charger id: one on
// three phases in the garage, one on a single phase on the driveway.
var simCars = map[string]balanztest.Vehicle{
	balanztest.SeedHomeCharger1: {MaxCurrent: 16, Phases: 3},
	balanztest.SeedHomeCharger2: {MaxCurrent: 32, Phases: 1},
}

// simPhases is how many phases the simulation's car on a charger charges
// on, so that its power is printed right without -phases.
func simPhases(chargerID string) int {
	if v, ok := simCars[chargerID]; ok && v.Phases != 0 {
		return v.Phases
	}
	return balanz.DefaultPhases
}

// simulation starts a fake balanz with a car charging on the garage charger
// and one plugged in on the driveway, so every command has something to
// show.
func simulation(ctx context.Context, loc *time.Location) (*balanztest.Server, error) {
	srv := balanztest.NewServer(balanztest.WithLocation(loc))
	c, err := srv.Client(ctx)
	if err != nil {
		srv.Close()
		return nil, err
	}
	defer c.Close()
	for _, id := range slices.Sorted(maps.Keys(simCars)) {
		err = errors.Join(err, srv.PlugIn(id, 1, simCars[id]))
	}
	if err == nil {
		err = c.RemoteStartTransaction(ctx, balanz.ByID(balanztest.SeedHomeCharger1), 1, balanztest.SeedTag)
	}
	if err != nil {
		srv.Close()
		return nil, err
	}
	return srv, nil
}

type app struct {
	c         *balanz.Client
	out       io.Writer
	loc       *time.Location
	connector int
	idTag     string
	phases    func(chargerID string) int // -phases, or the simulation's cars' (-sim)
}

// usageError is a command line that does not fit the server's model: a
// charger, connector or current it does not have. run exits 2 on it.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// advisedError is a failure with advice on it that only the command can
// give, knowing what it asked for; run prints the advice as a hint.
type advisedError struct {
	err    error
	advice string
}

func (e *advisedError) Error() string { return e.err.Error() }
func (e *advisedError) Unwrap() error { return e.err }

func (a app) do(ctx context.Context, cmd string, args []string) error {
	switch cmd {
	case "status":
		return a.status(ctx)
	case "groups":
		return a.groups(ctx)
	case "chargers":
		return a.chargers(ctx)
	case "sessions":
		return a.sessions(ctx)
	case "tags":
		return a.tags(ctx)
	}
	ev, ch, err := a.evCharger(ctx, args[0])
	if err != nil {
		return err
	}
	cn := ch.Connectors[a.connector]
	var asked energy.Amperes
	switch cmd {
	case "limit":
		v, _ := strconv.ParseFloat(args[1], 64)
		if v == 0 {
			v = 0 // "limit X -0" printed "-0.0 A"
		}
		asked = energy.Amperes(v)
		if ch.ConnMax > 0 && v > float64(ch.ConnMax) {
			return &usageError{fmt.Sprintf("limit: %v is more than charger %s may be offered (%v per connector); give at most %[3]v", asked, ch.ChargerID, amps(float64(ch.ConnMax)))}
		}
		if err := ev.SetCurrentLimit(ctx, asked); err != nil {
			return err
		}
	case "start":
		if cn.TransactionID != nil {
			fmt.Fprintf(a.out, "%s: a session is live already; nothing to start\n", ev)
			break
		}
		if err := ev.SetCharging(ctx, true); err != nil {
			return a.whyNotStarted(ctx, ch, cn, err)
		}
		fmt.Fprintf(a.out, "%s: charging started\n", ev)
	case "stop":
		if cn.TransactionID == nil {
			fmt.Fprintf(a.out, "%s: no session to stop; nothing done\n", ev)
			break
		}
		if err := ev.SetCharging(ctx, false); err != nil {
			return err
		}
		fmt.Fprintf(a.out, "%s: charging stopped\n", ev)
	}
	st, err := ev.ChargerStatus(ctx)
	if err != nil {
		return err
	}
	if cmd == "limit" {
		// balanz offers what the group and the charger allow, which
		// may be less than asked for: say what it applied.
		if st.CurrentLimit == asked {
			fmt.Fprintf(a.out, "%s: limit set to %v\n", ev, asked)
		} else {
			fmt.Fprintf(a.out, "%s: asked for a limit of %v; balanz offers %v\n", ev, asked, st.CurrentLimit)
		}
	}
	fmt.Fprintf(a.out, "%s: %s, %v, limit %v, session %v\n", ev, st.State, st.Power, st.CurrentLimit, st.SessionEnergy)
	return nil
}

// whyNotStarted adds to a refused start the likely reasons, in words a user
// can act on. A charger rejects RemoteStartTransaction when it cannot start
// a session on the connector (no vehicle plugged in, faulted, reserved) or
// does not accept the id tag.
func (a app) whyNotStarted(ctx context.Context, ch balanz.Charger, cn balanz.Connector, err error) error {
	if !errors.Is(err, &balanz.Error{Status: balanz.StatusRejected}) {
		return err
	}
	tag := a.idTag
	if tag == "" {
		tag = ch.ChargerID
	}
	var why []string
	switch cn.Status {
	case balanz.ConnectorAvailable:
		why = append(why, fmt.Sprintf("no vehicle is plugged into connector %d (it is %s): plug one in, then start again", a.connector, cn.Status))
	case balanz.ConnectorPreparing, balanz.ConnectorFinishing, balanz.ConnectorSuspendedEV, balanz.ConnectorSuspendedEVSE:
		// a vehicle is there: the id tag is the likelier reason
	default:
		why = append(why, fmt.Sprintf("connector %d is %s, so the charger cannot start a session on it now", a.connector, cn.Status))
	}
	// The tags are a best effort: a user type that may not list them gets
	// the general advice below.
	if tags, terr := a.c.Tags(ctx); terr == nil {
		i := slices.IndexFunc(tags, func(t balanz.Tag) bool { return strings.EqualFold(t.IDTag, tag) })
		switch {
		case i < 0:
			why = append(why, fmt.Sprintf("id tag %q is not one balanz knows (see the tags command): give another with -id-tag", tag))
		case tags[i].Status != balanz.TagActivated:
			why = append(why, fmt.Sprintf("id tag %q is %s (see the tags command): give another with -id-tag", tag, tags[i].Status))
		}
	}
	if len(why) == 0 {
		why = append(why, fmt.Sprintf("the charger did not accept id tag %q or cannot start now: check its tags and its state, or give another tag with -id-tag", tag))
	}
	return &advisedError{err: err, advice: "the charger refused to start: " + strings.Join(why, "; and ")}
}

// evCharger finds the charger by id, else by alias, and checks that it has
// the connector of -connector.
func (a app) evCharger(ctx context.Context, name string) (*balanz.EVCharger, balanz.Charger, error) {
	all, err := a.c.Chargers(ctx, balanz.ChargerFilter{})
	if err != nil {
		return nil, balanz.Charger{}, err
	}
	i := slices.IndexFunc(all, func(ch balanz.Charger) bool { return ch.ChargerID == name })
	if i < 0 {
		i = slices.IndexFunc(all, func(ch balanz.Charger) bool { return ch.Alias == name })
	}
	if i < 0 {
		return nil, balanz.Charger{}, &usageError{fmt.Sprintf("no charger has the id or alias %q; run the chargers command to list them", name)}
	}
	ch := all[i]
	if _, ok := ch.Connectors[a.connector]; !ok {
		var have []string
		for _, n := range slices.Sorted(maps.Keys(ch.Connectors)) {
			if n >= 1 { // 0 is the charger itself in OCPP
				have = append(have, strconv.Itoa(n))
			}
		}
		msg := fmt.Sprintf("-connector %d: charger %s has no connector %d", a.connector, ch.ChargerID, a.connector)
		if len(have) > 0 {
			msg += "; it has " + strings.Join(have, ", ") + ": give one of them"
		}
		return nil, ch, &usageError{msg}
	}
	opts := []balanz.ChargerOption{balanz.WithPhases(a.phases(ch.ChargerID))}
	if a.idTag != "" {
		opts = append(opts, balanz.WithIDTag(a.idTag))
	}
	ev, err := a.c.EVCharger(balanz.ByID(ch.ChargerID), a.connector, opts...)
	return ev, ch, err
}

func (a app) table(header string, rows [][]string) error {
	tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

func (a app) status(ctx context.Context) error {
	st, err := a.c.ServerStatus(ctx)
	if err != nil {
		return err
	}
	return a.table("VERSION\tSTARTED\tGROUPS\tCHARGERS\tTAGS\tSESSIONS", [][]string{{
		st.Version, st.StartTime.In(a.loc).Format("2006-01-02 15:04 MST"), strconv.Itoa(int(st.Groups)),
		strconv.Itoa(int(st.Chargers)), strconv.Itoa(int(st.Tags)), strconv.Itoa(int(st.Sessions)),
	}})
}

func (a app) groups(ctx context.Context) error {
	gs, err := a.c.Groups(ctx, false)
	if err != nil {
		return err
	}
	var rows [][]string
	for _, g := range gs {
		alloc := "–"
		if g.IsAllocation() {
			alloc = *g.MaxAllocation
		}
		rows = append(rows, []string{g.GroupID, g.Description, strings.Join(g.ChargerIDs, ","), amps(float64(g.Offered)), amps(float64(g.Usage)), alloc})
	}
	return a.table("GROUP\tDESCRIPTION\tCHARGERS\tOFFERED\tUSAGE\tALLOCATION", rows)
}

func (a app) chargers(ctx context.Context) error {
	chs, err := a.c.Chargers(ctx, balanz.ChargerFilter{})
	if err != nil {
		return err
	}
	var rows [][]string
	for _, ch := range chs {
		online := "online"
		if !ch.NetworkConnected {
			online = "offline"
		}
		// connector ids need not run 1…n (a charger may report 0, its
		// own id in OCPP, or skip one): list what is there, in order
		for _, n := range slices.Sorted(maps.Keys(ch.Connectors)) {
			cn := ch.Connectors[n]
			offered, usage, energyS, tag := "–", "–", "–", "–"
			if cn.Offered != nil {
				offered = amps(float64(*cn.Offered))
			}
			if tx := cn.Transaction; tx != nil {
				if tx.UsageMeter != nil {
					usage = amps(float64(*tx.UsageMeter))
				}
				energyS = energy.WattHours(tx.SessionEnergy()).String()
				tag = tx.IDTag
			}
			rows = append(rows, []string{ch.ChargerID, ch.Alias, ch.GroupID, online, strconv.Itoa(n), string(cn.Status), offered, usage, energyS, tag})
		}
	}
	return a.table("CHARGER\tALIAS\tGROUP\tNETWORK\tCONN\tSTATUS\tOFFERED\tUSAGE\tSESSION\tTAG", rows)
}

func (a app) sessions(ctx context.Context) error {
	ss, err := a.c.Sessions(ctx, balanz.SessionFilter{IncludeLive: true})
	if err != nil {
		return err
	}
	var rows [][]string
	for _, s := range ss {
		end, kwh := "live", "–"
		if !s.Live() {
			end = s.EndTime.In(a.loc).Format("01-02 15:04")
			kwh = strconv.FormatFloat(float64(s.KWh), 'f', 2, 64) + " kWh"
		}
		rows = append(rows, []string{s.ChargerID, s.ChargerAlias, s.UserName, s.StartTime.In(a.loc).Format("01-02 15:04 MST"), end, kwh})
	}
	return a.table("CHARGER\tALIAS\tUSER\tSTART\tEND\tENERGY", rows)
}

func (a app) tags(ctx context.Context) error {
	ts, err := a.c.Tags(ctx)
	if err != nil {
		return err
	}
	var rows [][]string
	for _, t := range ts {
		rows = append(rows, []string{t.IDTag, t.UserName, string(t.Status), strconv.Itoa(int(t.Priority)), t.Description})
	}
	return a.table("TAG\tUSER\tSTATUS\tPRIORITY\tDESCRIPTION", rows)
}

func amps(v float64) string { return energy.Amperes(v).String() }
