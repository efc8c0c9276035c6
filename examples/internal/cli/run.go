package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

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
	fmt.Fprintln(w, Message(name, err))
	for _, h := range hints {
		if errors.Is(err, h.Err) {
			fmt.Fprintf(w, "%s: %s\n", name, h.Advice)
			break
		}
	}
	return ExitFailure
}

// Message is err as the command named name reports it, "name: err", with
// name once. The errors of the package a command is named after (balanz,
// oscp, volue, ven) begin with "name: " already, and a command that adds
// context in front of one ("start: balanz: Rejected") would otherwise say
// the name again in the middle; so "name: " is dropped at the start and
// after every ": ", and said once in front.
func Message(name string, err error) string {
	prefix := name + ": "
	s := ": " + err.Error()
	for strings.Contains(s, ": "+prefix) { // a loop: "x: name: name: y"
		s = strings.ReplaceAll(s, ": "+prefix, ": ")
	}
	return prefix + s[len(": "):]
}

// SignalContext is ctx cancelled on SIGINT or SIGTERM, so that a command
// stops cleanly; stop releases the signals.
func SignalContext(ctx context.Context) (_ context.Context, stop context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}
