// Package alphaesstest is an in-process fake of the AlphaESS Open API, for
// tests (ours and yours) and offline examples, in the manner of
// net/http/httptest.
//
//	srv := alphaesstest.NewServer()
//	defer srv.Close()
//	c := srv.Client() // an *alphaess.Client for the fake's system
//	p, err := c.LastPowerData(ctx)
//
// The fake checks what the real service checks, in the same order, and
// answers with the real codes: 404 and 405 (with Spring Boot's error body)
// for unknown paths and wrong methods; 6012/6011/6010 for a missing appId,
// timeStamp or sign header; 6006 for a timeStamp more than 300 s from its
// clock; 6007 for an unknown AppID or a wrong signature; 6001 and 10001 for
// bad parameters; 6038 for an unknown serial number and 6005 for a system
// not bound to the AppID. It keeps state (charge and discharge settings, the
// periodic schedule, EV charger current and status, bindings) and serves
// live data that follows its clock: PV by the sun of its time zone, a
// household load, a battery that obeys the stored settings, EV chargers.
//
// It can be told to misbehave: FailNext queues one-off faults (an envelope
// code such as 6053 or 6042, an HTTP status such as 502, or a dropped
// connection); SetOffline, SetNullPower and SetIgnoreWrites switch lasting
// faults on; SetFields and SetData make answers carry hostile values (a
// state of charge of 250 %, a capacity of -1e308 kWh, "NaN", null list
// items), to show that a client refuses them; and WithMinInterval makes it
// answer 6053 to calls that come too fast.
package alphaesstest

import (
	"bytes"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gridwire/gridwire/alphaess"
	"github.com/gridwire/gridwire/clock"
)

// Defaults of a new Server.
const (
	DefaultAppID     = "alpha5f1c0e2d7a9b3c48"
	DefaultAppSecret = "8c2f1e7d4b6a40f9a3e5d1c7b9f20a64"
	// DefaultSerialNumber is the system bound to the AppID.
	DefaultSerialNumber = "AL7011023030600"
	// DefaultEVChargerSerial is the system's EV charger.
	DefaultEVChargerSerial = "AE1000321040021"
	// UnboundSerialNumber is a system that exists but is not bound to the
	// AppID yet; UnboundCheckCode is the CheckCode on its label, and
	// VerificationCode the code "emailed" to its owner.
	UnboundSerialNumber = "AL2002321010043"
	UnboundCheckCode    = "QWE123"
	VerificationCode    = "482913"
	// OwnerlessSerialNumber is a system with no registered end user
	// (getVerificationCode answers 6002).
	OwnerlessSerialNumber = "AL9990000000001"
)

// MaxSkew is the timestamp window the fake allows, as AlphaESS does.
const MaxSkew = 300 * time.Second

// Server is a fake AlphaESS Open API on 127.0.0.1.
type Server struct {
	// URL is the base URL to give alphaess.WithBaseURL ("http://127.0.0.1:port/api").
	URL string
	// AppID and AppSecret are the credentials the fake accepts.
	AppID, AppSecret string
	// SerialNumber is the bound system; EVChargerSerial its EV charger
	// ("" WithoutEVCharger).
	SerialNumber, EVChargerSerial string

	srv   *httptest.Server
	clock clock.Clock
	loc   *time.Location

	mu           sync.Mutex
	requests     int
	perEndpoint  map[string]int
	queue        []failure
	fields       map[string]map[string]any  // endpoint → fields merged into its data
	data         map[string]json.RawMessage // endpoint → data sent instead of its own
	offline      bool
	nullPower    bool
	ignoreWrites bool
	noPermission bool
	minInterval  time.Duration
	lastCall     time.Time
	systems      map[string]*system
}

