// Command loadgen measures the VTN under load against the limit it can
// reach: a bare net/http handler that reads the request and returns the
// same bytes the VTN answers. Both listen on 127.0.0.1 in this process; a
// battery VEN is registered (its telemetry reports offered, its queue
// drained), then each handler is driven in turn with the same keep-alive
// connections, each sending one request after the other.
//
//	go run ./openadr/internal/loadgen                       # reports and polls, 8 connections, 10 s each
//	go run ./openadr/internal/loadgen -msg report -c 64 -d 5s
//	go run ./openadr/internal/loadgen -serve                # serve only; prints wrk commands
//
// For each message (update report: the battery sample's 12-interval
// TELEMETRY_USAGE report; poll: an empty poll) it prints one line per
// handler with requests/s, mean and 99th-percentile latency, and the
// VTN's ratio to bare. The driver runs in the same process, so it takes CPU
// from the servers; the ratio is the figure to compare. -serve leaves the
// driving to an outside tool such as wrk, whose Lua scripts it writes.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	msg      string // report, poll or both
	conns    int
	duration time.Duration
	serve    bool
	profile  string // -cpuprofile
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.StringVar(&cfg.msg, "msg", "both", "what to send: report, poll or both")
	fs.IntVar(&cfg.conns, "c", 8, "keep-alive connections")
	fs.DurationVar(&cfg.duration, "d", 10*time.Second, "how long to drive each handler")
	fs.BoolVar(&cfg.serve, "serve", false, "only serve the VTN and the bare handler and print wrk commands, until interrupted")
	fs.StringVar(&cfg.profile, "cpuprofile", "", "write the process's CPU profile (servers, and the driver without -serve) to this file")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "loadgen: drive the OpenADR VTN and a bare handler returning the same bytes over loopback, side by side (no environment variables)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if cfg.conns < 1 || cfg.duration <= 0 || (cfg.msg != "report" && cfg.msg != "poll" && cfg.msg != "both") {
		fmt.Fprintln(stderr, "loadgen: -c must be ≥ 1, -d positive, -msg report, poll or both")
		return 2
	}
	if cfg.profile != "" {
		f, err := os.Create(cfg.profile)
		if err != nil {
			fmt.Fprintln(stderr, "loadgen:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "loadgen:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	if err := loadgen(ctx, cfg, stdout); err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return 1
	}
	return 0
}

// target is one kind of request, and the answer the VTN gives to it.
type target struct {
	name, path string
	body       []byte
	answer     []byte
}

func loadgen(ctx context.Context, cfg config, out io.Writer) error {
	v, err := openadr.NewVTN("VTN_LOADGEN")
	if err != nil {
		return err
	}
	vtn := httptest.NewServer(v)
	defer vtn.Close()
	targets, err := setup(vtn.URL)
	if err != nil {
		return err
	}
	if cfg.msg != "both" {
		targets = slices.DeleteFunc(targets, func(t target) bool { return t.name != cfg.msg })
	}
	fmt.Fprintf(out, "GOMAXPROCS=%d, %d connections, %v per handler\n", runtime.GOMAXPROCS(0), cfg.conns, cfg.duration)
	for _, t := range targets {
		bare := httptest.NewServer(bareHandler(t.answer))
		if cfg.serve {
			err = printWrk(out, t, vtn.URL, bare.URL)
		} else {
			err = compare(ctx, cfg, out, t, vtn.URL, bare.URL)
		}
		if err != nil {
			bare.Close()
			return err
		}
		if cfg.serve {
			defer bare.Close()
			continue
		}
		bare.Close()
	}
	if cfg.serve {
		fmt.Fprintln(out, "serving; interrupt to stop")
		<-ctx.Done()
	}
	return nil
}

// bareHandler is the limit: it reads the request and answers the bytes the
// VTN answers, with the same headers.
func bareHandler(answer []byte) http.Handler {
	n := strconv.Itoa(len(answer))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header()["Content-Type"] = []string{"application/xml"}
		w.Header()["Content-Length"] = []string{n}
		_, _ = w.Write(answer)
	})
}

func compare(ctx context.Context, cfg config, out io.Writer, t target, vtnURL, bareURL string) error {
	var rates [2]float64
	for i, url := range []string{vtnURL, bareURL} {
		r, err := drive(ctx, url, t.path, t.body, cfg.conns, cfg.duration)
		if err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		rates[i] = r.rate()
		fmt.Fprintf(out, "%-6s %-4s %9.0f req/s  mean %8v  p99 %8v  (%d requests, %d B each)\n",
			t.name, []string{"vtn", "bare"}[i], r.rate(), r.mean().Round(time.Microsecond), r.p99().Round(time.Microsecond), len(r.latencies), len(t.body))
	}
	fmt.Fprintf(out, "%-6s vtn/bare %.2f\n", t.name, rates[0]/rates[1])
	return nil
}

// printWrk writes a wrk Lua script posting t's body and prints the commands
// that drive the VTN and the bare handler with it.
func printWrk(out io.Writer, t target, vtnURL, bareURL string) error {
	script := filepath.Join(os.TempDir(), "loadgen-"+t.name+".lua")
	lua := fmt.Sprintf("wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/xml\"\nwrk.body = %q\n", t.body)
	if err := os.WriteFile(script, []byte(lua), 0o644); err != nil {
		return err
	}
	for _, u := range []struct{ name, url string }{{"vtn", vtnURL}, {"bare", bareURL}} {
		fmt.Fprintf(out, "%-6s %-4s wrk -t1 -c8 -d10s -s %s %s%s\n", t.name, u.name, script, u.url, t.path)
	}
	return nil
}

