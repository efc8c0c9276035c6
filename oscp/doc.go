// Package oscp is a client for SolarNetwork's SolarUser OSCP API: the
// settings, Capacity Providers, Capacity Optimizers, Capacity Groups (with
// their settings and assets) and Assets with which an account configures
// SolarNetwork's OSCP 2.0 Flexibility Provider. Requests are signed with
// SNWS2 (package solarnetwork/snws2) on every attempt.
//
//	c, err := oscp.New(os.Getenv("SN_TOKEN"), os.Getenv("SN_TOKEN_SECRET"))
//	if err != nil { … }
//	groups, err := c.CapacityGroups(ctx)
//
// Create calls for Capacity Providers and Optimizers return the entity's
// OSCP token as a separate result: SolarNetwork shows it in that answer
// only, so store it then. Update calls replace the whole entity (every
// field is sent; an omitted one is cleared or reset to its default).
//
// Errors: an answer whose envelope says success:false is an *APIError
// whatever its HTTP status, wrapping energy.ErrUnauthorized (401, 403),
// energy.ErrRateLimited (429), energy.ErrInvalid (400, 422) or
// energy.ErrUnavailable (5xx). No answer at all is a *TransportError, a
// body that is not what the endpoint promises a *DecodeError (both wrap
// energy.ErrUnavailable), and a redirect to another server a
// *RedirectError. Input is checked before any request and refused with an
// *energy.FieldError. Reads are retried after network errors and 5xx
// answers; writes never are.
//
// The OSCP 2.0 Capacity Optimizer side (the endpoint SolarNetwork's
// Flexibility Provider calls) is package oscp/co; the fakes are in
// oscp/oscptest.
package oscp
