// Package energytest holds the contract tests that every implementation of
// the energy interfaces runs, in the spirit of testing/fstest.
//
// A vendor package tests its adapter against its fake server:
//
//	func TestBatteryContract(t *testing.T) {
//		srv := alphaesstest.NewServer(t)
//		b := alphaess.New(srv.AppID, srv.AppSecret, alphaess.WithBaseURL(srv.URL)).System(srv.SerialNumber).Battery()
//		energytest.TestBattery(t, energytest.BatteryHarness{Battery: b, Requests: srv.Requests})
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
//   - invalid input is rejected with an *energy.FieldError before any I/O;
//   - a cancelled context returns an error wrapping context.Canceled, with
//     no I/O;
//   - what the implementation cannot do is reported with energy.ErrUnsupported.
package energytest
