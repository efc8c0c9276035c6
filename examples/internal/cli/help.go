package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
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
