package balanztest

import (
	"fmt"
	"time"

	"github.com/gridwire/gridwire/balanz"
)

// The seeded model.
const (
	// SeedHomeGroup holds two chargers and no allocation: current limits
	// apply.
	SeedHomeGroup = "HOME"
	// SeedHomeCharger1 ("garage") and SeedHomeCharger2 ("driveway") are
	// connected single-connector chargers in SeedHomeGroup, 32 A each.
	SeedHomeCharger1 = "CP-HOME-1"
	SeedHomeCharger2 = "CP-HOME-2"
	// SeedSiteGroup is an allocation group: balanz shares its current.
	SeedSiteGroup = "SITE"
	// SeedSiteCharger is a connected two-connector charger ("visitor") in
	// SeedSiteGroup.
	SeedSiteCharger = "CP-SITE-1"
	// SeedOfflineCharger is in SeedSiteGroup and has never connected.
	SeedOfflineCharger = "CP-SITE-2"
	// SeedTag is an activated id tag (user "Anna"); SeedBlockedTag is
	// blocked.
	SeedTag        = "ANNA0001"
	SeedBlockedTag = "LOST0007"
)

// Voltage is the phase voltage of the simulation.
const Voltage = 230.0

type user struct {
	id, desc string
	typ      balanz.UserType
	sha      string
}

type group struct {
	id, desc string
	maxAlloc *string
}

type charger struct {
	id, alias, group, desc string
	priority               int
	connMax                float64
	connected              bool
	booted                 bool
	conns                  []*connector // connector n at index n-1
	config                 map[string]configKey
}

type configKey struct {
	value    string
	readonly bool
}

type connector struct {
	status   balanz.ConnectorStatus
	vehicle  *Vehicle
	tx       *transaction
	offered  *float64
	priority int
	meter    float64 // the charger's energy register, Wh
	evMax    *float64
}

type transaction struct {
	id         int
	idTag      string
	userName   string
	start      time.Time
	meterStart float64
	usage      float64 // A per phase now
	delivered  float64 // Wh so far
	history    []histPoint
	lastPoint  time.Time
}

type histPoint struct {
	at             time.Time
	offered, usage float64
}

type tag struct {
	balanz.Tag
}

type logLine struct {
	level, message, logger string
	at                     time.Time
}

type model struct {
	loc      *time.Location
	started  time.Time
	last     time.Time
	users    []*user
	groups   []*group
	chargers []*charger
	tags     []*tag
	firmware []balanz.Firmware
	sessions []storedSession
	logs     []logLine
	levels   map[string]string
	config   map[string]map[string]string
	nextTx   int
}

type storedSession struct {
	id, chargerID, alias, groupID, idTag, userName, stopIDTag, reason string
	start, end                                                        time.Time
	energy                                                            float64
	history                                                           []histPoint
}

func newCharger(id, alias, groupID, desc string, connMax float64, n int, connected bool) *charger {
	c := &charger{id: id, alias: alias, group: groupID, desc: desc, priority: 1, connMax: connMax, connected: connected, booted: connected,
		config: map[string]configKey{
			"HeartbeatInterval":         {"300", false},
			"MeterValueSampleInterval":  {"60", false},
			"AuthorizeRemoteTxRequests": {"false", false},
			"NumberOfConnectors":        {fmt.Sprint(n), true},
		}}
	for i := range n {
		st := balanz.ConnectorAvailable
		if !connected {
			st = balanz.ConnectorNone
		}
		c.conns = append(c.conns, &connector{status: st, priority: 1, meter: 1_250_000 + float64(i)*310_000})
	}
	return c
}

