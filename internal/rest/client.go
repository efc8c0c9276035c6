package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/gridwire/gridwire"
	"github.com/gridwire/gridwire/clock"
)

// UserAgent is sent with every request.
const UserAgent = "gridwire/" + gridwire.Version

// Defaults used where a Config field is zero.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultRetries      = 2
	DefaultBackoffBase  = 250 * time.Millisecond
	DefaultBackoffMax   = 8 * time.Second
	DefaultMaxWait      = 5 * time.Minute
	DefaultMaxBodyBytes = 32 << 20
)

// Waiter paces requests; *rate.Limiter satisfies it.
type Waiter interface {
	Wait(ctx context.Context) error
}

// Config describes a vendor's REST client. Only Vendor and BaseURL are
// required.
type Config struct {
	// Vendor names the service in errors and logs, such as "amber".
	Vendor string
	// BaseURL is prefixed to every Request.Path.
	BaseURL string
	// HTTPClient sends the requests; nil means a client with DefaultTimeout.
	// The client uses a copy of it whose redirect check refuses any
	// redirect to another origin than BaseURL's (see RedirectError); the
	// caller's client is not changed.
	HTTPClient *http.Client
	// UserAgent is sent as the User-Agent header; "" means UserAgent.
	UserAgent string
	// Header is sent with every request (for example Authorization). Its
	// values are treated as secrets, never logged and removed from body
	// excerpts in errors and logs, except those of headers that describe
	// the message (Content-Type, Accept, User-Agent and the like).
	Header http.Header
	// Secrets are the credentials the client holds (tokens, app secrets).
	// They are removed from every body excerpt in errors and log records, as
	// are the header values Sign sets on each attempt, in case a server
	// echoes the request back.
	Secrets []Secret
	// Sign, when set, is called on every attempt just before it is sent,
	// retries and same-origin redirects included, so that timestamps and
	// signatures are fresh. The header values it sets are secrets of that
	// attempt (see Secrets), but for those of the headers Header exempts.
	Sign func(*http.Request) error
	// OnResponse, when set, sees every answer's status and headers (not its
	// body), retries and errors included; rate-limit bookkeeping hooks in
	// here.
	OnResponse func(*http.Response)
	// RetryAfter, when set, says how long to wait after a 429; ok is false
	// when the answer does not say. The default reads Retry-After.
	RetryAfter func(resp *http.Response, now time.Time) (d time.Duration, ok bool)
	// Limiter, when set, is waited on before every attempt.
	Limiter Waiter
	// Logger receives debug records for each attempt and warnings for
	// retries; nil means silence.
	Logger *slog.Logger
	// Clock is used for back-off waits; nil means the system clock.
	Clock clock.Clock
	// Retries is how many times a failed idempotent request is tried again;
	// 0 (or less) means never. Options.Config sets DefaultRetries.
	Retries int
	// BackoffBase and BackoffMax bound the exponential back-off.
	BackoffBase, BackoffMax time.Duration
	// NoWaitOnRateLimit makes a 429 return at once instead of waiting for
	// the reset and trying once more.
	NoWaitOnRateLimit bool
	// RateLimitRetries is how many 429s in a row are waited out; 0 means 1.
	RateLimitRetries int
	// MaxWait bounds a single wait for a rate-limit reset; a longer one is
	// not waited for. 0 means DefaultMaxWait.
	MaxWait time.Duration
	// MaxBodyBytes bounds a response body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
}

// Client sends Requests. It is safe for concurrent use.
type Client struct {
	cfg           Config
	r             *resty.Client
	log           *slog.Logger
	clock         clock.Clock
	origin        string // BaseURL's origin, canonical; "" refuses every redirect
	displayOrigin string
}

