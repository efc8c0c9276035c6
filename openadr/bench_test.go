package openadr

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/internal/successive"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// The benchmarks put the VTN side by side with a bare net/http handler that
// reads the body and returns the same bytes the VTN answers, so the ratio is
// the cost of OpenADR itself (decoding, the store, encoding) over HTTP's.
// Each runs in process (ServeHTTP with a recorder) and over loopback HTTP
// with keep-alive, each with one client and in parallel.
//
//	go test -run '^$' -bench . -benchmem ./openadr/

func BenchmarkPoll(b *testing.B) {
	v, venID := benchVTN(b)
	body, err := oadr.Marshal(&oadr.Poll{VenID: venID})
	require.NoError(b, err)
	benchAgainstBare(b, v, oadr.ServiceOadrPoll, [][]byte{body}, "polls/s")
}

// BenchmarkUpdateReport sends the battery sample's report: 12 intervals
// (two instants × six data points), about 5 KB as re-encoded and sent (the
// sample file, indented, is 6.1 KB).
func BenchmarkUpdateReport(b *testing.B) {
	v, u := benchUsage(b)
	body, err := oadr.Marshal(u)
	require.NoError(b, err)
	benchAgainstBare(b, v, oadr.ServiceEiReport, [][]byte{body}, "reports/s")
}

// BenchmarkUpdateReportFresh sends that report as a VEN's successive
// reports come, with new values each time (64 in turn, see package
// successive): the VTN reads the values that changed, where
// BenchmarkUpdateReport's same body again has none (see oadr.Shapes).
func BenchmarkUpdateReportFresh(b *testing.B) {
	v, u := benchUsage(b)
	bodies, err := successive.Bodies(u, 64)
	require.NoError(b, err)
	benchAgainstBare(b, v, oadr.ServiceEiReport, bodies, "reports/s")
}

// benchUsage returns benchVTN's VTN and the battery sample's usage report
// as its VEN.
func benchUsage(b *testing.B) (*VTN, *oadr.UpdateReport) {
	v, venID := benchVTN(b)
	m, err := oadr.Unmarshal(sample(b, "battery/oadrUpdateReport_battery_TELEMETRY_USAGE.xml"))
	require.NoError(b, err)
	u := m.(*oadr.UpdateReport)
	require.Len(b, u.Reports[0].Intervals, 12)
	u.VenID = venID
	return v, u
}

// benchVTN returns a VTN with the battery VEN registered, its reports
// offered and its queue empty.
func benchVTN(b *testing.B) (*VTN, string) {
	v, _ := newVTN(b)
	venID, _ := register(b, v, "battery")
	send(b, v, oadr.ServiceEiReport, batteryReports(b, venID))
	drain(b, v, venID)
	return v, venID
}

// benchAgainstBare sends bodies in turn; the bare handler answers the
// VTN's answer to the first.
func benchAgainstBare(b *testing.B, v *VTN, svc oadr.ServiceName, bodies [][]byte, unit string) {
	status, answer := post(b, v, svc, bodies[0])
	require.Equal(b, http.StatusOK, status)
	m, err := oadr.Unmarshal(answer)
	require.NoError(b, err)
	require.Equal(b, oadr.CodeOK, responseOf(m).Code, "%s", answer)
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header()["Content-Type"] = contentType
		_, _ = w.Write(answer)
	})
	handlers := []struct {
		name string
		h    http.Handler
	}{{"vtn", v}, {"bare", bare}}
	path := PathPrefix + string(svc)
	for _, h := range handlers {
		b.Run("inprocess/"+h.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodPost, path, nil)
			rd := new(bytes.Reader)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				rd.Reset(bodies[i%len(bodies)])
				i++
				req.Body = io.NopCloser(rd)
				rec := httptest.NewRecorder()
				h.h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("HTTP %d", rec.Code)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
		})
	}
	for _, h := range handlers {
		// The VTN has no global lock: requests from different VENs, and the
		// decoding of any two requests, use every core.
		b.Run("inprocess-parallel/"+h.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				req := httptest.NewRequest(http.MethodPost, path, nil)
				rd := new(bytes.Reader)
				i := 0
				for pb.Next() {
					rd.Reset(bodies[i%len(bodies)])
					i++
					req.Body = io.NopCloser(rd)
					rec := httptest.NewRecorder()
					h.h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Errorf("HTTP %d", rec.Code)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
		})
	}
	for _, h := range handlers {
		b.Run("loopback/"+h.name, func(b *testing.B) {
			srv, client := benchServer(h.h)
			defer srv.Close()
			defer client.CloseIdleConnections()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				benchPost(b, client, srv.URL+path, bodies[i%len(bodies)])
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
		})
	}
	for _, h := range handlers {
		b.Run("loopback-parallel/"+h.name, func(b *testing.B) {
			srv, client := benchServer(h.h)
			defer srv.Close()
			defer client.CloseIdleConnections()
			b.ReportAllocs()
			b.SetParallelism(4) // 4 × GOMAXPROCS clients
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					benchPost(b, client, srv.URL+path, bodies[i%len(bodies)])
					i++
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
		})
	}
}

func benchServer(h http.Handler) (*httptest.Server, *http.Client) {
	srv := httptest.NewServer(h)
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64 // keep-alive for every parallel client
	return srv, &http.Client{Transport: tr}
}

func benchPost(b *testing.B, c *http.Client, url string, body []byte) {
	resp, err := c.Post(url, "application/xml", bytes.NewReader(body))
	if err != nil {
		b.Error(err)
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Errorf("HTTP %d", resp.StatusCode)
	}
}
