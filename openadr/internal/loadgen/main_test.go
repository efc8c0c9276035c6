package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gridwire/gridwire/internal/syncbuf"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/internal/successive"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadgenComparesBothHandlers(t *testing.T) {
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"-c", "2", "-d", "100ms"}, &out, &errs)
	require.Equal(t, 0, code, errs.String())
	for _, want := range []string{"report vtn ", "report bare", "report vtn/bare", "poll   vtn ", "poll   bare", "poll   vtn/bare"} {
		assert.Contains(t, out.String(), want)
	}
}

// -vens registers that many VENs and spreads the requests over them.
func TestLoadgenManyVENs(t *testing.T) {
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"-vens", "3", "-c", "2", "-d", "100ms"}, &out, &errs)
	require.Equal(t, 0, code, errs.String())
	assert.Contains(t, out.String(), "2 connections, 100ms per handler, VENs: 3")
	assert.Contains(t, out.String(), "poll   vtn/bare")
}

// venIDs writes each VEN's venID where the body has the first's, and a
// connection's requests go to every VEN in turn.
func TestVenIDsVisitsEveryVEN(t *testing.T) {
	for _, n := range []int{1, 5, venStride, 2 * venStride} {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("VEN_%08d", i)
		}
		const head = "POST / HTTP/1.1\r\n\r\n"
		body := "<a>" + ids[0] + "</a><b>" + ids[0] + "</b>"
		tg := target{body: []byte(body), ids: ids, at: []int{3, 3 + len(ids[0]) + 7}}
		req := []byte(head + body)
		next := tg.venIDs(len(head), 2%n)
		seen := map[string]bool{}
		for range n {
			next(req)
			id := string(req[len(head)+3 : len(head)+3+len(ids[0])])
			require.Equal(t, head+"<a>"+id+"</a><b>"+id+"</b>", string(req))
			seen[id] = true
		}
		assert.Len(t, seen, n, "%d VENs", n)
	}
}

func TestLoadgenUsage(t *testing.T) {
	var out, errs bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), []string{"-h"}, &out, &errs))
	assert.Contains(t, errs.String(), "loadgen: drive the OpenADR VTN")
	assert.Equal(t, 2, run(context.Background(), []string{"-msg", "nonsense"}, &out, &errs))
	assert.Equal(t, 2, run(context.Background(), []string{"-c", "0"}, &out, &errs))
	assert.Equal(t, 2, run(context.Background(), []string{"-vens", "0"}, &out, &errs))
	assert.Equal(t, 2, run(context.Background(), []string{"-vens", "2", "-serve"}, &out, &errs))
	assert.Equal(t, 2, run(context.Background(), []string{"-busy", "-1us"}, &out, &errs))
	assert.Equal(t, 2, run(context.Background(), []string{"-fresh", "-vens", "2"}, &out, &errs))
}

// -serve writes its wrk scripts into a directory of its own, which it
// removes when it stops: the scripts carry the VEN this process
// registered, and two loadgens at once must not drive each other's VTN
// with an unknown venID.
func TestLoadgenServeScripts(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var outs [2]syncbuf.Buffer
	done := make(chan int, 2)
	for i := range outs {
		go func() { done <- run(ctx, []string{"-serve", "-msg", "poll"}, &outs[i], io.Discard) }()
	}
	var scripts [2]string
	for i := range outs {
		require.Eventually(t, func() bool { return strings.Contains(outs[i].String(), "serving") }, 30*time.Second, 10*time.Millisecond)
		f := strings.Fields(strings.SplitN(outs[i].String(), "poll   vtn  ", 2)[1])
		require.Equal(t, "wrk", f[0])
		scripts[i] = f[5]
		_, err := os.Stat(scripts[i])
		require.NoError(t, err)
	}
	assert.NotEqual(t, scripts[0], scripts[1])
	a, err := os.ReadFile(scripts[0])
	require.NoError(t, err)
	b, err := os.ReadFile(scripts[1])
	require.NoError(t, err)
	assert.NotEqual(t, a, b, "each script carries its own process's venID")
	cancel()
	for range outs {
		assert.Equal(t, 0, <-done)
	}
	for _, s := range scripts {
		_, err := os.Stat(filepath.Dir(s))
		assert.ErrorIs(t, err, os.ErrNotExist)
	}
}

