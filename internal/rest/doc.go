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
//     unless Config.NoWaitOnRateLimit is set, and the context lets us wait.
//   - Nothing is retried once the context is done, nor an answer whose
//     body exceeds Config.MaxBodyBytes (it would not shrink), nor a refused
//     redirect.
//   - A wait the server asks for is capped at MaxServerWait and is then
//     bounded by Config.MaxWait: a longer one fails at once.
//
// Credentials stay with their origin: a redirect is followed only within the
// scheme, host and port of the base URL (and signed afresh); one anywhere
// else, an https→http downgrade included, is a *RedirectError naming both
// origins, and nothing is sent there. A server that echoes the request in
// its answer cannot leak credentials either: body excerpts in errors and log
// records have every secret the client holds removed, the configured ones
// and the header values Sign set for that attempt.
package rest
