package ven

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gridwire/gridwire/clock"
	"github.com/gridwire/gridwire/energy"
)

// Defaults.
const (
	// DefaultVENName is the oadrVenName sent when WithVENName is not given.
	DefaultVENName = "gridwire-battery"
	// DefaultResourceID names the battery in reports and event targets when
	// WithResourceID is not given.
	DefaultResourceID = "battery1"
	// DefaultPollInterval is used when the VTN does not say how often to poll.
	DefaultPollInterval = 10 * time.Second
	// MinPollInterval bounds how often the VEN polls, whatever the VTN asks,
	// so that a VTN asking for PT0S cannot make it spin.
	MinPollInterval = time.Second
)

// VEN is a pull-mode (or push-mode, see WithPushAddress) OpenADR 2.0b VEN
// with a simulated battery. Create it with New and run it with Run, or drive
// it step by step with Register, PollOnce and Tick. Its methods are safe
// for concurrent use; the protocol steps run one at a time.
type VEN struct {
	endpoint   string // base URL of the simple-HTTP services, no trailing slash
	hc         *http.Client
	clock      clock.Clock
	log        *slog.Logger
	name       string
	resourceID string
	policy     OptPolicy
	fixedVenID string // from WithVENID; survives a cancelled registration
	idPrefix   string
	offered    []offeredReport

	step sync.Mutex // serialises the protocol steps

	mu             sync.Mutex // guards everything below
	seq            uint64
	venID          string
	registrationID string
	vtnID          string
	registered     bool // the VTN knows us: polls may go out
	setupDone      bool // reports registered and events synchronised since registering
	canceled       bool // the VTN cancelled the registration
	pollInterval   time.Duration
	lastPoll       time.Time
	bat            *battery
	setpoint       float64 // W, + discharging, what the plan asks for now
	events         map[string]*eventState
	jobs           map[string]*reportJob // by reportRequestID
	jobOrder       []string              // reportRequestIDs in the order received
	opts           map[string]Opt        // accepted EiOpt opts by optID
	sig            *signing              // XML signatures (signing.go); nil when off
	pushAddress    string                // where the VTN pushes (push.go); "" for pull
	wakeRun        context.CancelFunc    // ends Run's sleep (see wake); nil when it is not asleep
	woken          bool                  // a push came while Run was not asleep
}

// Option configures a VEN.
type Option func(*options)

type options struct {
	hc             *http.Client
	name           string
	venID          string
	registrationID string
	clock          clock.Clock
	log            *slog.Logger
	battery        BatteryConfig
	resourceID     string
	policy         OptPolicy
	pushAddress    string // WithPushAddress; "" polls only
	signingOptions
}

// WithHTTPClient sets the HTTP client, for example one whose transport
// presents the VEN's TLS client certificate. The default has a 30 s timeout.
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.hc = c } }

// WithVENName sets oadrVenName, the human-readable name sent when registering.
func WithVENName(name string) Option { return func(o *options) { o.name = name } }

// WithVENID sets the venID to register with, for VTNs that assign venIDs
// out of band (some derive them from the client certificate).
func WithVENID(id string) Option { return func(o *options) { o.venID = id } }

// WithRegistrationID resumes an earlier registration: Register sends this
// registrationID (and the venID, see WithVENID) so the VTN renews it.
func WithRegistrationID(id string) Option { return func(o *options) { o.registrationID = id } }

// WithClock sets the clock the VEN reads and sleeps on; tests use
// clock.NewFake. The default is the system clock.
func WithClock(c clock.Clock) Option { return func(o *options) { o.clock = c } }

// WithLogger sets the logger. The default discards everything. At Info the
// VEN logs what it does (registered, report requested, event opted in…); at
// Debug every message it sends and receives and every report.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithBattery sets the simulated battery; the default is DefaultBattery().
func WithBattery(c BatteryConfig) Option { return func(o *options) { o.battery = c } }

// WithResourceID sets the battery's resourceID: the reportDataSource of its
// telemetry and the resource event targets are matched against. It also
// prefixes the rIDs and reportSpecifierIDs the VEN offers ("battery1_soc").
func WithResourceID(id string) Option { return func(o *options) { o.resourceID = id } }

// WithOptPolicy sets the policy that decides whether the VEN takes part in an
// event it is able to carry out. The default opts in to every such event.
func WithOptPolicy(p OptPolicy) Option { return func(o *options) { o.policy = p } }

