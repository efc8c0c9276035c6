package alphaess

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/internal/rest"
)

// DefaultBaseURL is the Open API's one global host.
const DefaultBaseURL = "https://openapi.alphaess.com/api"

// Client calls the AlphaESS Open API with one developer account (AppID and
// AppSecret). A Client is cheap: System and In return handles that share
// the transport, the pacing and the credentials of the Client they came
// from. It is safe for concurrent use.
//
// The per-system methods act on the handle's serial number: the one given
// to System, or WithSerialNumber's default. Without one they return a
// *energy.FieldError for "sysSn" before any I/O.
type Client struct {
	core *core
	sn   string
	loc  *time.Location
}

// core is what every handle of one New shares.
type core struct {
	appID  string
	secret rest.Secret
	rest   *rest.Client
	clock  clock.Clock
	pacer  *pacer
	log    *slog.Logger
	verify bool
}

// New returns a client for the developer account appID with its appSecret
// (both from https://open.alphaess.com). It does no I/O and starts no
// goroutines. An empty appID or appSecret, or a bad option, is a
// *energy.FieldError naming it ("appID", "WithBaseURL" …).
func New(appID, appSecret string, opts ...Option) (*Client, error) {
	appID, appSecret = strings.TrimSpace(appID), strings.TrimSpace(appSecret)
	switch {
	case appID == "":
		return nil, energy.Invalid("appID", "is empty: pass the AppID from open.alphaess.com")
	case appSecret == "":
		return nil, energy.Invalid("appSecret", "is empty: pass the AppSecret from open.alphaess.com")
	}
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	c := &core{
		appID:  appID,
		secret: rest.NewSecret(appSecret),
		clock:  o.rest.Clock,
		pacer:  newPacer(o.rest.Clock, o.minInterval),
		log:    o.rest.Logger,
		verify: o.verify,
	}
	cfg := o.rest.Config("alphaess")
	// AlphaESS wants Content-Type on POST; several clients send it on GET
	// as well, and it does no harm there.
	cfg.Header = http.Header{"Content-Type": {"application/json"}}
	cfg.Sign = c.sign
	cfg.Limiter = c.pacer
	c.rest = rest.New(cfg)
	return &Client{core: c, sn: strings.TrimSpace(o.sn), loc: o.loc}, nil
}

// System returns a handle scoped to the system with serial number sn
// (sysSn, as ListSystems returns it), sharing c's transport and pacing.
func (c *Client) System(sn string) *Client {
	d := *c
	d.sn = strings.TrimSpace(sn)
	return &d
}

// In returns a handle whose system runs in loc (see WithLocation).
func (c *Client) In(loc *time.Location) *Client {
	d := *c
	if loc != nil {
		d.loc = loc
	}
	return &d
}

// SerialNumber returns the handle's system serial number, or "".
func (c *Client) SerialNumber() string { return c.sn }

// Location returns the time zone of the handle's system.
func (c *Client) Location() *time.Location { return c.loc }

// Now returns the client clock's time in the system's zone.
func (c *Client) Now() time.Time { return c.core.clock.Now().In(c.loc) }

// Today returns today's date in the system's zone.
func (c *Client) Today() Date { return DateOf(c.Now()) }

// MinInterval returns the spacing between calls in force now: the
// configured one, or a wider one after 6053 answers.
func (c *Client) MinInterval() time.Duration { return c.core.pacer.current() }

// endpoint is one Open API endpoint.
type endpoint struct {
	name   string
	method string
	// repeatable marks a call that is safe to send again: every read, and
	// every write that sets a value. internal/rest retries those after
	// network errors and 5xx, and call sends them once more after a 6053.
	repeatable bool
}

