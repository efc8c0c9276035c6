package openadr_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
	"github.com/gridwire/gridwire/openadr/ven"
)

// post plays the VEN in the examples: one request to the VTN, in process.
func post(h http.Handler, svc oadr.ServiceName, msg oadr.Message) oadr.Message {
	body, err := oadr.Marshal(msg)
	if err != nil {
		log.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, openadr.PathPrefix+string(svc), bytes.NewReader(body)))
	answer, err := oadr.Unmarshal(rec.Body.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	return answer
}

// A VTN, a VEN that registers and polls, and an event for it.
func ExampleVTN() {
	ctx := context.Background()
	vtn, err := openadr.NewVTN("VTN_EXAMPLE",
		openadr.WithClock(clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))),
		openadr.WithRegistrationHook(func(_ context.Context, r openadr.RegistrationRequest) (openadr.Decision, error) {
			return openadr.Decision{VenID: "VEN_" + r.VenName}, nil
		}))
	if err != nil {
		log.Fatal(err)
	}
	reg := post(vtn, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
		RequestID: "R1", ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP, VenName: "battery",
	}).(*oadr.CreatedPartyRegistration)
	fmt.Println("registered:", reg.VenID)

	charge, err := openadr.LoadDispatch(
		openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeCharge, Power: 3000},
		openadr.DispatchStep{Duration: time.Hour, Mode: energy.ModeDischarge, Power: 5000})
	if err != nil {
		log.Fatal(err)
	}
	_, err = vtn.CreateEvent(ctx, reg.VenID, openadr.Event{
		ID: "EVT_1", Start: time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC), Signals: []openadr.Signal{charge},
	})
	if err != nil {
		log.Fatal(err)
	}
	for range 3 {
		switch m := post(vtn, oadr.ServiceOadrPoll, &oadr.Poll{VenID: reg.VenID}).(type) {
		case *oadr.DistributeEvent:
			e := m.Events[0]
			fmt.Println("poll:", m.MessageName(), e.Descriptor.EventID, e.Descriptor.Status, e.Signals[0].SignalName, e.Signals[0].Intervals[0].Value, e.Signals[0].Intervals[1].Value)
		default:
			fmt.Println("poll:", m.MessageName())
		}
	}
	// Output:
	// registered: VEN_battery
	// poll: oadrRegisterReport
	// poll: oadrDistributeEvent EVT_1 far LOAD_DISPATCH 3 -5
	// poll: oadrResponse
}

// Telemetry arrives as typed measurements, converted with the units the VEN
// registered for each data point.
func ExampleWithTelemetryHook() {
	vtn, err := openadr.NewVTN("VTN_EXAMPLE",
		openadr.WithRegistrationHook(func(context.Context, openadr.RegistrationRequest) (openadr.Decision, error) {
			return openadr.Decision{VenID: "VEN_1"}, nil
		}),
		openadr.WithTelemetryHook(func(_ context.Context, venID string, ms []openadr.Measurement) {
			for _, m := range ms {
				fmt.Println(venID, m.ResourceID, m.Quantity, m.Value, m.Unit)
			}
		}))
	if err != nil {
		log.Fatal(err)
	}
	post(vtn, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{RequestID: "R", ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP})
	source := &oadr.Target{ResourceIDs: []string{"battery1"}}
	post(vtn, oadr.ServiceEiReport, &oadr.RegisterReport{RequestID: "RR", VenID: "VEN_1", Reports: []oadr.Report{{
		ReportSpecifierID: "usage", ReportRequestID: "0", ReportName: oadr.ReportMetadataTelemetryUsage, CreatedDateTime: time.Now(),
		Descriptions: []oadr.ReportDescription{
			{RID: "p", DataSource: source, ReportType: oadr.ReportTypeReading, ReadingType: oadr.ReadingDirectRead,
				ItemBase: oadr.NewPowerReal(oadr.ScaleKilo, oadr.PowerAttributes{Hertz: 50, Voltage: 230, AC: true})},
			{RID: "soc", DataSource: source, ReportType: oadr.ReportTypeStateOfCharge, ReadingType: oadr.ReadingDirectRead,
				ItemBase: oadr.NewCustomUnit("stateOfCharge", "%", oadr.ScaleNone)},
		},
	}}})
	post(vtn, oadr.ServiceEiReport, &oadr.UpdateReport{RequestID: "U", VenID: "VEN_1", Reports: []oadr.Report{{
		ReportSpecifierID: "usage", ReportRequestID: "RR_1", ReportName: oadr.ReportTelemetryUsage, CreatedDateTime: time.Now(),
		Intervals: []oadr.ReportInterval{{Start: time.Now(), Payloads: []oadr.ReportPayload{{RID: "p", Value: -2.5}, {RID: "soc", Value: 58}}}},
	}}})
	// Output:
	// VEN_1 battery1 power -2500 W
	// VEN_1 battery1 stateOfCharge 0.58
}

