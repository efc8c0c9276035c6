// Command loadgen measures the VTN under load against the limit it can
// reach: a bare net/http handler that reads the request and returns the
// same bytes the VTN answers. Both listen on 127.0.0.1 in this process; a
// battery VEN is registered (its telemetry reports offered, its queue
// drained), then each handler is driven in turn with the same keep-alive
// connections, each sending one request after the other.
//
//	go run ./openadr/internal/loadgen                       # reports and polls, 8 connections, 10 s each
//	go run ./openadr/internal/loadgen -msg report -c 64 -d 5s
//	go run ./openadr/internal/loadgen -serve                # serve only; prints wrk commands (scripts removed at exit)
//	go run ./openadr/internal/loadgen -msg poll -vens 100000 # polls spread over 100,000 VENs
//	go run ./openadr/internal/loadgen -msg report -fresh     # each report with new values
//
// For each message (update report: the battery sample's 12-interval
// TELEMETRY_USAGE report; poll: an empty poll) it prints one line per
// handler with requests/s, mean and 99th-percentile latency, and the
// VTN's ratio to bare. The driver runs in the same process, so it takes CPU
// from the servers; the ratio is the figure to compare. -serve leaves the
// driving to an outside tool such as wrk, whose Lua scripts it writes.
//
// -vens N registers N such VENs (the first over HTTP, the others through
// the handler in process, which is quicker) and spreads the requests over
// all of them: each connection starts at a VEN of its own and steps through
// the registry by a large prime, so that consecutive requests touch memory
// far apart, as polls from many thousands of VENs do. Comparing the figures
// at -vens 1000 and -vens 100000 shows what the number of VENs costs a
// request. The bare handler runs in the same process, beside the same
// registry, so it pays the same garbage collector.
//
// -fresh sends each update report with new values, as a VEN's successive
// reports come: 64 reports in turn (package successive), each with its own
// request ID, its times two minutes after the one before and other
// readings, all in the same markup. Without it every request is the same body, which the VTN reads
// from its shape without reading a value (see oadr.Shapes); with it the VTN
// reads the values that changed. wrk's scripts then take the bodies in turn
// too.
//
// -busy D makes the bare handler compute for D before it answers: a handler
// that costs D of CPU per request. Its rate against the plain bare
// handler's (run loadgen twice, or drive both -serve processes with wrk)
// says how much CPU per request a ratio to bare allows on the machine, such
// as the 0.6 the VTN's update reports aim at.
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
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/internal/successive"
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
	vens     int
	busy     time.Duration // the bare handler's CPU per request
	fresh    bool          // successive reports, not one body again
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
	fs.IntVar(&cfg.vens, "vens", 1, "battery VENs to register; requests are spread over them (not with -serve)")
	fs.BoolVar(&cfg.fresh, "fresh", false, "send each update report with new values (request ID, times, readings), as successive reports come (not with -vens)")
	fs.DurationVar(&cfg.busy, "busy", 0, "make the bare handler compute for this long per request, to see what a handler costing that much reaches")
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
	if cfg.conns < 1 || cfg.duration <= 0 || cfg.vens < 1 || cfg.busy < 0 || (cfg.msg != "report" && cfg.msg != "poll" && cfg.msg != "both") {
		fmt.Fprintln(stderr, "loadgen: -c and -vens must be ≥ 1, -d positive, -busy not negative, -msg report, poll or both")
		return 2
	}
	if cfg.serve && cfg.vens > 1 {
		fmt.Fprintln(stderr, "loadgen: -vens spreads loadgen's own requests; with -serve, wrk sends one VEN's")
		return 2
	}
	if cfg.fresh && cfg.vens > 1 {
		fmt.Fprintln(stderr, "loadgen: -fresh sends one VEN's successive reports; it does not go with -vens")
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
	// bodies, when set, are sent in turn instead of body (-fresh); the
	// first is body.
	bodies [][]byte
	// ids are the venIDs to send body as, all as long as the one in body,
	// at the offsets at.
	ids []string
	at  []int
}

