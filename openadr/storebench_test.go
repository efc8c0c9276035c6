package openadr_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/internal/pgtest"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/pgstore"
	"github.com/gridwire/gridwire/openadr/sqlitestore"
)

// BenchmarkStores runs the VTN on each store side by side: update reports
// (the battery sample's 12 intervals, 6 KB) and empty polls, in process, from
// 8 concurrent clients, each its own VEN. PostgreSQL runs when
// GRIDWIRE_TEST_POSTGRES names a database.
//
//	go test -run '^$' -bench Stores -benchmem ./openadr/
func BenchmarkStores(b *testing.B) {
	stores := []struct {
		name string
		open func(b *testing.B) openadr.Store
	}{
		{"memory", func(*testing.B) openadr.Store { return openadr.NewMemStore() }},
		{"sqlite", func(b *testing.B) openadr.Store {
			s, err := sqlitestore.Open(context.Background(), filepath.Join(b.TempDir(), "vtn.db"))
			require.NoError(b, err)
			b.Cleanup(func() { s.Close() })
			return s
		}},
		{"postgres", func(b *testing.B) openadr.Store {
			// A schema of its own: tests of other packages may use the
			// database at the same time.
			s, err := pgstore.Open(context.Background(), pgtest.SchemaURL(b, nil))
			require.NoError(b, err)
			b.Cleanup(s.Close)
			return s
		}},
	}
	const clients = 8
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) {
			v, err := openadr.NewVTN("VTN_BENCH", openadr.WithStore(st.open(b)))
			require.NoError(b, err)
			venIDs := make([]string, clients)
			for i := range venIDs {
				venIDs[i] = benchRegister(b, v, fmt.Sprintf("battery-%d", i))
			}
			report := benchSample(b, "oadrUpdateReport_battery_TELEMETRY_USAGE.xml")
			bodies := map[string][][]byte{"UpdateReport": nil, "EmptyPoll": nil}
			for _, id := range venIDs {
				m, err := oadr.Unmarshal(report)
				require.NoError(b, err)
				m.(*oadr.UpdateReport).VenID = id
				bodies["UpdateReport"] = append(bodies["UpdateReport"], benchMarshal(b, m))
				bodies["EmptyPoll"] = append(bodies["EmptyPoll"], benchMarshal(b, &oadr.Poll{VenID: id}))
			}
			for _, kind := range []struct{ name, svc, unit string }{
				{"UpdateReport", "EiReport", "reports/s"},
				{"EmptyPoll", "OadrPoll", "polls/s"},
			} {
				b.Run(kind.name, func(b *testing.B) {
					var next atomic.Int64
					path := openadr.PathPrefix + kind.svc
					b.SetParallelism(max(1, clients/runtime.GOMAXPROCS(0)))
					b.ReportAllocs()
					b.RunParallel(func(pb *testing.PB) {
						body := bodies[kind.name][int(next.Add(1)-1)%clients]
						rd := bytes.NewReader(body)
						for pb.Next() {
							rd.Reset(body)
							req := httptest.NewRequest(http.MethodPost, path, io.NopCloser(rd))
							rec := httptest.NewRecorder()
							v.ServeHTTP(rec, req)
							if rec.Code != http.StatusOK || !bytes.Contains(rec.Body.Bytes(), []byte("<ei:responseCode>200<")) {
								b.Fatalf("%d %s", rec.Code, rec.Body.Bytes())
							}
						}
					})
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), kind.unit)
				})
			}
		})
	}
}

func benchSample(b testing.TB, name string) []byte {
	body, err := os.ReadFile(filepath.Join("testdata", "battery", name))
	require.NoError(b, err)
	return body
}

func benchMarshal(b testing.TB, m oadr.Message) []byte {
	body, err := oadr.Marshal(m)
	require.NoError(b, err)
	return body
}

// benchServe posts body to the VTN in process and decodes the answer.
func benchServe(b testing.TB, v http.Handler, svc string, body []byte) oadr.Message {
	req := httptest.NewRequest(http.MethodPost, openadr.PathPrefix+svc, bytes.NewReader(body))
	rec := httptest.NewRecorder()
	v.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s: %d %s", svc, rec.Code, rec.Body.Bytes())
	}
	ans, err := oadr.Unmarshal(rec.Body.Bytes())
	require.NoError(b, err)
	return ans
}

func benchPost(b testing.TB, v http.Handler, svc string, m oadr.Message) oadr.Message {
	return benchServe(b, v, svc, benchMarshal(b, m))
}

// benchRegister registers a VEN, offers the battery's reports and drains its
// queue, returning its venID.
func benchRegister(b testing.TB, v http.Handler, name string) string {
	return benchRegisterWith(b, v, name, benchSample(b, "oadrRegisterReport_battery_telemetry.xml"), nil)
}

// benchRegisterWith registers a VEN, offers the reports of the
// oadrRegisterReport offer, sends the oadrUpdateReport usage (when not nil)
// and drains the VEN's queue, returning its venID.
func benchRegisterWith(b testing.TB, v http.Handler, name string, offer, usage []byte) string {
	reg := benchPost(b, v, "EiRegisterParty", &oadr.CreatePartyRegistration{
		RequestID: "REQ_" + name, ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
		VenName: name, HTTPPullModel: new(true),
	}).(*oadr.CreatedPartyRegistration)
	require.Equal(b, oadr.CodeOK, reg.Response.Code)
	m, err := oadr.Unmarshal(offer)
	require.NoError(b, err)
	m.(*oadr.RegisterReport).VenID = reg.VenID
	benchPost(b, v, "EiReport", m)
	if usage != nil {
		m, err := oadr.Unmarshal(usage)
		require.NoError(b, err)
		m.(*oadr.UpdateReport).VenID = reg.VenID
		benchPost(b, v, "EiReport", m)
	}
	for range 100 {
		// Answered as a VEN answers, or the VTN would send them again.
		switch m := benchPost(b, v, "OadrPoll", &oadr.Poll{VenID: reg.VenID}).(type) {
		case *oadr.Response:
			return reg.VenID
		case *oadr.RegisterReport:
			benchPost(b, v, "EiReport", &oadr.RegisteredReport{Response: oadr.OK(m.RequestID), VenID: reg.VenID})
		case *oadr.CreateReport:
			var ids []string
			for _, r := range m.ReportRequests {
				ids = append(ids, r.ReportRequestID)
			}
			benchPost(b, v, "EiReport", &oadr.CreatedReport{Response: oadr.OK(m.RequestID), PendingReports: ids, VenID: reg.VenID})
		}
	}
	b.Fatal("queue does not drain")
	return ""
}
