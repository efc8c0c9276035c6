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
// name once: the errors of the package a command is named after (balanz,
// oscp, volue) begin with "name: " already.
func Message(name string, err error) string {
	s := err.Error()
	if strings.HasPrefix(s, name+": ") {
		return s
	}
	return name + ": " + s
}

// SignalContext is ctx cancelled on SIGINT or SIGTERM, so that a command
// stops cleanly; stop releases the signals.
func SignalContext(ctx context.Context) (_ context.Context, stop context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}
