// Package amber is a client for the Amber Electric public API (v2.0.0):
// sites, current and historical prices, usage and renewables, with the
// account's rate limit handled for you, and a site's prices offered as an
// energy.PriceSource.
//
//	c, err := amber.New(os.Getenv("AMBER_TOKEN"))
//	if err != nil { … }                     // no token, or a bad option
//	sites, err := c.Sites(ctx)
//	site, _ := amber.ActiveSite(sites)
//	prices, err := c.Site(site.ID).CurrentPrices(ctx, amber.CurrentPricesParams{Next: 24})
//
// # Units, signs and time
//
// The wire types keep Amber's units, named in their types: prices in
// CentsPerKWh and costs in Cents (Australian cents, GST included),
// renewables in percent. On a feed-in channel Amber's perKwh is the
// customer's cost, negative when they are paid. The PriceSource adapter
// converts to energy's conventions: AUD per kWh, and export prices positive
// when the customer is paid.
//
// Times are time.Time. Dates (Date) are NEM dates: the NEM runs on AEST,
// UTC+10 all year, available as the fixed zone NEM (no time zone database
// needed). Amber sends an interval's startTime one second after the
// boundary; BaseInterval.Start gives the boundary.
//
// # Enumerations
//
// Enumerations are string types with constants for the values Amber's API
// documents. An unknown value (one Amber adds later) decodes as is rather than
// failing the call; the types' Known methods tell it apart. The interval
// lists are a different matter: their "type" field chooses the Go type, and
// an unknown one is an error.
//
// # Limits and rate limits
//
// The API's own limits are checked before any request, with a
// *energy.FieldError naming the field: Next + Previous at most 2048 and not
// negative, resolution 5 or 30, a site ID, a valid state, an end date not
// before the start date. Date ranges longer than 7 days are split into
// several requests and merged.
//
// The account may make 50 requests per 5 minutes. Every answer's RateLimit
// headers are recorded (Client.RateLimit), and a client-side limiter makes a
// burst wait rather than run into 429s. A 429 is waited out until the
// reported reset and retried once. A wait that the context's deadline would
// cut short is not begun; that, a second 429, and any wait at all under
// WithoutRateLimitWait, is a *RateLimitError saying when the quota resets.
// No wait is longer than Amber's 300 s window plus a margin, whatever the
// headers claim: a reset or a policy window beyond it is not waited for
// (the call fails at once with a *RateLimitError) and is believed for that
// long only, after which the client asks the server again.
//
// # Vendor data is checked
//
// A missing or null price (perKwh, spotPerKwh, or a field of advancedPrice
// or range) is never read as 0, which would be free power: the answer is a
// *DecodeError wrapping energy.ErrUnavailable, and so is a literal null
// where a list is due.
//
// # Errors
//
// Errors are this package's own types and wrap energy's sentinels:
// energy.ErrInvalid for 400 and 422 (Amber refusing a parameter, such as a
// range over 7 days), energy.ErrUnauthorized for 401 and 403,
// energy.ErrRateLimited for 429 (*RateLimitError), energy.ErrUnavailable for
// 5xx answers (*APIError), network failures (*TransportError) and answers
// that are not what the endpoint promises (*DecodeError). A 404 is an
// *APIError carrying Amber's message and wraps none. A redirect to another origin than the
// base URL's is a *RedirectError: the token never leaves its origin.
//
// Package ambertest has a fake Amber server for tests and offline use.
package amber