// -busy makes the bare handler cost that much per request, and says so.
func TestLoadgenBusyBare(t *testing.T) {
	answer := []byte("<answer/>")
	h := bareHandler(answer, 3*time.Millisecond)
	rec := httptest.NewRecorder()
	start := time.Now()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader("body")))
	assert.GreaterOrEqual(t, time.Since(start), 3*time.Millisecond)
	assert.Equal(t, answer, rec.Body.Bytes())

	var out, errs bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"-msg", "poll", "-busy", "5us", "-c", "1", "-d", "50ms"}, &out, &errs), errs.String())
	assert.Contains(t, out.String(), "bare busy 5µs per request")
}

// -cpuprofile writes a profile (gzipped protobuf, as pprof reads it); a
// file it cannot create is an error before any load.
func TestLoadgenCPUProfile(t *testing.T) {
	var out, errs bytes.Buffer
	prof := filepath.Join(t.TempDir(), "cpu.prof")
	require.Equal(t, 0, run(context.Background(), []string{"-msg", "poll", "-c", "1", "-d", "50ms", "-cpuprofile", prof}, &out, &errs), errs.String())
	b, err := os.ReadFile(prof)
	require.NoError(t, err)
	require.Greater(t, len(b), 2)
	assert.Equal(t, []byte{0x1f, 0x8b}, b[:2], "a gzipped profile")

	errs.Reset()
	assert.Equal(t, 1, run(context.Background(), []string{"-cpuprofile", filepath.Join(t.TempDir(), "missing", "cpu.prof")}, &out, &errs))
	assert.Contains(t, errs.String(), "loadgen: ")
}

// The polls loadgen drives are empty polls, answered with an empty
// oadrResponse by the VTN (for every VEN, again and again) and by the bare
// handler: each VEN answered what the VTN waits an answer for, so nothing
// is delivered again.
func TestLoadgenPollsAreEmpty(t *testing.T) {
	v, err := openadr.NewVTN("VTN_LOADGEN")
	require.NoError(t, err)
	srv := httptest.NewServer(v)
	defer srv.Close()
	bat, err := newBattery()
	require.NoError(t, err)
	targets, err := setup(srv.URL, bat)
	require.NoError(t, err)
	require.NoError(t, spread(v, bat, targets, 3))
	i := slices.IndexFunc(targets, func(t target) bool { return t.name == "poll" })
	require.GreaterOrEqual(t, i, 0)
	poll := targets[i]
	ans, err := oadr.Unmarshal(poll.answer)
	require.NoError(t, err)
	assert.Equal(t, "oadrResponse", ans.MessageName(), "the bare handler's answer")
	req := slices.Clone(poll.body)
	next := poll.venIDs(0, 0)
	for range 3 * 20 { // each VEN 20 times, past any redelivery
		next(req)
		resp, err := http.Post(srv.URL+poll.path, "application/xml", bytes.NewReader(req))
		require.NoError(t, err)
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		ans, err := oadr.Unmarshal(b)
		require.NoError(t, err)
		require.Equal(t, "oadrResponse", ans.MessageName(), "%s", b)
	}
}

// -fresh sends successive reports, each with new values, in turn; wrk's
// script takes them in turn too.
func TestLoadgenFresh(t *testing.T) {
	var out, errs bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"-msg", "report", "-fresh", "-c", "2", "-d", "100ms"}, &out, &errs), errs.String())
	assert.Contains(t, out.String(), "64 successive reports in turn")
	assert.Contains(t, out.String(), "report vtn/bare")

	bat, err := newBattery()
	require.NoError(t, err)
	bat.usage.VenID = "VEN_1"
	bodies, err := successive.Bodies(bat.usage, 4)
	require.NoError(t, err)
	tg := target{name: "report", path: "/r", body: bodies[0], bodies: bodies}
	next := tg.requests("127.0.0.1:1", 0, 2)
	for k := range 8 {
		req := next()
		body := tg.bodies[(2+k)%4]
		assert.True(t, bytes.HasSuffix(req, body), "request %d", k)
		assert.Contains(t, string(req), fmt.Sprintf("Content-Length: %d\r\n", len(body)))
	}

	dir := t.TempDir()
	require.NoError(t, printWrk(io.Discard, dir, tg, "http://vtn", "http://bare"))
	lua, err := os.ReadFile(filepath.Join(dir, "report.lua"))
	require.NoError(t, err)
	assert.Contains(t, string(lua), "request = function()")
	for k, body := range tg.bodies {
		assert.Contains(t, string(lua), fmt.Sprintf("  %q,\n", body), "body %d", k)
	}
}
