// Package energytest holds the contract tests that every implementation of
// the energy interfaces runs, in the spirit of testing/fstest.
//
// A vendor package tests its adapter against its fake server:
//
//	func TestBatteryContract(t *testing.T) {
//		srv := alphaesstest.NewServer()
//		defer srv.Close()
//		c := srv.Client()
//		energytest.TestBattery(t, energytest.BatteryHarness{
//			Battery:  c.Battery(),
//			Requests: srv.Requests,
//			Schedule: &dailyCharge, // a schedule this battery carries out
//			BadData: []energytest.BadData{{
//				Name:  "soc 250 %",
//				Prime: func() { srv.SetFields("getLastPowerData", map[string]any{"soc": 250}) },
//				Reset: srv.ResetData,
//			}},
//			New: func() energy.Battery { return c.Battery() },
//		})
//	}
//
// Each TestX runs its checks as subtests; CheckX runs the same checks and
// returns every violation joined into one error, for callers that are not
// tests (and for the contracts' own tests, which show that each check
// catches a broken implementation).
//
// What the contracts check:
//   - values are in range and in the documented units (state of charge a
//     fraction, prices per kWh and not cents, power finite, states defined);
//   - snapshots carry a measured-at time that is set and not in the future;
//   - invalid input is rejected with an *energy.FieldError before any I/O,
//     including an undefined Repeat and daily windows that overlap by time
//     of day;
//   - a cancelled context returns an error wrapping context.Canceled, with
//     no I/O;
//   - what the implementation cannot do is reported with
//     energy.ErrUnsupported and a reason; in particular each Repeat kind of
//     a schedule is either carried out or refused so;
//   - with the harness's BadData, values the vendor sends that cannot be
//     true (primed into its fake) are refused with an error wrapping
//     energy.ErrUnavailable, never returned, and never kept: the next read
//     after the fake is reset succeeds.
package energytest