// Fault is one kind of failed answer, for FailNext.
type Fault struct {
	// Endpoint is the endpoint that fails, such as "getLastPowerData";
	// "" is any endpoint.
	Endpoint string
	// Status is the HTTP status of the answer, 0 for none. Without a Code
	// the body is a gateway's HTML page, as a 502 during maintenance is.
	Status int
	// Code is the AlphaESS code of an envelope answer (HTTP 200 unless
	// Status says otherwise), such as 6053 (too fast) or 6042 (offline); 0
	// for none.
	//
	// With neither Status nor Code the fake closes the connection without
	// answering, as a network failure does.
	Code int
}

// failure is a queued Fault and how many more requests it fails.
type failure struct {
	Fault
	left int
}

// Option configures a Server.
type Option func(*Server)

// WithClock sets the fake's clock (the system clock by default): it checks
// timestamps against it and its live data follows it.
func WithClock(c clock.Clock) Option { return func(s *Server) { s.clock = c } }

// WithLocation sets the systems' time zone (UTC by default): uploadTime,
// days and the sun follow it.
func WithLocation(loc *time.Location) Option { return func(s *Server) { s.loc = loc } }

// WithCredentials sets the AppID and AppSecret the fake accepts.
func WithCredentials(appID, appSecret string) Option {
	return func(s *Server) { s.AppID, s.AppSecret = appID, appSecret }
}

// WithMinInterval makes the fake answer 6053 to a call that starts less
// than d after the previous one (by its clock), as AlphaESS has at times.
func WithMinInterval(d time.Duration) Option { return func(s *Server) { s.minInterval = d } }

// WithoutEVCharger gives the system no EV charger.
func WithoutEVCharger() Option { return func(s *Server) { s.EVChargerSerial = "" } }

// WithoutTimeChargePermission makes the periodic schedule endpoints answer
// 6017 (no operation permissions), as many accounts get.
func WithoutTimeChargePermission() Option { return func(s *Server) { s.noPermission = true } }

// NewServer starts a fake on 127.0.0.1. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		AppID: DefaultAppID, AppSecret: DefaultAppSecret,
		SerialNumber: DefaultSerialNumber, EVChargerSerial: DefaultEVChargerSerial,
		clock: clock.System(), loc: time.UTC, perEndpoint: map[string]int{},
	}
	for _, o := range opts {
		o(s)
	}
	s.systems = map[string]*system{
		s.SerialNumber:        newSystem(s.SerialNumber, true, s.EVChargerSerial),
		UnboundSerialNumber:   newSystem(UnboundSerialNumber, false, ""),
		OwnerlessSerialNumber: newSystem(OwnerlessSerialNumber, false, ""),
	}
	s.systems[UnboundSerialNumber].checkCode = UnboundCheckCode
	s.systems[OwnerlessSerialNumber].ownerless = true
	s.fields, s.data = map[string]map[string]any{}, map[string]json.RawMessage{}
	s.srv = httptest.NewServer(s.Handler())
	s.URL = s.srv.URL + "/api"
	return s
}

// Close shuts the fake down.
func (s *Server) Close() { s.srv.Close() }

// Handler returns the fake's handler, for mounting on another server. It
// serves the endpoints under /api/, as the real host does.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// Client returns an alphaess client for the fake: its URL, credentials,
// clock and zone, its bound system as the default serial number, and
// pacing relaxed to the fake's own limit (none unless WithMinInterval), so
// that calls are answered at once instead of 10 s apart. opts are applied
// last. It panics if opts are invalid, as a test helper would.
func (s *Server) Client(opts ...alphaess.Option) *alphaess.Client {
	all := append([]alphaess.Option{
		alphaess.WithBaseURL(s.URL),
		alphaess.WithHTTPClient(s.srv.Client()),
		alphaess.WithClock(s.clock),
		alphaess.WithLocation(s.loc),
		alphaess.WithSerialNumber(s.SerialNumber),
		alphaess.WithMinInterval(s.minInterval),
	}, opts...)
	c, err := alphaess.New(s.AppID, s.AppSecret, all...)
	if err != nil {
		panic("alphaesstest: Client: " + err.Error())
	}
	return c
}