func ExampleRequestTelemetry() {
	hook := openadr.RequestTelemetry(10*time.Second, time.Minute)
	reqs, err := hook(context.Background(), "VEN_1", []oadr.Report{{
		ReportSpecifierID: "usage", ReportName: oadr.ReportMetadataTelemetryUsage,
		Descriptions: []oadr.ReportDescription{{RID: "v", SamplingRate: &oadr.SamplingRate{MinPeriod: time.Minute, MaxPeriod: 15 * time.Minute}}},
	}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reqs[0].ReportSpecifierID, reqs[0].Granularity, reqs[0].ReportBackDuration)
	// Output: usage 1m0s 1m0s
}

// A VEN offered as an energy.Battery: its status from its telemetry, a
// schedule sent as an event. The VEN is the battery simulator of package
// openadr/ven, stepped by hand on a fake clock.
func ExampleVTN_Battery() {
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	vtn, err := openadr.NewVTN("VTN_EXAMPLE", openadr.WithClock(clk),
		openadr.WithReportRegistrationHook(openadr.RequestTelemetry(10*time.Second, time.Minute)))
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(vtn)
	defer srv.Close()
	defer srv.Client().CloseIdleConnections()
	sim, err := ven.New(srv.URL, ven.WithClock(clk), ven.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	poll := func() {
		for got := true; got; {
			if got, err = sim.PollOnce(ctx); err != nil {
				log.Fatal(err)
			}
		}
	}
	if err := sim.Register(ctx); err != nil {
		log.Fatal(err)
	}
	poll() // the VTN's report requests
	clk.Advance(time.Minute)
	if err := sim.Tick(ctx); err != nil { // the first minute's telemetry
		log.Fatal(err)
	}

	bat := vtn.Battery(sim.State().VENID, openadr.WithRatedPower(5000), openadr.WithoutWaiting())
	st, err := bat.BatteryStatus(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("measured at", st.MeasuredAt.Format(time.TimeOnly), "state of charge", st.StateOfCharge, "power", st.Power, "capacity", st.Capacity)

	start := time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC)
	err = bat.SetSchedule(ctx, energy.Schedule{Windows: []energy.Window{
		{Start: start, End: start.Add(time.Hour), Mode: energy.ModeCharge, Power: 3000},
		{Start: start.Add(time.Hour), End: start.Add(2 * time.Hour), Mode: energy.ModeDischarge}, // at the rated power
	}})
	if err != nil {
		log.Fatal(err)
	}
	poll() // the VEN takes the event and opts in
	fmt.Println("answer:", bat.Await(ctx))
	evs, err := bat.ScheduleEvents(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range evs[0].Event.Signals {
		fmt.Print(s.Name)
		for _, iv := range s.Intervals {
			fmt.Print(" ", iv.Duration, ":", iv.Value)
		}
		fmt.Println()
	}
	// Output:
	// measured at 12:00:50 state of charge 50.0 % power 0 W capacity 19.20 kWh
	// answer: <nil>
	// LOAD_DISPATCH 1h0m0s:3 1h0m0s:-5
	// SIMPLE 1h0m0s:0 1h0m0s:2
}
