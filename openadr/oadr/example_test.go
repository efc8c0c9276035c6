package oadr_test

import (
	"fmt"
	"os"
	"time"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// A VTN decodes whatever arrives and acts on the message type.
func ExampleUnmarshal() {
	body := []byte(`<?xml version="1.0" encoding="UTF-8"?>
<ns7:oadrPayload xmlns:ns7="http://openadr.org/oadr-2.0b/2012/07" xmlns:ns2="http://docs.oasis-open.org/ns/energyinterop/201110">
  <ns7:oadrSignedObject><ns7:oadrPoll ns2:schemaVersion="2.0b"><ns2:venID>VEN_FORTRESS_1</ns2:venID></ns7:oadrPoll></ns7:oadrSignedObject>
</ns7:oadrPayload>`)
	msg, err := oadr.Unmarshal(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	switch m := msg.(type) {
	case *oadr.Poll:
		fmt.Println(m.MessageName(), "from", m.VenID)
	default:
		fmt.Println("unexpected", m.MessageName())
	}
	// Output: oadrPoll from VEN_FORTRESS_1
}

// Missing required elements are reported with their path.
func ExampleDecodeError() {
	_, err := oadr.Unmarshal([]byte(`<oadrPoll xmlns="http://openadr.org/oadr-2.0b/2012/07"><venID/></oadrPoll>`))
	fmt.Println(err)
	// Output: oadr: decoding oadrPoll: venID: missing required element
}

// The answer to a poll when nothing is queued.
func ExampleMarshal() {
	b, err := oadr.Marshal(oadr.NewResponse(oadr.CodeOK, "OK", ""))
	if err != nil {
		fmt.Println(err)
		return
	}
	os.Stdout.Write(b)
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <oadr:oadrPayload xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:pyld="http://docs.oasis-open.org/ns/energyinterop/201110/payloads" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110"><oadr:oadrSignedObject oadr:Id="oadrSignedObject"><oadr:oadrResponse ei:schemaVersion="2.0b"><ei:eiResponse><ei:responseCode>200</ei:responseCode><ei:responseDescription>OK</ei:responseDescription><pyld:requestID></pyld:requestID></ei:eiResponse></oadr:oadrResponse></oadr:oadrSignedObject></oadr:oadrPayload>
}

// A charge/discharge schedule as a LOAD_DISPATCH event in kW.
func ExampleDistributeEvent() {
	start := time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC)
	msg := &oadr.DistributeEvent{
		RequestID: "REQ_DIST_EVT_0001",
		VtnID:     "VTN_SANDBOX",
		Events: []oadr.Event{{
			Descriptor: oadr.EventDescriptor{
				EventID:         "EVT_BATT_0001",
				MarketContext:   "http://sandbox.example.com/programs/battery-dispatch",
				CreatedDateTime: start.Add(-30 * time.Minute),
				Status:          oadr.StatusFar,
			},
			ActivePeriod: oadr.Period{Start: start, Duration: 2 * time.Hour},
			Signals: []oadr.EventSignal{{
				Intervals: []oadr.SignalInterval{
					{Duration: time.Hour, UID: "0", Value: 3},  // charge 3 kW
					{Duration: time.Hour, UID: "1", Value: -5}, // discharge 5 kW
				},
				SignalName: oadr.SignalLoadDispatch,
				SignalType: oadr.SignalTypeSetpoint,
				SignalID:   "SIG_DISPATCH",
				ItemBase:   oadr.NewPowerReal(oadr.ScaleKilo, oadr.PowerAttributes{Hertz: 60, Voltage: 240, AC: true}),
			}},
			Target:           oadr.Target{ResourceIDs: []string{"battery1"}},
			ResponseRequired: oadr.ResponseAlways,
		}},
	}
	b, err := oadr.Marshal(msg)
	fmt.Println(len(b) > 0, err)
	// Output: true <nil>
}

// Report values come with a unit; SI converts them.
func ExampleItemBase_SI() {
	item := oadr.NewPowerReal(oadr.ScaleKilo, oadr.PowerAttributes{Hertz: 60, Voltage: 240, AC: true})
	w, err := item.SI(-2.5)
	fmt.Println(w, item.Units, err)
	// Output: -2500 W <nil>
}

func ExampleParseDuration() {
	for _, s := range []string{"PT10S", "PT1H15M", "P1D", "PT2"} {
		d, err := oadr.ParseDuration(s)
		fmt.Println(d, err)
	}
	// Output:
	// 10s <nil>
	// 1h15m0s <nil>
	// 24h0m0s <nil>
	// 0s oadr: invalid value: duration "PT2": number "2" has no unit designator
}

func ExampleFormatDuration() {
	fmt.Println(oadr.FormatDuration(90*time.Minute), oadr.FormatDuration(0), oadr.FormatDuration(36*time.Hour))
	// Output: PT1H30M PT0S P1DT12H
}