// New returns a Client for cfg. It does no I/O.
func New(cfg Config) *Client {
	c := &Client{cfg: cfg, log: cfg.Logger, clock: cfg.Clock}
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Host != "" {
		c.origin, c.displayOrigin = origin(u), displayOrigin(u)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	hc = c.withRedirectCheck(hc)
	ua := cfg.UserAgent
	if ua == "" {
		ua = UserAgent
	}
	r := resty.NewWithClient(hc).
		SetBaseURL(cfg.BaseURL).
		SetHeader("User-Agent", ua).
		SetHeader("Accept", "application/json").
		SetDoNotParseResponse(true).
		SetLogger(discardRestyLogger{})
	for k, vs := range cfg.Header {
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	if cfg.Sign != nil {
		r.SetPreRequestHook(func(_ *resty.Client, req *http.Request) error {
			a, _ := req.Context().Value(attemptKey{}).(*attempt)
			return c.sign(req, a)
		})
	}
	cfg.Retries = max(cfg.Retries, 0)
	if cfg.BackoffBase <= 0 {
		cfg.BackoffBase = DefaultBackoffBase
	}
	if cfg.BackoffMax <= 0 {
		cfg.BackoffMax = DefaultBackoffMax
	}
	if cfg.RateLimitRetries <= 0 {
		cfg.RateLimitRetries = 1
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = DefaultMaxWait
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.RetryAfter == nil {
		cfg.RetryAfter = ParseRetryAfter
	}
	c.cfg, c.r = cfg, r
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.clock == nil {
		c.clock = clock.System()
	}
	return c
}

// Request is one call.
type Request struct {
	// Method is the HTTP method; "" means GET.
	Method string
	// Path is appended to the base URL; it also names the endpoint in errors
	// and logs. Escape path segments from user input with url.PathEscape.
	Path string
	// Query holds the query parameters.
	Query url.Values
	// Header holds extra headers for this request only.
	Header http.Header
	// Body is sent as JSON, or as is when it is a []byte.
	Body any
	// Idempotent marks a request that is safe to repeat even though its
	// method is not (a POST that sets a value, for example).
	Idempotent bool
	// NoRetry marks a request that must not be repeated after a network
	// error or a 5xx even though its method is safe (a GET that sends the
	// owner an e-mail, for example). A 429 is still waited out: the server
	// did not act on the request.
	NoRetry bool
	// Result, when set, receives the JSON body of a 2xx answer.
	Result any
}

// Response is a 2xx answer.
type Response struct {
	// StatusCode is the HTTP status, from 200 to 299.
	StatusCode int
	// Header holds the answer's headers.
	Header http.Header
	// Body is the whole body, at most Config.MaxBodyBytes.
	Body []byte
	// Attempts is how many times the request was sent.
	Attempts int
}

// Do sends req, retrying as the package documentation describes, and
// returns the 2xx answer or an error: *HTTPError for a status of 400 or more,
// *TransportError when no answer came (or its body exceeded MaxBodyBytes;
// that is not retried), *RedirectError for a redirect to another origin,
// *DecodeError when Result could not be decoded, or one wrapping ctx.Err()
// once the context is done. Body excerpts in errors and logs are redacted
// of the client's secrets (see Config.Secrets).
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	if err := ctx.Err(); err != nil {
		return nil, c.ctxErr(method, req.Path, err)
	}
	idempotent := (req.Idempotent || isIdempotent(method)) && !req.NoRetry
	var body []byte
	if req.Body != nil {
		if b, ok := req.Body.([]byte); ok {
			body = b
		} else {
			b, err := json.Marshal(req.Body)
			if err != nil {
				return nil, fmt.Errorf("%s: %s %s: encoding request body: %w", c.cfg.Vendor, method, req.Path, err)
			}
			body = b
		}
	}
	var failures, limited int
	for attempt := 1; ; attempt++ {
		if c.cfg.Limiter != nil {
			if err := c.cfg.Limiter.Wait(ctx); err != nil {
				return nil, c.ctxErr(method, req.Path, err)
			}
		}
		start := time.Now()
		actx, att := attemptContext(ctx)
		status, header, respBody, err := c.send(actx, method, req, body)
		red := c.redactor(att)
		if err != nil {
			if ctx.Err() != nil {
				return nil, c.ctxErr(method, req.Path, ctx.Err())
			}
			if re, ok := c.redirectError(method, req.Path, err); ok {
				return nil, re
			}
			c.log.LogAttrs(ctx, slog.LevelDebug, "request failed", c.attrs(method, req.Path, attempt, 0, start, red, err)...)
			// A body over the limit will not shrink on a retry.
			if idempotent && failures < c.cfg.Retries && !errors.Is(err, ErrBodyTooLarge) {
				failures++
				if err := c.backoff(ctx, method, req.Path, failures, red, err); err != nil {
					return nil, err
				}
				continue
			}
			return nil, &TransportError{Vendor: c.cfg.Vendor, Method: method, Endpoint: req.Path, Attempts: attempt, Err: err}
		}
		c.log.LogAttrs(ctx, slog.LevelDebug, "request", c.attrs(method, req.Path, attempt, status, start, red, nil)...)
		if status >= 200 && status < 300 {
			resp := &Response{StatusCode: status, Header: header, Body: respBody, Attempts: attempt}
			if req.Result != nil && len(respBody) > 0 {
				if err := json.Unmarshal(respBody, req.Result); err != nil {
					return resp, &DecodeError{Vendor: c.cfg.Vendor, Method: method, Endpoint: req.Path, Body: red.excerpt(respBody), Err: err}
				}
			} else if req.Result != nil {
				return resp, &DecodeError{Vendor: c.cfg.Vendor, Method: method, Endpoint: req.Path, Err: io.ErrUnexpectedEOF}
			}
			return resp, nil
		}
		herr := &HTTPError{Vendor: c.cfg.Vendor, Method: method, Endpoint: req.Path, StatusCode: status, Header: header, Body: red.excerpt(respBody)}
		switch {
		case status == http.StatusTooManyRequests:
			wait, ok := c.cfg.RetryAfter(&http.Response{StatusCode: status, Header: header}, c.clock.Now())
			if !ok {
				wait = c.backoffDelay(limited + 1)
			}
			herr.RetryAfter = wait
			if c.cfg.NoWaitOnRateLimit || limited >= c.cfg.RateLimitRetries || wait < 0 || wait > c.cfg.MaxWait || !fitsDeadline(ctx, wait) {
				return nil, herr
			}
			limited++
			c.log.LogAttrs(ctx, slog.LevelWarn, "rate limited; waiting", slog.String("vendor", c.cfg.Vendor),
				slog.String("endpoint", req.Path), slog.Duration("wait", wait))
			if err := c.clock.Sleep(ctx, wait); err != nil {
				return nil, c.ctxErr(method, req.Path, err)
			}
		case status >= 500 && idempotent && failures < c.cfg.Retries:
			failures++
			if err := c.backoff(ctx, method, req.Path, failures, red, herr); err != nil {
				return nil, err
			}
		default:
			return nil, herr
		}
	}
}

// send makes one attempt and reads the body, bounded by MaxBodyBytes.
func (c *Client) send(ctx context.Context, method string, req *Request, body []byte) (int, http.Header, []byte, error) {
	r := c.r.R().SetContext(ctx)
	if len(req.Query) > 0 {
		r.SetQueryParamsFromValues(req.Query)
	}
	for k, vs := range req.Header {
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	if body != nil {
		r.SetHeader("Content-Type", "application/json").SetBody(bytes.NewReader(body))
	}
	resp, err := r.Execute(method, req.Path)
	if err != nil {
		return 0, nil, nil, err
	}
	raw := resp.RawResponse
	defer raw.Body.Close()
	if c.cfg.OnResponse != nil {
		c.cfg.OnResponse(raw)
	}
	b, err := io.ReadAll(io.LimitReader(raw.Body, c.cfg.MaxBodyBytes+1))
	if err != nil {
		return 0, nil, nil, err
	}
	if int64(len(b)) > c.cfg.MaxBodyBytes {
		return 0, nil, nil, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, c.cfg.MaxBodyBytes)
	}
	return raw.StatusCode, raw.Header, b, nil
}

func (c *Client) backoff(ctx context.Context, method, path string, n int, red *redactor, cause error) error {
	d := c.backoffDelay(n)
	c.log.LogAttrs(ctx, slog.LevelWarn, "retrying", slog.String("vendor", c.cfg.Vendor), slog.String("endpoint", path),
		slog.Int("retry", n), slog.Duration("wait", d), slog.String("cause", red.string(cause.Error())))
	if err := c.clock.Sleep(ctx, d); err != nil {
		return c.ctxErr(method, path, err)
	}
	return nil
}

// backoffDelay is capped exponential back-off with "equal jitter": half the
// step is fixed, half random, so retries spread out but never collapse to 0.
func (c *Client) backoffDelay(n int) time.Duration {
	step := c.cfg.BackoffBase << min(n-1, 20)
	if step > c.cfg.BackoffMax || step <= 0 {
		step = c.cfg.BackoffMax
	}
	return step/2 + time.Duration(rand.Int64N(int64(step/2)+1))
}

func (c *Client) ctxErr(method, path string, err error) error {
	return fmt.Errorf("%s: %s %s: %w", c.cfg.Vendor, method, path, err)
}

func (c *Client) attrs(method, path string, attempt, status int, start time.Time, red *redactor, err error) []slog.Attr {
	a := []slog.Attr{
		slog.String("vendor", c.cfg.Vendor), slog.String("method", method), slog.String("endpoint", path),
		slog.Int("attempt", attempt), slog.Duration("took", time.Since(start)),
	}
	if status != 0 {
		a = append(a, slog.Int("status", status))
	}
	if err != nil {
		a = append(a, slog.String("error", red.string(err.Error())))
	}
	return a
}

// fitsDeadline reports whether waiting d still leaves time before ctx's
// deadline, so we fail fast instead of sleeping into a certain timeout. The
// deadline is in real time whatever clock we wait on, so it is compared with
// the real time left.
func fitsDeadline(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || d < time.Until(dl)
}

func isIdempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// MaxServerWait bounds a wait a server asks for (Retry-After, or a vendor's
// reset header). A longer one is read as MaxServerWait, which is beyond any
// MaxWait worth setting, so the call fails at once instead of overflowing
// into a negative wait or sleeping for years.
const MaxServerWait = 24 * time.Hour

// ParseSeconds reads a header value holding a non-negative whole number of
// seconds as a duration capped at MaxServerWait; ok is false when v is not
// such a number.
func ParseSeconds(v string) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" || strings.TrimLeft(v, "0123456789") != "" {
		return 0, false
	}
	// Anything longer than MaxServerWait's digits is capped without
	// parsing, so no value can overflow.
	s, err := strconv.ParseInt(v, 10, 64)
	if err != nil || s > int64(MaxServerWait/time.Second) {
		return MaxServerWait, true
	}
	return time.Duration(s) * time.Second, true
}

// ParseRetryAfter reads a Retry-After header given in seconds or as an HTTP
// date, capped at MaxServerWait.
func ParseRetryAfter(resp *http.Response, now time.Time) (time.Duration, bool) {
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if d, ok := ParseSeconds(v); ok {
		return d, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), MaxServerWait), true
	}
	return 0, false
}

// discardRestyLogger keeps resty from writing to stderr; we log ourselves.
type discardRestyLogger struct{}

func (discardRestyLogger) Errorf(string, ...any) {}
func (discardRestyLogger) Warnf(string, ...any)  {}
func (discardRestyLogger) Debugf(string, ...any) {}