// New returns a VEN that will talk to the VTN at vtnURL: the VTN's base URL
// ("https://vtn.example.com") or its simple-HTTP prefix
// ("https://vtn.example.com/OpenADR2/Simple/2.0b"). It checks its arguments,
// naming the bad one, and does no I/O.
func New(vtnURL string, opts ...Option) (*VEN, error) {
	o := options{
		name:       DefaultVENName,
		battery:    DefaultBattery(),
		resourceID: DefaultResourceID,
		clock:      clock.System(),
		log:        slog.New(slog.DiscardHandler),
	}
	for _, opt := range opts {
		opt(&o)
	}
	endpoint, err := endpointURL(vtnURL)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(o.name) == "" {
		return nil, energy.Invalid("WithVENName", "must not be empty")
	}
	if strings.TrimSpace(o.resourceID) == "" {
		return nil, energy.Invalid("WithResourceID", "must not be empty")
	}
	if err := o.battery.validate(); err != nil {
		return nil, err
	}
	if o.hc == nil {
		o.hc = &http.Client{Timeout: 30 * time.Second}
	}
	switch {
	case o.clock == nil:
		return nil, energy.Invalid("WithClock", "nil clock (omit the option for the system clock)")
	case o.log == nil:
		return nil, energy.Invalid("WithLogger", "nil logger (omit the option for silence)")
	}
	if o.policy == nil {
		o.policy = OptInAll
	}
	sig, err := newSigning(o.signingOptions, endpoint, o.clock)
	if err != nil {
		return nil, err
	}
	if err := checkPushOption(o.pushAddress); err != nil {
		return nil, err
	}
	var nonce [4]byte
	_, _ = rand.Read(nonce[:]) // never fails (crypto/rand documents it)
	v := &VEN{
		endpoint:       endpoint,
		hc:             o.hc,
		clock:          o.clock,
		log:            o.log,
		name:           o.name,
		resourceID:     o.resourceID,
		policy:         o.policy,
		fixedVenID:     o.venID,
		idPrefix:       hex.EncodeToString(nonce[:]),
		offered:        offeredReports(o.resourceID),
		venID:          o.venID,
		registrationID: o.registrationID,
		pollInterval:   DefaultPollInterval,
		bat:            newBattery(o.battery, o.clock.Now()),
		events:         make(map[string]*eventState),
		jobs:           make(map[string]*reportJob),
		sig:            sig,
		pushAddress:    o.pushAddress,
	}
	return v, nil
}

// endpointURL checks vtnURL and returns the simple-HTTP prefix under it.
func endpointURL(vtnURL string) (string, error) {
	u, err := url.Parse(vtnURL)
	if err != nil {
		// The reason only: the URL itself may carry credentials.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", energy.Invalid("vtnURL", "not a URL: %v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", energy.Invalid("vtnURL", "scheme must be http or https, got %q", u.Scheme)
	}
	if u.Host == "" {
		return "", energy.Invalid("vtnURL", "has no host")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", energy.Invalid("vtnURL", "must not have a query or fragment")
	}
	if u.User != nil {
		// They would end up in logs and errors; a transport can add them.
		return "", energy.Invalid("vtnURL", "must not carry credentials; set them on the client given to WithHTTPClient")
	}
	p := strings.TrimRight(u.Path, "/")
	if !strings.HasSuffix(p, servicePrefix) {
		p += servicePrefix
	}
	u.Path = p
	return u.String(), nil
}

// servicePrefix is the simple-HTTP path of the 2.0b services.
const servicePrefix = "/OpenADR2/Simple/2.0b"

// newID returns a fresh requestID or report ID. IDs are unique per VEN (a
// random prefix chosen by New and a counter) and short enough to read in logs.
func (v *VEN) newID(kind string) string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.newIDLocked(kind)
}

// newIDLocked is newID for callers that hold v.mu.
func (v *VEN) newIDLocked(kind string) string {
	v.seq++
	return kind + "-" + v.idPrefix + "-" + strconv.FormatUint(v.seq, 10)
}

// State is a snapshot of what the VEN knows.
type State struct {
	VENID          string
	RegistrationID string
	VTNID          string
	// Registered reports that the VTN accepted the registration (and has
	// not cancelled it or told the VEN it does not know it).
	Registered bool
	// PollInterval is how often the VEN polls: what the VTN asked for, or
	// DefaultPollInterval.
	PollInterval time.Duration
	// Battery is the simulated battery as of its last update (MeasuredAt),
	// with power and current positive when discharging.
	Battery energy.BatteryStatus
	// Setpoint is the power the events ask of the battery now, positive when
	// discharging, before the battery's limits; 0 without an event.
	Setpoint energy.Watts
	// Events are the events the VEN knows that have not ended and were not
	// cancelled, opted in or out, by start time.
	Events []Event
	// Reports are the report requests the VEN is serving, in the order the
	// VTN made them.
	Reports []ReportRequest
}

