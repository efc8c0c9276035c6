package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/gridwire/gridwire/energy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var help = Help{
	Description: "demo does nothing.",
	Args:        []string{"a|b", "c <n>"},
	Env:         []EnvVar{{"DEMO_TOKEN", "a token"}, {"TZ", "the Local time zone"}},
}

func newFlags() *flag.FlagSet {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.Bool("sim", false, "simulate")
	return fs
}

func TestParseHelp(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		var stdout, stderr bytes.Buffer
		ok, code := Parse(newFlags(), []string{arg}, help, &stdout, &stderr)
		assert.False(t, ok, arg)
		assert.Equal(t, ExitOK, code, arg)
		assert.Empty(t, stderr.String(), arg)
		assert.Equal(t, "demo does nothing.\n\nUsage: demo [flags] a|b\n       demo [flags] c <n>\n\nFlags:\n  -sim\n    \tsimulate\n\n"+
			"Environment:\n  DEMO_TOKEN  a token\n  TZ          the Local time zone\n", stdout.String(), arg)
	}
}

func TestParseBadFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	ok, code := Parse(newFlags(), []string{"-nope"}, help, &stdout, &stderr)
	assert.False(t, ok)
	assert.Equal(t, ExitUsage, code)
	assert.Empty(t, stdout.String())
	assert.Contains(t, stderr.String(), "flag provided but not defined: -nope")
	assert.Contains(t, stderr.String(), "Usage: demo [flags] a|b")
}

func TestParseOK(t *testing.T) {
	var stdout, stderr bytes.Buffer
	fs := newFlags()
	ok, code := Parse(fs, []string{"-sim", "a"}, help, &stdout, &stderr)
	assert.True(t, ok)
	assert.Equal(t, ExitOK, code)
	assert.Equal(t, []string{"a"}, fs.Args())
	assert.Empty(t, stdout.String()+stderr.String())
	fs.Usage() // after parsing, Usage prints the help to stderr
	assert.Contains(t, stderr.String(), "Usage: demo [flags] a|b")
}

func TestHelpWithoutEnv(t *testing.T) {
	var w bytes.Buffer
	Help{Description: "demo."}.Write(&w, newFlags())
	assert.Contains(t, w.String(), "Usage: demo [flags]\n")
	assert.Contains(t, w.String(), "Environment: none read.\n")
}

func TestLocation(t *testing.T) {
	for name, want := range map[string]*time.Location{"Local": time.Local, "local": time.Local, "UTC": time.UTC, "utc": time.UTC} {
		loc, err := Location(name)
		require.NoError(t, err, name)
		assert.Same(t, want, loc, name)
	}
	loc, err := Location("Europe/Berlin")
	require.NoError(t, err)
	assert.Equal(t, "Europe/Berlin", loc.String())
	for _, bad := range []string{"", "Mars/Olympus"} {
		_, err := Location(bad)
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "IANA name", bad)
	}
}

func TestSignalContext(t *testing.T) {
	ctx, stop := SignalContext(t.Context())
	defer stop()
	require.NoError(t, syscall.Kill(syscall.Getpid(), syscall.SIGTERM))
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		require.FailNow(t, "SIGTERM did not cancel the context")
	}
}

func TestTZ(t *testing.T) {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	z := TZ(fs, "UTC", "time zone of printed times")
	var stdout, stderr bytes.Buffer
	ok, _ := Parse(fs, nil, help, &stdout, &stderr)
	require.True(t, ok)
	assert.Same(t, time.UTC, z.Location(), "the default")

	fs = flag.NewFlagSet("demo", flag.ContinueOnError)
	z = TZ(fs, "Local", "time zone of printed times")
	ok, _ = Parse(fs, []string{"-tz", "Asia/Tokyo"}, help, &stdout, &stderr)
	require.True(t, ok)
	assert.Equal(t, "Asia/Tokyo", z.Location().String())

	stdout.Reset()
	Help{Description: "demo."}.Write(&stdout, fs)
	assert.Contains(t, stdout.String(), `(default Local)`, "the default in the help")

	fs = flag.NewFlagSet("demo", flag.ContinueOnError)
	TZ(fs, "Local", "time zone of printed times")
	ok, code := Parse(fs, []string{"-tz", "Mars/Olympus"}, help, &stdout, &stderr)
	assert.False(t, ok)
	assert.Equal(t, ExitUsage, code, "a bad zone is a usage error")
	assert.Contains(t, stderr.String(), `invalid value "Mars/Olympus" for flag -tz`)

	assert.Panics(t, func() { TZ(flag.NewFlagSet("demo", flag.ContinueOnError), "Mars/Olympus", "") })
}

func TestParseRefusesArguments(t *testing.T) {
	var stdout, stderr bytes.Buffer
	ok, code := Parse(newFlags(), []string{"-sim", "extra"}, Help{Description: "demo."}, &stdout, &stderr)
	assert.False(t, ok)
	assert.Equal(t, ExitUsage, code)
	assert.Equal(t, "demo: unexpected argument \"extra\" (see -h)\n", stderr.String())
	assert.Empty(t, stdout.String())
}