// setup registers a battery VEN with the VTN at url over HTTP, offers its
// telemetry reports, sends one report and drains its queue, and returns the
// requests to drive with the VTN's answers to them.
func setup(url string) ([]target, error) {
	c := &http.Client{Timeout: 10 * time.Second}
	reg, err := exchange(c, url, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
		RequestID: "REQ_LOADGEN", ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
		VenName: "loadgen-battery", HTTPPullModel: new(true),
	})
	if err != nil {
		return nil, err
	}
	created, ok := reg.(*oadr.CreatedPartyRegistration)
	if !ok || created.Response.Code != oadr.CodeOK {
		return nil, fmt.Errorf("registration refused: %T", reg)
	}
	venID := created.VenID
	offer, err := readSample("oadrRegisterReport_battery_telemetry.xml")
	if err != nil {
		return nil, err
	}
	offer.(*oadr.RegisterReport).VenID = venID
	if _, err := exchange(c, url, oadr.ServiceEiReport, offer); err != nil {
		return nil, err
	}
	usage, err := readSample("oadrUpdateReport_battery_TELEMETRY_USAGE.xml")
	if err != nil {
		return nil, err
	}
	usage.(*oadr.UpdateReport).VenID = venID
	poll := &oadr.Poll{VenID: venID}
	for range 100 {
		ans, err := exchange(c, url, oadr.ServiceOadrPoll, poll)
		if err != nil {
			return nil, err
		}
		if _, empty := ans.(*oadr.Response); empty {
			return targets(c, url, []namedMessage{{"report", oadr.ServiceEiReport, usage}, {"poll", oadr.ServiceOadrPoll, poll}})
		}
	}
	return nil, errors.New("the VEN's queue does not drain")
}

type namedMessage struct {
	name string
	svc  oadr.ServiceName
	msg  oadr.Message
}

func targets(c *http.Client, url string, ms []namedMessage) ([]target, error) {
	var ts []target
	for _, m := range ms {
		body, err := oadr.Marshal(m.msg)
		if err != nil {
			return nil, err
		}
		answer, err := postRaw(c, url+openadr.PathPrefix+string(m.svc), body)
		if err != nil {
			return nil, err
		}
		ts = append(ts, target{name: m.name, path: openadr.PathPrefix + string(m.svc), body: body, answer: answer})
	}
	return ts, nil
}

func exchange(c *http.Client, url string, svc oadr.ServiceName, m oadr.Message) (oadr.Message, error) {
	body, err := oadr.Marshal(m)
	if err != nil {
		return nil, err
	}
	answer, err := postRaw(c, url+openadr.PathPrefix+string(svc), body)
	if err != nil {
		return nil, err
	}
	return oadr.Unmarshal(answer)
}

func postRaw(c *http.Client, url string, body []byte) ([]byte, error) {
	resp, err := c.Post(url, "application/xml", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("HTTP %d: %s", resp.StatusCode, b)
	}
	return b, err
}

// readSample decodes a message of the battery samples in openadr/testdata,
// found from this source file so that loadgen runs from any directory of
// the repository.
func readSample(name string) (oadr.Message, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return nil, errors.New("cannot locate the samples")
	}
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "testdata", "battery", name))
	if err != nil {
		return nil, fmt.Errorf("%w (run loadgen from a checkout of the repository)", err)
	}
	return oadr.Unmarshal(b)
}

// result is what one drive measured.
type result struct {
	elapsed   time.Duration
	latencies []time.Duration
}

func (r result) rate() float64 { return float64(len(r.latencies)) / r.elapsed.Seconds() }

func (r result) mean() time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	var sum time.Duration
	for _, l := range r.latencies {
		sum += l
	}
	return sum / time.Duration(len(r.latencies))
}

func (r result) p99() time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	s := slices.Clone(r.latencies)
	slices.Sort(s)
	return s[len(s)*99/100]
}

// drive sends body to url+path over conns keep-alive connections for d,
// each connection writing the next request when it has read the answer,
// as wrk does. Requests are written raw so that the driver costs little.
func drive(ctx context.Context, url, path string, body []byte, conns int, d time.Duration) (result, error) {
	addr := url[len("http://"):]
	req := fmt.Appendf(nil, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/xml\r\nContent-Length: %d\r\n\r\n%s", path, addr, len(body), body)
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		all  []time.Duration
		errs []error
	)
	start := time.Now()
	for range conns {
		wg.Go(func() {
			lat, err := connection(ctx, addr, req)
			mu.Lock()
			defer mu.Unlock()
			all = append(all, lat...)
			if err != nil {
				errs = append(errs, err)
			}
		})
	}
	wg.Wait()
	return result{elapsed: time.Since(start), latencies: all}, errors.Join(errs...)
}

// connection sends req on one connection until ctx ends and returns the
// latency of each exchange.
func connection(ctx context.Context, addr string, req []byte) ([]time.Duration, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	rd := bufio.NewReaderSize(conn, 16<<10)
	lat := make([]time.Duration, 0, 1<<16)
	for ctx.Err() == nil {
		t := time.Now()
		if _, err := conn.Write(req); err != nil {
			return lat, ignoreDeadline(ctx, err)
		}
		resp, err := http.ReadResponse(rd, nil)
		if err != nil {
			return lat, ignoreDeadline(ctx, err)
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return lat, ignoreDeadline(ctx, err)
		}
		if resp.StatusCode != http.StatusOK {
			return lat, fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		lat = append(lat, time.Since(t))
	}
	return lat, nil
}

// ignoreDeadline drops the error of the exchange the end of the run cut.
func ignoreDeadline(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}
