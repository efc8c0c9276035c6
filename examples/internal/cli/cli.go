// Package cli holds the command-line plumbing every example shares, so
// that all of them read their flags, print their help, answer signals and
// take -tz the same way:
//
//	fs := flag.NewFlagSet("amber-prices", flag.ContinueOnError)
//	sim := fs.Bool("sim", false, "run against the fake")
//	help := cli.Help{Description: "amber-prices prints prices.", Env: []cli.EnvVar{{"AMBER_TOKEN", "API token"}}}
//	if ok, code := cli.Parse(fs, args, help, stdout, stderr); !ok {
//		return code
//	}
//
// Exit codes follow one rule: 0 for success and for -h, 1 for a failure,
// 2 for a usage error.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

// Exit codes of every example.
const (
	ExitOK      = 0 // success, or -h
	ExitFailure = 1 // the work failed
	ExitUsage   = 2 // the command line or environment is wrong
)

// EnvVar is an environment variable a command reads, for its help text.
type EnvVar struct {
	Name string // such as AMBER_TOKEN
	Help string // one line: what it holds and where to get it
}

// Help is what a command's -h says besides its flags.
type Help struct {
	// Description is one line saying what the command does.
	Description string
	// Args are the forms of the arguments after "[flags]", one usage line
	// each, such as "status|groups"; none for commands that take none.
	Args []string
	// Env lists the environment variables read; none is said when empty.
	Env []EnvVar
}

// Write prints the help of the command fs parses to w, in the one layout
// all examples share: the description, the usage line, the flags and the
// environment.
func (h Help) Write(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, h.Description)
	fmt.Fprint(w, "\nUsage: ")
	forms := h.Args
	if len(forms) == 0 {
		forms = []string{""}
	}
	for i, args := range forms {
		if i > 0 {
			fmt.Fprint(w, "       ")
		}
		fmt.Fprintln(w, strings.TrimRight(fs.Name()+" [flags] "+args, " "))
	}
	fmt.Fprint(w, "\nFlags:\n")
	out := fs.Output()
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(out)
	if len(h.Env) == 0 {
		fmt.Fprintln(w, "\nEnvironment: none read.")
		return
	}
	fmt.Fprintln(w, "\nEnvironment:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, e := range h.Env {
		fmt.Fprintf(tw, "  %s\t%s\n", e.Name, e.Help)
	}
	tw.Flush()
}

// Parse parses args into fs, which must be made with flag.ContinueOnError.
// It returns ok when the command should go on. Otherwise code is the exit
// status: ExitOK after -h, whose help goes to stdout, or ExitUsage after a
// bad flag, reported with the help on stderr, or after an argument when
// h lists none. Parse replaces fs's output with stderr and its Usage with
// the help.
func Parse(fs *flag.FlagSet, args []string, h Help, stdout, stderr io.Writer) (ok bool, code int) {
	fs.SetOutput(stderr)
	fs.Usage = func() {} // printed below, to stdout when asked for
	err := fs.Parse(args)
	fs.Usage = func() { h.Write(stderr, fs) }
	switch {
	case errors.Is(err, flag.ErrHelp):
		h.Write(stdout, fs)
		return false, ExitOK
	case err != nil:
		fmt.Fprintln(stderr)
		h.Write(stderr, fs)
		return false, ExitUsage
	case len(h.Args) == 0 && fs.NArg() > 0:
		fmt.Fprintf(stderr, "%s: unexpected argument %q (see -h)\n", fs.Name(), fs.Arg(0))
		return false, ExitUsage
	}
	return true, ExitOK
}

// Main runs a command's program with a context that SIGINT and SIGTERM
// cancel, and exits the process with the status it returns.
func Main(run func(ctx context.Context) int) {
	ctx, stop := SignalContext(context.Background())
	code := run(ctx)
	stop()
	os.Exit(code)
}

// Hint is advice on what to do about a failure that wraps Err.
type Hint struct {
	Err    error  // such as energy.ErrUnauthorized
	Advice string // what to do, such as "check AMBER_TOKEN"
}

// Fail reports err, a failure of the command named name, on w, followed
// by the advice of the first hint whose Err it wraps, and returns
// ExitFailure.
func Fail(w io.Writer, name string, err error, hints ...Hint) int {
	fmt.Fprintf(w, "%s: %v\n", name, err)
	for _, h := range hints {
		if errors.Is(err, h.Err) {
			fmt.Fprintf(w, "%s: %s\n", name, h.Advice)
			break
		}
	}
	return ExitFailure
}

// SignalContext is ctx cancelled on SIGINT or SIGTERM, so that a command
// stops cleanly; stop releases the signals.
func SignalContext(ctx context.Context) (_ context.Context, stop context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}

// Location is the time zone a -tz flag names: an IANA name such as
// Europe/Berlin, "Local" (which follows $TZ) or "UTC", the last two in
// any case. Its error says what to give instead. Commands should link in
// time/tzdata so that IANA names work without a zoneinfo database.
func Location(name string) (*time.Location, error) {
	switch {
	case strings.EqualFold(name, "Local"):
		return time.Local, nil
	case strings.EqualFold(name, "UTC"):
		return time.UTC, nil
	case name == "":
		return nil, errors.New(`no time zone given: give an IANA name such as Europe/Berlin, "Local" or "UTC"`)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf(`%q is not a time zone: give an IANA name such as Europe/Berlin, "Local" or "UTC"`, name)
	}
	return loc, nil
}

// Zone is the value of a -tz flag: a time zone as Location reads it. A
// name that is none is a bad flag, so Parse reports it and exits 2.
type Zone struct {
	name string
	loc  *time.Location
}

// TZ defines the -tz flag on fs with the zone named def (which must be
// one: a bad default is a programming error and panics, as flag does with
// a flag defined twice) and the given usage.
func TZ(fs *flag.FlagSet, def, usage string) *Zone {
	loc, err := Location(def)
	if err != nil {
		panic("cli: default of -tz: " + err.Error())
	}
	z := &Zone{name: def, loc: loc}
	fs.Var(z, "tz", usage)
	return z
}

// Location is the zone given, or the default.
func (z *Zone) Location() *time.Location { return z.loc }

// String is the zone's name, as given.
func (z *Zone) String() string {
	if z == nil {
		return ""
	}
	return z.name
}

// Set reads a zone's name; flag calls it.
func (z *Zone) Set(name string) error {
	loc, err := Location(name)
	if err != nil {
		return err
	}
	z.name, z.loc = name, loc
	return nil
}