func TestFail(t *testing.T) {
	errA, errB := errors.New("a"), errors.New("b")
	hints := []Hint{{Err: errA, Advice: "do A"}, {Err: context.Canceled, Advice: "interrupted"}, {Err: errB, Advice: "do B"}}
	var w bytes.Buffer
	assert.Equal(t, ExitFailure, Fail(&w, "demo", fmt.Errorf("call: %w", errB), hints...))
	assert.Equal(t, "demo: call: b\ndemo: do B\n", w.String(), "the hint of the error wrapped")
	w.Reset()
	Fail(&w, "demo", errors.New("other"), hints...)
	assert.Equal(t, "demo: other\n", w.String(), "no hint fits")
	w.Reset()
	Fail(&w, "demo", fmt.Errorf("demo: dial: %w", errA), hints...)
	assert.Equal(t, "demo: dial: a\ndemo: do A\n", w.String(), "the name once, when the error starts with it")
}

func TestMessageNameOnce(t *testing.T) {
	for _, tc := range []struct{ name, err, want string }{
		{"balanz", "start: balanz: RemoteStartTransaction: Rejected", "balanz: start: RemoteStartTransaction: Rejected"},
		{"balanz", "starting the simulation: balanz: dial: context deadline exceeded", "balanz: starting the simulation: dial: context deadline exceeded"},
		{"oscp", "listing capacity providers: oscp: GET http://127.0.0.1:9/x: refused", "oscp: listing capacity providers: GET http://127.0.0.1:9/x: refused"},
		{"volue", "registering a user: volue: token request failed", "volue: registering a user: token request failed"},
		{"ven", "try 1 of 2: ven: EiRegisterParty: refused", "ven: try 1 of 2: EiRegisterParty: refused"},
		{"balanz", "balanz: login: balanz: balanz: x", "balanz: login: x"},
		{"balanz", "balanz: balanz: x", "balanz: x"},
		{"balanz", "plain", "balanz: plain"},
		{"ven", "seven: even: ven", "ven: seven: even: ven"}, // only the whole name, only after ": "
		{"balanz", "no balanz: here", "balanz: no balanz: here"},
	} {
		assert.Equal(t, tc.want, Message(tc.name, errors.New(tc.err)), tc.err)
	}
	var w bytes.Buffer
	Fail(&w, "demo", fmt.Errorf("start: %w", fmt.Errorf("demo: refused: %w", context.Canceled)), Hint{Err: context.Canceled, Advice: "interrupted"})
	assert.Equal(t, "demo: start: refused: context canceled\ndemo: interrupted\n", w.String(), "Fail gives the name once too")
}

func TestCheckAddr(t *testing.T) {
	for _, ok := range []string{"127.0.0.1:8080", ":0", "[::1]:65535", "localhost:80", "localhost:"} {
		assert.NoError(t, CheckAddr(ok, "x"), ok)
	}
	assert.EqualError(t, CheckAddr("bad:addr:x", "127.0.0.1:8080"), "not host:port, such as 127.0.0.1:8080")
	assert.EqualError(t, CheckAddr("127.0.0.1:99999", "x"), `port "99999" is not a number from 0 to 65535`)
	assert.EqualError(t, CheckAddr("h:http", "x"), `port "http" is not a number from 0 to 65535`)
}

func TestFlagError(t *testing.T) {
	flags := map[string]string{"WithBaseURL": "-base-url"}
	err := FlagError(energy.Invalid("WithBaseURL", "no host"), flags)
	assert.EqualError(t, err, "-base-url: no host")
	other := energy.Invalid("WithClock", "nil")
	assert.Same(t, other, FlagError(other, flags), "a field no flag sets")
	plain := errors.New("plain")
	assert.Same(t, plain, FlagError(plain, flags))
	assert.NoError(t, CheckBaseURL("https://api.example/v1"))
	assert.EqualError(t, CheckBaseURL("ftp://x"), `-base-url: "ftp://x": scheme must be http or https`)
}

func TestServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })}
	s := Serve(srv, ln)
	assert.Equal(t, readHeaderTimeout, srv.ReadHeaderTimeout, "a zero timeout gets the default")
	resp, err := http.Get("http://" + ln.Addr().String())
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "ok", string(body))
	select {
	case <-s.Done():
		t.Fatal("stopped by itself")
	default:
	}
	require.NoError(t, s.Stop(), "a clean stop")
	<-s.Done()

	// A listener that fails stops the server by itself, and Stop says why.
	ln, err = net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	require.NoError(t, ln.Close())
	s = Serve(&http.Server{ReadTimeout: time.Second}, ln)
	select {
	case <-s.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("a closed listener did not stop the server")
	}
	assert.ErrorIs(t, s.Stop(), net.ErrClosed)
}
