// Package alphaess is a client for the AlphaESS Open API
// (https://open.alphaess.com): every endpoint of a standard developer
// account, typed, plus the systems' batteries, site meters and EV chargers
// as energy.Battery, energy.Meter and energy.Charger.
//
//	c, err := alphaess.New(appID, appSecret, alphaess.WithLocation(sydney))
//	if err != nil { … } // an empty credential or a bad option, before any I/O
//	systems, err := c.ListSystems(ctx)
//	p, err := c.System(systems[0].SerialNumber).LastPowerData(ctx)
//
// New takes the options every gridwire REST client shares (WithHTTPClient,
// WithBaseURL, WithUserAgent, WithLogger, WithClock, WithRetries,
// WithTimeout), with the same meanings, and AlphaESS's own (WithLocation,
// WithSerialNumber, WithMinInterval, WithVerifyWrites).
//
// # Calls
//
// Every request is signed with the AppID, a fresh timeStamp from the
// client's clock and sign = hex(SHA-512(appId + appSecret + timeStamp)),
// again on every retry. Answers are read by their code only (AlphaESS
// localises its messages): any code but 200 is an *APIError that wraps the
// energy sentinel of its code (see Code.Sentinel), so
// errors.Is(err, energy.ErrUnavailable) holds for an offline system (6042)
// and errors.Is(err, energy.ErrUnauthorized) for a bad signature (6007).
// Answers without the envelope (Spring Boot's 405 and 404, 502 during
// maintenance) are an *HTTPError.
//
// Network errors and 5xx answers are retried for reads and value-setting
// writes, twice by default (WithRetries; 0 means never). Calls are paced: by default their starts are at
// least DefaultMinInterval (10 s, as AlphaESS asks) apart, across every
// handle made from one New. After a 6053 (too fast) the client widens the
// spacing for good and sends the call once more if it is safe to repeat
// (every call but getVerificationCode, which emails the owner, and bindSn).
// WithMinInterval changes the spacing.
//
// # Systems, units and time
//
// Client.System(sn) returns a handle for one system (WithSerialNumber sets
// a default). Values come in gridwire's units: W, Wh (from the wire's kWh),
// A, and state of charge as an energy.Fraction (from percent). Grid power
// is positive when importing and battery power positive when discharging,
// as AlphaESS sends them. Every number AlphaESS sends may be null, and is a
// pointer here where it can be; nulls never become zeros.
//
// AlphaESS counts days and runs schedules in the system's local time. Dates
// are civil dates (Date), times of day are TimeOfDay on the 15-minute grid,
// and uploadTime is read in the system's zone: time.Local by default,
// WithLocation or Client.In otherwise.
//
// # Settings and schedules
//
// ChargeSettings and DischargeSettings are the two-period grid-charge and
// discharge windows; TimeCharge is the periodic (weekly) schedule. All are
// validated before they are sent, with errors naming the field
// (*energy.FieldError, such as "Period1.Start"). Because AlphaESS answers
// 200 to writes that the device then ignores, WithVerifyWrites reads every
// write back and reports a difference as a *NotAppliedError.
//
// Client.Battery offers a system as an energy.Battery. Its SetSchedule
// takes daily schedules only (energy.RepeatDaily): AlphaESS periods repeat
// every day until replaced, so a one-off schedule is refused with
// energy.ErrUnsupported rather than becoming a nightly one.
//
// # Vendor data is checked
//
// The adapters (Battery, Meter) refuse readings that cannot be true with a
// *ValueError wrapping energy.ErrUnavailable: numbers that are not finite,
// a state of charge outside 0..100 %, powers beyond 10 MW, capacities that
// are negative or beyond 50 MWh. Nulls are a *MissingDataError, never
// zeros. A null item in a list is a malformed answer.
//
// Package alphaesstest is an in-process fake of the Open API for tests and
// offline examples.
package alphaess
