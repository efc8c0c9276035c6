package sqlitestore_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/sqlitestore"
)

// The crash test runs the VTN in a child process (this test binary, started
// again with childEnv set), loads it over real HTTP, kills it with SIGKILL
// in the middle of the load and starts it again on the same file: every
// request that got its answer must be reflected.
const childEnv = "GRIDWIRE_SQLITE_CRASH_CHILD"

func TestMain(m *testing.M) {
	if db := os.Getenv(childEnv); db != "" {
		runChild(db)
		return
	}
	os.Exit(m.Run())
}

// runChild serves a VTN on db, with an application endpoint that creates
// an event (POST /app/event?ven=ID, answered once the event is stored), and
// prints its address.
func runChild(db string) {
	ctx := context.Background()
	store, err := sqlitestore.Open(ctx, db)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	vtn, err := openadr.NewVTN("VTN_CRASH", openadr.WithStore(store))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	mux := http.NewServeMux()
	mux.Handle(openadr.PathPrefix, vtn)
	mux.HandleFunc("POST /app/event", func(w http.ResponseWriter, r *http.Request) {
		id, err := vtn.CreateEvent(r.Context(), r.URL.Query().Get("ven"), openadr.Event{
			Start: time.Now().Add(time.Hour),
			Signals: []openadr.Signal{{Name: "LOAD_DISPATCH", Type: oadr.SignalTypeSetpoint,
				Intervals: []openadr.Interval{{Duration: time.Hour, Value: -3000}}}},
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, id)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("listening", ln.Addr())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	_ = srv.Serve(ln)
}

type child struct {
	cmd  *exec.Cmd
	base string
}

func startChild(t *testing.T, db string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+db)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	require.True(t, ok, "child said %q", line)
	return &child{cmd: cmd, base: "http://" + addr}
}

// ven is one simulated VEN's view of what the VTN acknowledged.
type ven struct {
	id, regID   string
	ackedSeq    int      // the latest telemetry sequence number answered
	sentSeq     int      // the latest sent (answered or not)
	ackedEvents []string // events whose creation was answered
	delivered   int      // events seen in a distribute event
}

func post(ctx context.Context, base, svc string, m oadr.Message) (oadr.Message, error) {
	body, err := oadr.Marshal(m)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+openadr.PathPrefix+svc, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %d %s", svc, resp.StatusCode, b)
	}
	return oadr.Unmarshal(b)
}

func readSample(t *testing.T, name string) oadr.Message {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "battery", name))
	require.NoError(t, err)
	m, err := oadr.Unmarshal(b)
	require.NoError(t, err)
	return m
}

var seqBase = time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)

// telemetry is the battery sample's usage report with every interval at
// seqBase+seq seconds and the state of charge seq.
func telemetry(t *testing.T, venID string, seq int) *oadr.UpdateReport {
	u := readSample(t, "oadrUpdateReport_battery_TELEMETRY_USAGE.xml").(*oadr.UpdateReport)
	u.VenID, u.RequestID = venID, fmt.Sprintf("upd-%d", seq)
	for i := range u.Reports {
		r := &u.Reports[i]
		r.Start = time.Time{}
		for j := range r.Intervals {
			r.Intervals[j].Start = seqBase.Add(time.Duration(seq) * time.Second)
			for k := range r.Intervals[j].Payloads {
				if p := &r.Intervals[j].Payloads[k]; strings.HasSuffix(p.RID, "_soc") {
					p.Value = float64(seq)
				}
			}
		}
	}
	return u
}

