// Package rest is the one place gridwire builds its REST clients (on
// go-resty): base URL, user agent, timeouts, context propagation, per-attempt
// signing, client-side pacing, retries with capped exponential back-off and
// jitter, waiting out 429s, typed errors and redacted logging.
//
// Vendor packages describe each call as a Request and decode what they get
// back; they never build a resty client themselves.
//
// Retry policy:
//   - Network errors and 5xx answers are retried only for idempotent
//     requests (GET, HEAD, OPTIONS, PUT, DELETE, or Request.Idempotent).
//   - 429 is retried for every method (the server did not act on the
//     request), after the server's Retry-After or the vendor's reset time,
//     as long as Config.WaitOnRateLimit allows and the context lets us wait.
//   - Nothing is retried once the context is done.
package rest