// The endpoints, with the methods the server enforces (the other method
// gets 405).
var (
	epEssList          = endpoint{"getEssList", http.MethodGet, true}
	epLastPower        = endpoint{"getLastPowerData", http.MethodGet, true}
	epOneDayPower      = endpoint{"getOneDayPowerBySn", http.MethodGet, true}
	epOneDateEnergy    = endpoint{"getOneDateEnergyBySn", http.MethodGet, true}
	epSumData          = endpoint{"getSumDataForCustomer", http.MethodGet, true}
	epChargeConfig     = endpoint{"getChargeConfigInfo", http.MethodGet, true}
	epUpdateCharge     = endpoint{"updateChargeConfigInfo", http.MethodPost, true}
	epDischargeConfig  = endpoint{"getDisChargeConfigInfo", http.MethodGet, true}
	epUpdateDischarge  = endpoint{"updateDisChargeConfigInfo", http.MethodPost, true}
	epEVChargerList    = endpoint{"getEvChargerConfigList", http.MethodGet, true}
	epEVCurrent        = endpoint{"getEvChargerCurrentsBySn", http.MethodGet, true}
	epSetEVCurrent     = endpoint{"setEvChargerCurrentsBySn", http.MethodPost, true}
	epEVStatus         = endpoint{"getEvChargerStatusBySn", http.MethodGet, true}
	epRemoteControlEV  = endpoint{"remoteControlEvCharger", http.MethodPost, true}
	epTimeCharge       = endpoint{"getTimeChargeBySn", http.MethodGet, true}
	epSetTimeCharge    = endpoint{"setTimeChargeBySn", http.MethodPost, true}
	epBind             = endpoint{"bindSn", http.MethodPost, false}
	epUnbind           = endpoint{"unBindSn", http.MethodPost, true}
	epVerificationCode = endpoint{"getVerificationCode", http.MethodGet, false} // emails the owner: never twice on purpose
)

// call sends one request and returns the envelope's data on code 200.
//
// Errors: *HTTPError for a status of 400 or more without an envelope,
// *APIError for any other code, a *DecodeError (message "malformed
// response") for a body that is not an envelope, a *TransportError when no
// answer came, or the context's error.
// After a 6053 the pacer slows down and a repeatable call is sent once more,
// after the new interval.
func (c *Client) call(ctx context.Context, ep endpoint, q url.Values, body any) (json.RawMessage, error) {
	for retried := false; ; retried = true {
		resp, err := c.core.rest.Do(ctx, &rest.Request{
			Method: ep.method, Path: ep.name, Query: q, Body: body, Idempotent: ep.repeatable, NoRetry: !ep.repeatable,
		})
		if err != nil {
			return nil, fromRest(ep, err)
		}
		env, err := decodeEnvelope(resp.Body)
		if err != nil {
			return nil, decodeError(ep, resp.Body, err)
		}
		if env.code == CodeSuccess {
			return env.data, nil
		}
		apiErr := &APIError{
			Code: env.code, Msg: env.msg, ExpMsg: env.expMsg, Endpoint: ep.name, LocalTime: c.core.clock.Now(),
		}
		if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
			apiErr.ServerTime = d
		}
		if env.code == CodeTooFast {
			interval := c.core.pacer.slowDown()
			again := ep.repeatable && !retried
			c.core.log.LogAttrs(ctx, slog.LevelWarn, "alphaess: too fast (6053); slowing down",
				slog.String("endpoint", ep.name), slog.Duration("interval", interval), slog.Bool("retry", again))
			if again {
				continue
			}
		}
		return nil, apiErr
	}
}

// snQuery returns the query for a per-system GET, or a *energy.FieldError
// when the handle has no serial number.
func (c *Client) snQuery() (url.Values, error) {
	if err := c.needSN(); err != nil {
		return nil, err
	}
	return url.Values{"sysSn": {c.sn}}, nil
}

// needSN reports a missing serial number.
func (c *Client) needSN() error {
	if c.sn == "" {
		return energy.Invalid("sysSn", "no system serial number: use Client.System(sn) or WithSerialNumber")
	}
	return nil
}