func loadgen(ctx context.Context, cfg config, out io.Writer) error {
	v, err := openadr.NewVTN("VTN_LOADGEN", openadr.WithMaxVENs(max(cfg.vens, openadr.DefaultMaxVENs)))
	if err != nil {
		return err
	}
	vtn := httptest.NewServer(v)
	defer vtn.Close()
	bat, err := newBattery()
	if err != nil {
		return err
	}
	targets, err := setup(vtn.URL, bat)
	if err != nil {
		return err
	}
	if err := spread(v, bat, targets, cfg.vens); err != nil {
		return err
	}
	if cfg.fresh {
		if err := freshReports(vtn.URL, bat, targets); err != nil {
			return err
		}
	}
	if cfg.msg != "both" {
		targets = slices.DeleteFunc(targets, func(t target) bool { return t.name != cfg.msg })
	}
	fmt.Fprintf(out, "GOMAXPROCS=%d, %d connections, %v per handler, VENs: %d", runtime.GOMAXPROCS(0), cfg.conns, cfg.duration, cfg.vens)
	if cfg.fresh {
		fmt.Fprintf(out, ", %d successive reports in turn", freshCount)
	}
	if cfg.busy > 0 {
		fmt.Fprintf(out, ", bare busy %v per request", cfg.busy)
	}
	fmt.Fprintln(out)
	var scripts string // -serve: the directory of this process's wrk scripts
	if cfg.serve {
		// A directory of its own: the scripts carry this process's venID,
		// which another loadgen's VTN does not know.
		if scripts, err = os.MkdirTemp("", "loadgen-"); err != nil {
			return err
		}
		defer os.RemoveAll(scripts)
	}
	for _, t := range targets {
		bare := httptest.NewServer(bareHandler(t.answer, cfg.busy))
		if cfg.serve {
			err = printWrk(out, scripts, t, vtn.URL, bare.URL)
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
// VTN answers, with the same headers, after computing for busy.
func bareHandler(answer []byte, busy time.Duration) http.Handler {
	n := strconv.Itoa(len(answer))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		spin(busy)
		w.Header()["Content-Type"] = []string{"application/xml"}
		w.Header()["Content-Length"] = []string{n}
		_, _ = w.Write(answer)
	})
}

// spin computes for d: reading the clock, which costs tens of nanoseconds
// and no system call, until d has passed. It counts wall-clock time, so a
// handler the scheduler takes off the CPU in the meantime spends less than
// d of CPU: d is an upper bound of what the busy handler costs.
func spin(d time.Duration) {
	for start := time.Now(); time.Since(start) < d; {
	}
}

func compare(ctx context.Context, cfg config, out io.Writer, t target, vtnURL, bareURL string) error {
	var rates [2]float64
	for i, url := range []string{vtnURL, bareURL} {
		r, err := drive(ctx, url, t, cfg.conns, cfg.duration)
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

// printWrk writes a wrk Lua script posting t's body into dir and prints
// the commands that drive the VTN and the bare handler with it.
func printWrk(out io.Writer, dir string, t target, vtnURL, bareURL string) error {
	script := filepath.Join(dir, t.name+".lua")
	lua := fmt.Sprintf("wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/xml\"\nwrk.body = %q\n", t.body)
	if len(t.bodies) > 0 {
		var b strings.Builder
		b.WriteString(lua + "bodies = {\n")
		for _, body := range t.bodies {
			fmt.Fprintf(&b, "  %q,\n", body)
		}
		b.WriteString("}\ni = 0\nrequest = function()\n  i = i % #bodies + 1\n  return wrk.format(nil, nil, nil, bodies[i])\nend\n")
		lua = b.String()
	}
	if err := os.WriteFile(script, []byte(lua), 0o644); err != nil {
		return err
	}
	for _, u := range []struct{ name, url string }{{"vtn", vtnURL}, {"bare", bareURL}} {
		fmt.Fprintf(out, "%-6s %-4s wrk -t1 -c8 -d10s -s %s %s%s\n", t.name, u.name, script, u.url, t.path)
	}
	return nil
}

// setup registers a battery VEN with the VTN at url over HTTP (see
// registerBattery) and returns the requests to drive, as that VEN, with
// the VTN's answers to them.
func setup(url string, bat *battery) ([]target, error) {
	c := &http.Client{Timeout: 10 * time.Second}
	venID, err := bat.register(func(svc oadr.ServiceName, m oadr.Message) (oadr.Message, error) {
		return exchange(c, url, svc, m)
	}, "loadgen-battery")
	if err != nil {
		return nil, err
	}
	return targets(c, url, venID, []namedMessage{{"report", oadr.ServiceEiReport, bat.usage}, {"poll", oadr.ServiceOadrPoll, &oadr.Poll{VenID: venID}}})
}

// battery registers battery VENs: the samples' telemetry offer and usage
// report.
type battery struct {
	offer *oadr.RegisterReport
	usage *oadr.UpdateReport
}

// poster sends a message to the VTN and returns its answer.
type poster func(oadr.ServiceName, oadr.Message) (oadr.Message, error)

// newBattery reads the samples.
func newBattery() (*battery, error) {
	offer, err := readSample("oadrRegisterReport_battery_telemetry.xml")
	if err != nil {
		return nil, err
	}
	usage, err := readSample("oadrUpdateReport_battery_TELEMETRY_USAGE.xml")
	if err != nil {
		return nil, err
	}
	return &battery{offer: offer.(*oadr.RegisterReport), usage: usage.(*oadr.UpdateReport)}, nil
}

// register registers a pull VEN named name, offers its telemetry reports,
// sends one usage report and drains its queue; it returns the venID.
func (b *battery) register(post poster, name string) (string, error) {
	reg, err := post(oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
		RequestID: "REQ_LOADGEN", ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
		VenName: name, HTTPPullModel: new(true),
	})
	if err != nil {
		return "", err
	}
	created, ok := reg.(*oadr.CreatedPartyRegistration)
	if !ok || created.Response.Code != oadr.CodeOK {
		return "", fmt.Errorf("registration refused: %T", reg)
	}
	venID := created.VenID
	b.offer.VenID, b.usage.VenID = venID, venID
	if _, err := post(oadr.ServiceEiReport, b.offer); err != nil {
		return "", err
	}
	if err := drain(post, venID); err != nil {
		return "", err
	}
	if _, err := post(oadr.ServiceEiReport, b.usage); err != nil {
		return "", err
	}
	return venID, drain(post, venID)
}

// drain polls as venID until the answer is empty, answering what the VTN
// waits an answer for, as a VEN does: a message left unanswered would be
// delivered again (openadr.WithRedeliverAfter), and the VEN's polls would
// not be empty ones until the VTN gave up on it.
func drain(post poster, venID string) error {
	poll := &oadr.Poll{VenID: venID}
	for range 100 {
		ans, err := post(oadr.ServiceOadrPoll, poll)
		if err != nil {
			return err
		}
		switch m := ans.(type) {
		case *oadr.Response:
			return nil
		case *oadr.RegisterReport:
			_, err = post(oadr.ServiceEiReport, &oadr.RegisteredReport{Response: oadr.OK(m.RequestID), VenID: venID})
		case *oadr.CreateReport:
			_, err = post(oadr.ServiceEiReport, &oadr.CreatedReport{Response: oadr.OK(m.RequestID), VenID: venID})
		}
		if err != nil {
			return err
		}
	}
	return errors.New("the VEN's queue does not drain")
}

type namedMessage struct {
	name string
	svc  oadr.ServiceName
	msg  oadr.Message
}

// targets makes the requests to drive, as venID: each message's body, the
// offsets of venID in it, and the VTN's answer to it.
func targets(c *http.Client, url, venID string, ms []namedMessage) ([]target, error) {
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
		t := target{name: m.name, path: openadr.PathPrefix + string(m.svc), body: body, answer: answer, ids: []string{venID}}
		for at := 0; ; at += len(venID) {
			i := bytes.Index(body[at:], []byte(venID))
			if i < 0 {
				break
			}
			at += i
			t.at = append(t.at, at)
		}
		if len(t.at) == 0 {
			return nil, fmt.Errorf("%s: the venID is not in the body", m.name)
		}
		if err := checkAnswer(m, answer); err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// checkAnswer checks that the VTN answered m as the figures assume: a poll
// with an empty oadrResponse, an update report with oadrUpdatedReport. The
// bare handler answers these bytes.
func checkAnswer(m namedMessage, answer []byte) error {
	want := "oadrUpdatedReport"
	if m.svc == oadr.ServiceOadrPoll {
		want = "oadrResponse"
	}
	got, err := oadr.Unmarshal(answer)
	if err != nil {
		return fmt.Errorf("%s: the VTN's answer: %w", m.name, err)
	}
	if got.MessageName() != want {
		return fmt.Errorf("%s: the VTN answered %s, not %s", m.name, got.MessageName(), want)
	}
	return nil
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

// drive sends t's body to url over conns keep-alive connections for d,
// each connection writing the next request when it has read the answer,
// as wrk does. Requests are written raw so that the driver costs little.
func drive(ctx context.Context, url string, t target, conns int, d time.Duration) (result, error) {
	addr := url[len("http://"):]
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		all  []time.Duration
		errs []error
	)
	start := time.Now()
	for i := range conns {
		wg.Go(func() {
			lat, err := connection(ctx, addr, t.requests(addr, i*len(t.ids)/conns, i*len(t.bodies)/conns))
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

// connection sends the requests next gives on one connection until ctx
// ends, and returns the latency of each exchange.
func connection(ctx context.Context, addr string, next func() []byte) ([]time.Duration, error) {
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
		req := next()
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

// requests returns the function that gives a connection's next request to
// addr: t's body as the next VEN (from VEN first) sends it, or the next of
// t's bodies (from body firstBody).
func (t target) requests(addr string, first, firstBody int) func() []byte {
	request := func(body []byte) []byte {
		req := fmt.Appendf(nil, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/xml\r\nContent-Length: %d\r\n\r\n", t.path, addr, len(body))
		return append(req, body...)
	}
	if len(t.bodies) > 0 {
		reqs := make([][]byte, len(t.bodies))
		for k, body := range t.bodies {
			reqs[k] = request(body)
		}
		k := firstBody
		return func() []byte {
			req := reqs[k%len(reqs)]
			k++
			return req
		}
	}
	req := request(t.body)
	write := t.venIDs(len(req)-len(t.body), first)
	return func() []byte {
		write(req)
		return req
	}
}

// freshCount is how many successive reports -fresh sends in turn.
const freshCount = 64

// freshReports gives the report target freshCount successive reports of
// the battery (see -fresh), after checking that the VTN answers each as it
// answered the first.
func freshReports(url string, bat *battery, targets []target) error {
	c := &http.Client{Timeout: 10 * time.Second}
	for i := range targets {
		t := &targets[i]
		if t.name != "report" {
			continue
		}
		bodies, err := successive.Bodies(bat.usage, freshCount)
		if err != nil {
			return err
		}
		for _, body := range bodies[1:] {
			answer, err := postRaw(c, url+t.path, body)
			if err != nil {
				return err
			}
			if err := checkAnswer(namedMessage{t.name, oadr.ServiceEiReport, bat.usage}, answer); err != nil {
				return err
			}
		}
		t.bodies = bodies
	}
	return nil
}

// venStride is the step from one VEN to the next of a connection: a prime,
// so that the steps reach every VEN (unless their number is a multiple of
// it: then the step is 1).
const venStride = 7919

// venIDs returns the function that writes the venID of the next VEN into a
// request whose body starts at bodyAt, starting with VEN first.
func (t target) venIDs(bodyAt, first int) func([]byte) {
	i, step := first, venStride
	if len(t.ids)%step == 0 {
		step = 1
	}
	return func(req []byte) {
		id := t.ids[i%len(t.ids)]
		for _, at := range t.at {
			copy(req[bodyAt+at:], id)
		}
		i += step
	}
}

// spread registers vens-1 more battery VENs as setup did the first, through
// v in process, and makes each target's requests go to all of them in turn.
func spread(v http.Handler, bat *battery, targets []target, vens int) error {
	first := targets[0].ids[0]
	ids := make([]string, vens)
	ids[0] = first
	post := func(svc oadr.ServiceName, m oadr.Message) (oadr.Message, error) {
		body, err := oadr.Marshal(m)
		if err != nil {
			return nil, err
		}
		rec := httptest.NewRecorder()
		v.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, openadr.PathPrefix+string(svc), bytes.NewReader(body)))
		if rec.Code != http.StatusOK {
			return nil, fmt.Errorf("HTTP %d: %s", rec.Code, rec.Body.Bytes())
		}
		return oadr.Unmarshal(rec.Body.Bytes())
	}
	for i := 1; i < vens; i++ {
		id, err := bat.register(post, fmt.Sprintf("loadgen-battery-%d", i))
		if err != nil {
			return fmt.Errorf("VEN %d: %w", i, err)
		}
		if len(id) != len(first) {
			return fmt.Errorf("venID %q is not as long as %q", id, first)
		}
		ids[i] = id
	}
	for i := range targets {
		targets[i].ids = ids
	}
	return nil
}
