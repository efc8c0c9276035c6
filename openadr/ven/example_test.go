package ven_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
)

// exampleVTN is a minimal VTN for the examples: it registers the VEN, asks
// for its SoC every 5 minutes and hands it a charge/discharge event (charge
// at 3 kW from 13:00 for an hour, hold, discharge at 5 kW from 15:00 to 17:00).
func exampleVTN() *httptest.Server {
	start := time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC)
	answer := func(msg oadr.Message) oadr.Message {
		switch m := msg.(type) {
		case *oadr.QueryRegistration, *oadr.CreatePartyRegistration:
			c := &oadr.CreatedPartyRegistration{VtnID: "VTN_EXAMPLE", PollFreq: 10 * time.Second,
				Profiles: []oadr.Profile{{Name: oadr.Profile20b, Transports: []oadr.TransportName{oadr.TransportSimpleHTTP}}}}
			if r, ok := m.(*oadr.CreatePartyRegistration); ok {
				c.Response, c.VenID, c.RegistrationID = oadr.OK(r.RequestID), "VEN_1", "REG_1"
			}
			return c
		case *oadr.RegisterReport:
			return &oadr.RegisteredReport{Response: oadr.OK(m.RequestID), ReportRequests: []oadr.ReportRequest{{
				ReportRequestID: "RR_SOC",
				Specifier: oadr.ReportSpecifier{ReportSpecifierID: "battery1_telemetry_usage",
					Granularity: 5 * time.Minute, ReportBackDuration: 5 * time.Minute,
					Payloads: []oadr.SpecifierPayload{{RID: "battery1_soc", ReadingType: oadr.ReadingDirectRead}}},
			}}}
		case *oadr.RequestEvent:
			kW := oadr.NewPowerReal(oadr.ScaleKilo, oadr.PowerAttributes{Hertz: 60, Voltage: 240, AC: true})
			return &oadr.DistributeEvent{Response: &oadr.EiResponse{Code: oadr.CodeOK, RequestID: m.RequestID},
				RequestID: "DIST_1", VtnID: "VTN_EXAMPLE", Events: []oadr.Event{{
					Descriptor: oadr.EventDescriptor{EventID: "EVT_1", MarketContext: "http://example.com/dispatch",
						CreatedDateTime: start.Add(-time.Hour), Status: oadr.StatusFar},
					ActivePeriod: oadr.Period{Start: start, Duration: 4 * time.Hour},
					Signals: []oadr.EventSignal{{SignalName: oadr.SignalLoadDispatch, SignalType: oadr.SignalTypeSetpoint,
						SignalID: "SIG_1", ItemBase: kW, Intervals: []oadr.SignalInterval{
							{Duration: time.Hour, Value: 3}, {Duration: time.Hour, Value: 0}, {Duration: 2 * time.Hour, Value: -5}}}},
				}}}
		case *oadr.UpdateReport:
			return &oadr.UpdatedReport{Response: oadr.OK(m.RequestID)}
		}
		return &oadr.Response{Response: oadr.OK("")}
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		msg, err := oadr.Decode(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		_ = oadr.Encode(w, answer(msg))
	}))
}

// A battery VEN driven step by step on a fake clock: it registers, opts in
// to a charge/discharge event and follows it.
func Example() {
	vtn := exampleVTN()
	defer vtn.Close()
	clk := clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	v, err := ven.New(vtn.URL, ven.WithHTTPClient(vtn.Client()), ven.WithClock(clk))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if err := v.Register(ctx); err != nil {
		log.Fatal(err)
	}
	s := v.State()
	fmt.Println("registered as", s.VENID, "with", s.VTNID, "polling every", s.PollInterval)
	for _, r := range s.Reports {
		fmt.Println("report", r.RequestID, "of", r.RIDs, "every", r.ReportBack)
	}
	for _, e := range s.Events {
		fmt.Println("event", e.ID, e.Opt, e.Start.Format("15:04"), "to", e.End.Format("15:04"))
	}
	for _, hour := range []int{13, 14, 15, 17} {
		clk.Set(time.Date(2025, 6, 1, hour, 0, 0, 0, time.UTC))
		if err := v.Tick(ctx); err != nil { // sends the SoC reports due
			log.Fatal(err)
		}
		b := v.State().Battery
		fmt.Printf("%02d:00 SoC %v, power %v\n", hour, b.StateOfCharge, b.Power)
	}
	// Output:
	// registered as VEN_1 with VTN_EXAMPLE polling every 10s
	// report RR_SOC of [battery1_soc] every 5m0s
	// event EVT_1 optIn 13:00 to 17:00
	// 13:00 SoC 50.0 %, power -3000 W
	// 14:00 SoC 65.6 %, power 0 W
	// 15:00 SoC 65.6 %, power 5000 W
	// 17:00 SoC 13.5 %, power 0 W
}

// Running a VEN against a real VTN until interrupted, with a TLS client
// certificate and logs of what it does.
func ExampleVEN_Run() {
	cert, err := tls.LoadX509KeyPair("ven.crt", "ven.key")
	if err != nil {
		log.Fatal(err)
	}
	hc := &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{
			Certificates: []tls.Certificate{cert},
			MinVersion:   tls.VersionTLS12,
		}},
	}
	battery := ven.DefaultBattery()
	battery.InitialSoC = 0.8
	v, err := ven.New("https://vtn.example.com",
		ven.WithHTTPClient(hc),
		ven.WithVENName("fortress-battery-7"),
		ven.WithBattery(battery),
		ven.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, nil))),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := v.Run(ctx); err != nil {
		log.Fatal(err) // the VTN cancelled the registration
	}
}

// An opt policy: keep test events off a household battery.
func ExampleWithOptPolicy() {
	policy := func(e ven.Event) (oadr.OptType, string) {
		if e.Test {
			return oadr.OptOut, "no test events on this site"
		}
		return oadr.OptIn, ""
	}
	v, err := ven.New("https://vtn.example.com", ven.WithOptPolicy(policy))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.State().Registered)
	// Output: false
}