// State returns a snapshot of the VEN's state. It does no I/O and does not
// move the battery forward; Tick does.
func (v *VEN) State() State {
	v.mu.Lock()
	defer v.mu.Unlock()
	s := State{
		VENID:          v.venID,
		RegistrationID: v.registrationID,
		VTNID:          v.vtnID,
		Registered:     v.registered,
		PollInterval:   v.pollInterval,
		Battery:        v.bat.read(v.setpoint).status(v.bat.cfg.Capacity),
		Setpoint:       energy.Watts(v.setpoint),
		Events:         v.eventsLocked(v.bat.at),
	}
	for _, id := range v.jobOrder {
		s.Reports = append(s.Reports, v.jobs[id].public())
	}
	return s
}

// Run registers the VEN if it is not registered yet (asking the VTN about
// itself first with oadrQueryRegistration) and then polls the VTN at
// the interval the VTN asks for, sends the reports it asked for when they are
// due and moves the simulated battery along, sleeping on the VEN's clock in
// between; a push (see PushHandler) wakes it, so that a report request or
// an event that came by push is acted on at once, not at the next poll. Failures are logged and retried (registration with a growing
// pause of up to five minutes). Run returns nil when ctx is done, and
// ErrRegistrationCanceled when the VTN cancels the registration. It starts
// no goroutines.
func (v *VEN) Run(ctx context.Context) error {
	backoff := time.Second
	const maxBackoff = 5 * time.Minute
	// A VTN hands out one queued message per poll; polling again at once
	// drains its queue. The bound keeps a VTN that always has something
	// from starving the reports.
	const maxDrain = 16
	if v.isCanceled() {
		return ErrRegistrationCanceled
	}
	if !v.isReady() {
		// Optional in 2.0b, but it tells the operator early what the VTN is.
		if info, err := v.QueryRegistration(ctx); err != nil {
			v.log.Warn("querying the VTN failed", "err", err)
		} else {
			v.log.Info("VTN", "vtnID", info.VTNID, "pollInterval", info.PollInterval)
		}
	}
	for ctx.Err() == nil {
		if v.isCanceled() {
			return ErrRegistrationCanceled
		}
		if !v.isReady() {
			if err := v.Register(ctx); err != nil {
				if ctx.Err() != nil {
					break
				}
				v.log.Warn("registration failed; will retry", "err", err, "retryIn", backoff)
				if v.clock.Sleep(ctx, backoff) != nil {
					break
				}
				backoff = min(2*backoff, maxBackoff)
				continue
			}
			backoff = time.Second
		}
		if v.pollDue() {
			for range maxDrain {
				got, err := v.PollOnce(ctx)
				if err != nil {
					if ctx.Err() == nil {
						v.log.Warn("poll failed", "err", err)
					}
					break
				}
				if !got || v.isCanceled() {
					break
				}
			}
		}
		if err := v.Tick(ctx); err != nil && ctx.Err() == nil {
			v.log.Warn("sending reports failed", "err", err)
		}
		if v.sleep(ctx, v.untilNextWake()) != nil {
			break
		}
	}
	return nil
}

// sleep waits on the VEN's clock for d, or until a push changed what is
// due (see wake), and returns ctx's error once it has ended.
func (v *VEN) sleep(ctx context.Context, d time.Duration) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	v.mu.Lock()
	if v.woken {
		d = 0 // the push came after Run worked out d
	}
	v.woken, v.wakeRun = false, cancel
	v.mu.Unlock()
	_ = v.clock.Sleep(sctx, d)
	v.mu.Lock()
	v.wakeRun = nil
	v.mu.Unlock()
	return ctx.Err()
}

// wake makes Run work out again what is due, at once: a push may have
// brought a report request to start or an event to follow, and Run slept
// until the next poll or report it knew of.
func (v *VEN) wake() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.woken = true
	if v.wakeRun != nil {
		v.wakeRun()
	}
}

func (v *VEN) isCanceled() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.canceled
}

func (v *VEN) isReady() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.registered && v.setupDone
}

func (v *VEN) pollDue() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.lastPoll.IsZero() || !v.clock.Now().Before(v.lastPoll.Add(v.pollInterval))
}

// untilNextWake returns how long Run may sleep: until the next poll or the
// next report, whichever comes first.
func (v *VEN) untilNextWake() time.Duration {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := v.clock.Now()
	next := v.lastPoll.Add(v.pollInterval)
	for _, j := range v.jobs {
		if due := j.dueAt(); due.Before(next) {
			next = due
		}
	}
	return max(next.Sub(now), 0)
}