// Requests returns how many requests reached the fake.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// RequestsTo returns how many requests reached endpoint, such as
// "getLastPowerData".
func (s *Server) RequestsTo(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.perEndpoint[endpoint]
}

// FailNext makes the next n requests to f.Endpoint (to any endpoint when
// it is "") fail as f says. Faults queue up: the first queued fault that
// matches a request is used, until its n requests have failed.
func (s *Server) FailNext(n int, f Fault) {
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, failure{f, n})
}

// SetFields makes every later successful answer of endpoint (such as
// "getLastPowerData" or "getEssList") carry fields in its data, replacing
// the simulated values of the same name (in every item of a list). Values
// are sent as encoding/json writes them: use strings for what JSON cannot
// carry ("NaN", "Infinity"). SetFields(endpoint, nil) ends it.
//
//	srv.SetFields("getLastPowerData", map[string]any{"soc": 250, "pbat": 1e308})
func (s *Server) SetFields(endpoint string, fields map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if fields == nil {
		delete(s.fields, endpoint)
		return
	}
	s.fields[endpoint] = fields
}

// SetData makes every later successful answer of endpoint carry raw as its
// data instead of its own, such as `[null]` for getEssList. raw must be
// JSON; SetData(endpoint, nil) ends it.
func (s *Server) SetData(endpoint string, raw json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if raw == nil {
		delete(s.data, endpoint)
		return
	}
	if !json.Valid(raw) {
		panic("alphaesstest: SetData: not JSON: " + string(raw))
	}
	s.data[endpoint] = bytes.Clone(raw)
}

// ResetData ends every SetFields and SetData.
func (s *Server) ResetData() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.fields)
	clear(s.data)
}

// SetOffline makes the system offline: live data, settings writes and EV
// control answer 6042.
func (s *Server) SetOffline(on bool) { s.set(&s.offline, on) }

// SetNullPower makes getLastPowerData answer every number as null, as some
// systems (Storion-S5) do.
func (s *Server) SetNullPower(on bool) { s.set(&s.nullPower, on) }

// SetIgnoreWrites makes settings writes answer 200 and change nothing, as
// devices that ignore writes do.
func (s *Server) SetIgnoreWrites(on bool) { s.set(&s.ignoreWrites, on) }

func (s *Server) set(f *bool, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	*f = on
}

// Sign is the fake's own implementation of AlphaESS's signature,
// independent of package alphaess, so each checks the other.
func Sign(appID, appSecret, timeStamp string) string {
	h := sha512.New()
	io.WriteString(h, appID)
	io.WriteString(h, appSecret)
	io.WriteString(h, timeStamp)
	return hex.EncodeToString(h.Sum(nil))
}

// reply is an answer: an envelope code with data, or an HTTP status.
type reply struct {
	code   int
	msg    string
	expMsg string
	data   any
	status int
	drop   bool // close the connection without an answer
}

func ok(data any) reply { return reply{code: 200, data: data} }

func fail(code int, expMsg ...string) reply {
	r := reply{code: code}
	if len(expMsg) > 0 {
		r.expMsg = expMsg[0]
	}
	return r
}

// messages are the portal's texts (the live service localises them).
var messages = map[int]string{
	200: "Success", 6001: "Parameter error", 6002: "The SN is not bound to the user",
	6003: "You have bound this SN", 6004: "CheckCode error", 6005: "This appId is not bound to the SN",
	6006: "Timestamp error", 6007: "Sign check error", 6008: "Set failed", 6009: "Whitelist verification failed",
	6010: "Sign is empty", 6011: "Timestamp is empty", 6012: "AppId is empty",
	6016: "Data does not exist or has been deleted", 6017: "No operation permissions", 6026: "internal error",
	6029: "operation failed", 6038: "system sn does not exist", 6042: "system offline",
	6046: "The verification code is incorrect or expired", 6053: "The request was too fast, please try again later",
	10001: "Parameter Error",
}