func TestCrashLosesNothingAnswered(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	db := filepath.Join(t.TempDir(), "vtn.db")
	c := startChild(t, db)
	ctx := context.Background()

	const n = 16
	vens := make([]*ven, n)
	for i := range vens {
		reg, err := post(ctx, c.base, "EiRegisterParty", &oadr.CreatePartyRegistration{
			RequestID: fmt.Sprint("reg-", i), ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
			VenName: fmt.Sprint("battery-", i), HTTPPullModel: new(true),
		})
		require.NoError(t, err)
		cpr := reg.(*oadr.CreatedPartyRegistration)
		v := &ven{id: cpr.VenID, regID: cpr.RegistrationID}
		rr := readSample(t, "oadrRegisterReport_battery_telemetry.xml").(*oadr.RegisterReport)
		rr.VenID = v.id
		_, err = post(ctx, c.base, "EiReport", rr)
		require.NoError(t, err)
		vens[i] = v
	}

	// Load: every VEN sends telemetry, has events created for it and
	// polls, until the child is killed under it.
	loadCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, v := range vens {
		wg.Go(func() {
			for seq := 1; loadCtx.Err() == nil; seq++ {
				v.sentSeq = seq
				if _, err := post(loadCtx, c.base, "EiReport", telemetry(t, v.id, seq)); err != nil {
					return
				}
				v.ackedSeq = seq
				if seq%3 == 0 {
					req, _ := http.NewRequestWithContext(loadCtx, http.MethodPost, c.base+"/app/event?ven="+v.id, nil)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						return
					}
					id, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						return
					}
					v.ackedEvents = append(v.ackedEvents, string(id))
				}
			}
		})
	}
	time.Sleep(1500 * time.Millisecond)
	require.NoError(t, c.cmd.Process.Signal(syscall.SIGKILL))
	_, _ = c.cmd.Process.Wait()
	stop()
	wg.Wait()

	// Restarted on the same file, the VTN knows everything it answered.
	c = startChild(t, db)
	store, err := sqlitestore.Open(ctx, db)
	require.NoError(t, err)
	defer store.Close()
	vtn, err := openadr.NewVTN("VTN_CRASH", openadr.WithStore(store))
	require.NoError(t, err)
	var reports, events, queued int
	for _, v := range vens {
		reg, err := vtn.Registration(ctx, v.id)
		require.NoError(t, err, "registration of %s lost", v.id)
		assert.Equal(t, v.regID, reg.RegistrationID)
		offered, err := vtn.OfferedReports(ctx, v.id)
		require.NoError(t, err)
		assert.NotEmpty(t, offered, "offered reports of %s lost", v.id)

		ms, err := vtn.Telemetry(ctx, v.id)
		require.NoError(t, err)
		seq := -1
		for _, m := range ms {
			if strings.HasSuffix(m.RID, "_soc") {
				seq = int(m.MeasuredAt.Sub(seqBase) / time.Second)
			}
		}
		// The report in flight at the kill may or may not have been kept;
		// every answered one must have been.
		assert.GreaterOrEqual(t, seq, v.ackedSeq, "%s: latest telemetry lost", v.id)
		assert.LessOrEqual(t, seq, v.sentSeq)
		reports += v.ackedSeq

		evs, err := vtn.Events(ctx, v.id)
		require.NoError(t, err)
		stored := map[string]openadr.EventState{}
		for _, e := range evs {
			stored[e.Event.ID] = e
		}
		for _, id := range v.ackedEvents {
			e, ok := stored[id]
			if assert.True(t, ok, "%s: event %s lost", v.id, id) {
				assert.Equal(t, uint32(0), e.ModificationNumber)
			}
		}
		events += len(v.ackedEvents)
		q, err := vtn.Queue(ctx, v.id)
		require.NoError(t, err)
		queued += len(q)
		if len(v.ackedEvents) > 0 {
			assert.Contains(t, q, "oadrDistributeEvent", "%s: the event notice is no longer queued", v.id)
		}

		// The VEN goes on against the restarted process: its polls get
		// what was queued for it, the events it was never sent among them.
		var de *oadr.DistributeEvent
		for range len(q) {
			m, err := post(ctx, c.base, "OadrPoll", &oadr.Poll{VenID: v.id})
			require.NoError(t, err)
			if d, ok := m.(*oadr.DistributeEvent); ok {
				de = d
			}
		}
		if len(v.ackedEvents) > 0 {
			require.NotNil(t, de, "%s: no event list delivered after the restart", v.id)
			assert.GreaterOrEqual(t, len(de.Events), len(v.ackedEvents))
		}
	}
	t.Logf("%d VENs, %d answered reports, %d answered events and %d queued messages before SIGKILL: all kept", n, reports, events, queued)
	require.Positive(t, events, "the load created no event before the kill")
}