func seed(now time.Time, loc *time.Location) *model {
	alloc := "00:00-06:59>0=16:1=32;07:00-17:59>0=0:1=16:2=32;18:00-23:59>0=16:1=32"
	m := &model{
		loc: loc, started: now.Add(-26 * time.Hour), last: now, nextTx: 41,
		users: []*user{
			{id: "delete-admin", typ: balanz.UserAdmin, desc: "Initial admin user (admin/admin) - DELETE ME", sha: Hash(TokenAdmin)},
			{id: "statusviewer", typ: balanz.UserStatus, desc: "Wall display", sha: Hash(TokenStatus)},
			{id: "analyst", typ: balanz.UserAnalysis, desc: "Energy reports", sha: Hash(TokenAnalysis)},
			{id: "prio", typ: balanz.UserSessionPriority, desc: "Reception desk", sha: Hash(TokenSessionPriority)},
			{id: "tagkeeper", typ: balanz.UserTags, desc: "Facility manager", sha: Hash(TokenTags)},
		},
		groups: []*group{
			{id: SeedHomeGroup, desc: "Home garage"},
			{id: SeedSiteGroup, desc: "Office car park", maxAlloc: &alloc},
		},
		chargers: []*charger{
			newCharger(SeedHomeCharger1, "garage", SeedHomeGroup, "Garage wallbox", 32, 1, true),
			newCharger(SeedHomeCharger2, "driveway", SeedHomeGroup, "Driveway wallbox", 32, 1, true),
			newCharger(SeedSiteCharger, "visitor", SeedSiteGroup, "Visitor bays 1-2", 32, 2, true),
			newCharger(SeedOfflineCharger, "fleet", SeedSiteGroup, "Fleet bay (not commissioned)", 16, 1, false),
		},
		tags: []*tag{
			{balanz.Tag{IDTag: SeedTag, UserName: "Anna", Description: "Anna's card", Status: balanz.TagActivated, Priority: 2}},
			{balanz.Tag{IDTag: "BEN00002", UserName: "Ben", ParentIDTag: SeedTag, Description: "Ben's card", Status: balanz.TagActivated, Priority: 1}},
			{balanz.Tag{IDTag: SeedBlockedTag, UserName: "Unknown", Description: "Reported lost", Status: balanz.TagBlocked, Priority: 0}},
			{balanz.Tag{IDTag: SeedHomeCharger1, UserName: "Free vending", Description: "Free vending " + SeedHomeCharger1, Status: balanz.TagActivated, Priority: 1}},
			{balanz.Tag{IDTag: SeedHomeCharger2, UserName: "Free vending", Description: "Free vending " + SeedHomeCharger2, Status: balanz.TagActivated, Priority: 1}},
			{balanz.Tag{IDTag: SeedSiteCharger, UserName: "Free vending", Description: "Free vending " + SeedSiteCharger, Status: balanz.TagActivated, Priority: 1}},
		},
		firmware: []balanz.Firmware{{
			FirmwareID: "wb-4.2.1", ChargePointVendor: "Wallbox Co", ChargePointModel: "WB22", FirmwareVersion: "4.2.1",
			MeterType: "MID", URL: "https://firmware.example/wb22-4.2.1.bin", UpgradeFromVersions: "4.1.0,4.1.3",
		}},
		levels: map[string]string{"balanz": "INFO", "api": "INFO", "ocpp": "WARNING", "model": "INFO"},
		config: map[string]map[string]string{"balanz": {"default_priority": "1"}},
	}
	for i, c := range m.chargers[:2] {
		c.booted = true
		start := now.Add(-time.Duration(30-i*6) * time.Hour)
		m.sessions = append(m.sessions, storedSession{
			chargerID: c.id, alias: c.alias, groupID: c.group, idTag: SeedTag, userName: "Anna", stopIDTag: SeedTag,
			reason: "EVDisconnected", start: start, end: start.Add(3*time.Hour + 20*time.Minute), energy: 14_820 - float64(i)*5_300,
			history: []histPoint{{start, 32, 15.9}, {start.Add(time.Hour), 32, 15.8}, {start.Add(3 * time.Hour), 32, 4.1}},
		})
	}
	m.log("INFO", "balanz", "balanz 1.2.3 starting", m.started)
	m.log("INFO", "ocpp", "Charger "+SeedHomeCharger1+" connected", m.started.Add(time.Minute))
	m.log("WARNING", "ocpp", "Charger "+SeedOfflineCharger+" has not booted", m.started.Add(2*time.Minute))
	return m
}

func (m *model) log(level, logger, msg string, at time.Time) {
	m.logs = append(m.logs, logLine{level: level, message: msg, logger: logger, at: at})
	if len(m.logs) > 1000 { // balanz keeps a bounded in-memory log
		m.logs = m.logs[len(m.logs)-1000:]
	}
}

func (m *model) local(t time.Time) string { return t.In(m.loc).Format(balanz.LocalLayout) }

func (m *model) group(id string) *group {
	for _, g := range m.groups {
		if g.id == id {
			return g
		}
	}
	return nil
}

// charger finds a charger by id, or else by alias (when exactly one has it).
func (m *model) charger(id, alias string) *charger {
	if id != "" {
		for _, c := range m.chargers {
			if c.id == id {
				return c
			}
		}
		return nil
	}
	var found *charger
	for _, c := range m.chargers {
		if alias != "" && c.alias == alias {
			if found != nil {
				return nil
			}
			found = c
		}
	}
	return found
}

func (m *model) tag(id string) *tag {
	for _, t := range m.tags {
		if t.IDTag == id {
			return t
		}
	}
	return nil
}