// route is an endpoint: its method and handler.
type route struct {
	method string
	handle func(s *Server, r *request) reply
	// live marks endpoints a system must be online for.
	live bool
}

var routes = map[string]route{
	"getEssList":                {http.MethodGet, (*Server).essList, false},
	"getLastPowerData":          {http.MethodGet, (*Server).lastPowerData, true},
	"getOneDayPowerBySn":        {http.MethodGet, (*Server).oneDayPower, false},
	"getOneDateEnergyBySn":      {http.MethodGet, (*Server).oneDateEnergy, false},
	"getSumDataForCustomer":     {http.MethodGet, (*Server).sumData, false},
	"getChargeConfigInfo":       {http.MethodGet, (*Server).chargeConfig, false},
	"updateChargeConfigInfo":    {http.MethodPost, (*Server).updateChargeConfig, true},
	"getDisChargeConfigInfo":    {http.MethodGet, (*Server).dischargeConfig, false},
	"updateDisChargeConfigInfo": {http.MethodPost, (*Server).updateDischargeConfig, true},
	"getVerificationCode":       {http.MethodGet, (*Server).verificationCode, false},
	"bindSn":                    {http.MethodPost, (*Server).bind, false},
	"unBindSn":                  {http.MethodPost, (*Server).unbind, false},
	"getEvChargerConfigList":    {http.MethodGet, (*Server).evChargerList, false},
	"getEvChargerCurrentsBySn":  {http.MethodGet, (*Server).evCurrent, false},
	"setEvChargerCurrentsBySn":  {http.MethodPost, (*Server).setEVCurrent, true},
	"getEvChargerStatusBySn":    {http.MethodGet, (*Server).evStatus, false},
	"remoteControlEvCharger":    {http.MethodPost, (*Server).remoteControlEV, true},
	"getTimeChargeBySn":         {http.MethodGet, (*Server).timeCharge, false},
	"setTimeChargeBySn":         {http.MethodPost, (*Server).setTimeCharge, true},
}

// request is a parsed call: its query, or its JSON body as raw fields.
type request struct {
	now   time.Time
	query map[string]string
	body  map[string]json.RawMessage
	sys   *system // the system named by sysSn, once checked
}

func (r *request) param(name string) string {
	if r.body == nil {
		return r.query[name]
	}
	raw, ok := r.body[name]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

func (s *Server) serve(w http.ResponseWriter, hr *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	s.requests++
	name, found := strings.CutPrefix(hr.URL.Path, "/api/")
	rt, known := routes[name]
	s.perEndpoint[name]++
	switch {
	case !found || !known:
		spring(w, now, http.StatusNotFound, "Not Found", hr.URL.Path)
		return
	case hr.Method != rt.method:
		w.Header().Set("Allow", rt.method)
		spring(w, now, http.StatusMethodNotAllowed, "Method Not Allowed", hr.URL.Path)
		return
	}
	rep := s.dispatch(name, rt, hr, now)
	if rep.drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler) // net/http drops the connection
	}
	if rep.status != 0 && rep.code == 0 {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(rep.status)
		fmt.Fprintf(w, "<html>\r\n<head><title>%[1]d %[2]s</title></head>\r\n<body>\r\n<center><h1>%[1]d %[2]s</h1></center>\r\n</body>\r\n</html>\r\n",
			rep.status, http.StatusText(rep.status))
		return
	}
	if rep.msg == "" {
		rep.msg = messages[rep.code]
	}
	if rep.code == 200 {
		rep.data = s.override(name, rep.data)
	}
	env := struct {
		Code   int     `json:"code"`
		Msg    string  `json:"msg"`
		ExpMsg *string `json:"expMsg"`
		Data   any     `json:"data"`
		Extra  any     `json:"extra"`
	}{Code: rep.code, Msg: rep.msg, Data: rep.data}
	if rep.expMsg != "" {
		env.ExpMsg = &rep.expMsg
	}
	w.Header().Set("Content-Type", "application/json")
	if rep.status != 0 {
		w.WriteHeader(rep.status)
	}
	json.NewEncoder(w).Encode(env)
}

// override applies SetData and SetFields to an answer's data.
func (s *Server) override(endpoint string, data any) any {
	if raw, ok := s.data[endpoint]; ok {
		return raw
	}
	fields, ok := s.fields[endpoint]
	if !ok {
		return data
	}
	// Round-trip through JSON so that structs, maps and lists merge alike.
	b, err := json.Marshal(data)
	if err != nil {
		panic(err)
	}
	var generic any
	if err := json.Unmarshal(b, &generic); err != nil {
		panic(err)
	}
	merge := func(v any) {
		if m, ok := v.(map[string]any); ok {
			maps.Copy(m, fields)
		}
	}
	if list, ok := generic.([]any); ok {
		for _, item := range list {
			merge(item)
		}
	} else {
		merge(generic)
	}
	return generic
}

func spring(w http.ResponseWriter, now time.Time, status int, reason, path string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"timestamp": now.UTC().Format("2006-01-02T15:04:05.000+00:00"), "status": status, "error": reason, "path": path,
	})
}

// dispatch runs the checks in the service's order, then the handler.
func (s *Server) dispatch(name string, rt route, hr *http.Request, now time.Time) reply {
	if i := slices.IndexFunc(s.queue, func(f failure) bool {
		return f.Endpoint == "" || f.Endpoint == name
	}); i >= 0 {
		f := s.queue[i].Fault
		if s.queue[i].left--; s.queue[i].left == 0 {
			s.queue = slices.Delete(s.queue, i, i+1)
		}
		return reply{code: f.Code, status: f.Status, drop: f.Code == 0 && f.Status == 0}
	}
	if rep, ok := s.authenticate(hr, now); !ok {
		return rep
	}
	if s.minInterval > 0 && !s.lastCall.IsZero() && now.Sub(s.lastCall) < s.minInterval {
		return fail(6053)
	}
	s.lastCall = now
	r := &request{now: now}
	if hr.Method == http.MethodGet {
		r.query = map[string]string{}
		for k, v := range hr.URL.Query() {
			r.query[k] = v[0]
		}
	} else {
		b, err := io.ReadAll(io.LimitReader(hr.Body, 1<<20))
		if err != nil || json.Unmarshal(b, &r.body) != nil || r.body == nil {
			return fail(10001, "request body is not a JSON object")
		}
	}
	if name != "getEssList" && name != "getVerificationCode" && name != "bindSn" {
		if rep, ok := s.checkSystem(r); !ok {
			return rep
		}
		if rt.live && s.offline {
			return fail(6042)
		}
	}
	return rt.handle(s, r)
}

// authenticate checks the three signing headers as AlphaESS does.
func (s *Server) authenticate(hr *http.Request, now time.Time) (reply, bool) {
	appID, ts, sign := hr.Header.Get("appId"), hr.Header.Get("timeStamp"), hr.Header.Get("sign")
	switch {
	case appID == "":
		return fail(6012), false
	case ts == "":
		return fail(6011), false
	case sign == "":
		return fail(6010), false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || math.Abs(float64(now.Unix()-sec)) > MaxSkew.Seconds() {
		return fail(6006, "The request timestamp is not within the validity period"), false
	}
	if appID != s.AppID || sign != Sign(s.AppID, s.AppSecret, ts) {
		return fail(6007), false
	}
	return reply{}, true
}

// checkSystem resolves sysSn: 6001 when missing, 6038 when unknown, 6005
// when not bound to the AppID.
func (s *Server) checkSystem(r *request) (reply, bool) {
	sn := r.param("sysSn")
	sys, ok := s.systems[sn]
	switch {
	case sn == "":
		return fail(6001, "sysSn is null"), false
	case !ok:
		return fail(6038), false
	case !sys.bound:
		return fail(6005), false
	}
	r.sys = sys
	return reply{}, true
}
