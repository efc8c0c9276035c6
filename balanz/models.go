package balanz

import (
	"encoding/json"
	"fmt"
	"time"
)

// UserType is what a balanz user may do; each type allows a set of
// commands, and balanz answers others with StatusNotAuthorized.
type UserType string

// The user types, from least to most allowed.
const (
	// UserStatus may call GetGroups and GetChargers.
	UserStatus UserType = "Status"
	// UserAnalysis may also call GetTags, DrawAll and GetSessions.
	UserAnalysis UserType = "Analysis"
	// UserSessionPriority is UserStatus plus SetChargePriority.
	UserSessionPriority UserType = "SessionPriority"
	// UserTags is UserAnalysis plus SetChargePriority and the tag commands.
	UserTags UserType = "Tags"
	// UserAdmin may call everything.
	UserAdmin UserType = "Admin"
)

// ServerStatus is the answer to GetStatus.
type ServerStatus struct {
	// Version is balanz's version, such as "1.2.3".
	Version string `json:"version"`
	// StartTime is when the server started (a local wall-clock time).
	StartTime Time `json:"starttime"`
	// Tags, Groups, Chargers and Sessions count the model's entries.
	Tags     int `json:"no_tags"`
	Groups   int `json:"no_groups"`
	Chargers int `json:"no_chargers"`
	Sessions int `json:"no_sessions"`
	// Logging maps each logger to its level ("INFO" …).
	Logging map[string]string `json:"logging"`
}

func (s *ServerStatus) localize(loc *time.Location) { s.StartTime.in(loc) }

// LogEntry is one line of balanz's in-memory log (INFO and above only).
type LogEntry struct {
	// Level is "INFO", "WARNING", "ERROR" …
	Level string `json:"level"`
	// Message is the log text.
	Message string `json:"message"`
	// Timestamp is when it was logged (a local wall-clock time).
	Timestamp Time `json:"timestamp"`
	// Logger names the component; audit lines have "AUDIT".
	Logger string `json:"logger"`
}

// AuditLogger is the logger of audit lines.
const AuditLogger = "AUDIT"

type logsAnswer struct {
	Logs []LogEntry `json:"logs"`
}

func (l *logsAnswer) localize(loc *time.Location) {
	for i := range l.Logs {
		l.Logs[i].Timestamp.in(loc)
	}
}

// User is a balanz API user.
type User struct {
	UserID      string   `json:"user_id"`
	UserType    UserType `json:"user_type"`
	Description string   `json:"description"`
}

// Firmware is the metadata of one firmware image chargers may be updated to.
type Firmware struct {
	FirmwareID        string `json:"firmware_id"`
	ChargePointVendor string `json:"charge_point_vendor"`
	ChargePointModel  string `json:"charge_point_model"`
	FirmwareVersion   string `json:"firmware_version"`
	MeterType         string `json:"meter_type"`
	URL               string `json:"url"`
	// UpgradeFromVersions lists the versions this image may replace, as
	// balanz holds it (a separated list in one string).
	UpgradeFromVersions string `json:"upgrade_from_versions"`
}

// FirmwareOption is a firmware image a charger may be updated to.
type FirmwareOption struct {
	FirmwareID string `json:"firmware_id"`
	URL        string `json:"url"`
}

// Group is a balanz group of chargers. A group with a MaxAllocation is an
// allocation group: balanz shares the allowed current among its chargers by
// session priority, so set priorities there, not current limits.
type Group struct {
	GroupID     string `json:"group_id"`
	Description string `json:"description"`
	// ChargerIDs lists the group's chargers.
	ChargerIDs []string `json:"-"`
	// Chargers holds the chargers in full, when asked for with details.
	Chargers []Charger `json:"-"`
	// MaxAllocation is the allocation schedule, or nil for a group that
	// balanz does not allocate.
	MaxAllocation *string `json:"max_allocation"`
	// MaxAllocationNow is the allocation in force: amps per priority.
	MaxAllocationNow []Allocation `json:"max_allocation_now"`
	// Offered and Usage are the group's offered and used current in A.
	Offered Number `json:"offered"`
	Usage   Number `json:"usage"`
}

// IsAllocation reports whether balanz allocates the group's current.
func (g *Group) IsAllocation() bool { return g.MaxAllocation != nil }

// UnmarshalJSON reads chargers as ids or as full chargers.
func (g *Group) UnmarshalJSON(b []byte) error {
	type plain Group
	var w struct {
		*plain
		Chargers []json.RawMessage `json:"chargers"`
	}
	w.plain = (*plain)(g)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	g.ChargerIDs, g.Chargers = nil, nil
	for _, raw := range w.Chargers {
		if len(raw) > 0 && raw[0] == '{' {
			var ch Charger
			if err := json.Unmarshal(raw, &ch); err != nil {
				return err
			}
			g.Chargers = append(g.Chargers, ch)
			g.ChargerIDs = append(g.ChargerIDs, ch.ChargerID)
			continue
		}
		var id string
		if err := json.Unmarshal(raw, &id); err != nil {
			return fmt.Errorf("balanz: group charger %s is neither an id nor a charger", raw)
		}
		g.ChargerIDs = append(g.ChargerIDs, id)
	}
	return nil
}

// MarshalJSON writes the chargers in full when present, else their ids.
func (g Group) MarshalJSON() ([]byte, error) {
	type plain Group
	w := struct {
		plain
		Chargers any `json:"chargers"`
	}{plain: plain(g), Chargers: g.ChargerIDs}
	if g.Chargers != nil {
		w.Chargers = g.Chargers
	}
	if w.Chargers == nil {
		w.Chargers = []string{}
	}
	return json.Marshal(w)
}

func (g *Group) localize(loc *time.Location) {
	for i := range g.Chargers {
		g.Chargers[i].localize(loc)
	}
}

// Allocation is one step of a group's allocation: the current given to
// sessions of a priority. It is sent as [priority, amps].
type Allocation struct {
	Priority int
	Amps     float64
}

// UnmarshalJSON implements json.Unmarshaler.
func (a *Allocation) UnmarshalJSON(b []byte) error {
	var pair [2]Number
	if err := json.Unmarshal(b, &pair); err != nil {
		return fmt.Errorf("balanz: allocation %s is not [priority, amps]", b)
	}
	a.Priority, a.Amps = int(pair[0]), float64(pair[1])
	return nil
}

// MarshalJSON implements json.Marshaler.
func (a Allocation) MarshalJSON() ([]byte, error) {
	return json.Marshal([2]float64{float64(a.Priority), a.Amps})
}

// Charger is a charger in balanz's model. The boot-notification fields
// (model, vendor, serial numbers, firmware, meter) are empty until the
// charger has booted.
type Charger struct {
	ChargerID   string `json:"charger_id"`
	Alias       string `json:"alias"`
	GroupID     string `json:"group_id"`
	Priority    int    `json:"priority"`
	Description string `json:"description"`
	// ConnMax is the most current, in A, a connector may be offered.
	ConnMax                 Number           `json:"conn_max"`
	ChargePointModel        string           `json:"charge_point_model"`
	ChargePointVendor       string           `json:"charge_point_vendor"`
	ChargeBoxSerialNumber   string           `json:"charge_box_serial_number"`
	ChargePointSerialNumber string           `json:"charge_point_serial_number"`
	FirmwareVersion         string           `json:"firmware_version"`
	MeterType               string           `json:"meter_type"`
	FirmwareOptions         []FirmwareOption `json:"fw_options"`
	// Connectors maps connector ids (1, 2 …; sent as "1", "2") to their
	// state.
	Connectors map[int]Connector `json:"connectors"`
	// NetworkConnected is true while the charger is connected to balanz.
	NetworkConnected bool `json:"network_connected"`
}

func (c *Charger) localize(loc *time.Location) {
	for id, cn := range c.Connectors {
		if cn.SuspendUntil != nil {
			cn.SuspendUntil.in(loc)
		}
		if cn.Transaction != nil {
			cn.Transaction.localize(loc)
		}
		c.Connectors[id] = cn
	}
}

// ConnectorStatus is a connector's OCPP 1.6 status.
type ConnectorStatus string

// The OCPP 1.6 connector statuses, and balanz's "None" before the first
// StatusNotification.
const (
	ConnectorNone          ConnectorStatus = "None"
	ConnectorAvailable     ConnectorStatus = "Available"
	ConnectorPreparing     ConnectorStatus = "Preparing"
	ConnectorCharging      ConnectorStatus = "Charging"
	ConnectorSuspendedEVSE ConnectorStatus = "SuspendedEVSE"
	ConnectorSuspendedEV   ConnectorStatus = "SuspendedEV"
	ConnectorFinishing     ConnectorStatus = "Finishing"
	ConnectorReserved      ConnectorStatus = "Reserved"
	ConnectorUnavailable   ConnectorStatus = "Unavailable"
	ConnectorFaulted       ConnectorStatus = "Faulted"
)

// Connector is one connector of a charger.
type Connector struct {
	// TransactionID is the live transaction's id, or nil.
	TransactionID *int `json:"transaction_id"`
	// Offered is the current in A balanz offers the connector, or nil.
	Offered *Number `json:"offered"`
	// Status is the connector's OCPP status.
	Status ConnectorStatus `json:"status"`
	// Priority is the session priority balanz allocates by.
	Priority int `json:"priority"`
	// EVMaxUsage is the most current in A the vehicle has drawn, or nil.
	EVMaxUsage *Number `json:"ev_max_usage"`
	// SuspendUntil is when a suspension balanz imposed ends, or nil.
	SuspendUntil *Time `json:"suspend_until"`
	// Transaction is the live transaction, or nil.
	Transaction *Transaction `json:"transaction,omitempty"`
}

// Transaction is a live charging transaction.
type Transaction struct {
	IDTag     string `json:"id_tag"`
	StartTime Time   `json:"start_time"`
	// MeterStart is the meter reading in Wh when the transaction started.
	MeterStart Number `json:"meter_start"`
	UserName   string `json:"user_name"`
	// UsageMeter is the current in A the vehicle draws now, or nil.
	UsageMeter *Number `json:"usage_meter"`
	// EnergyMeter is the charger's meter reading in Wh: cumulative, so the
	// energy of the session is EnergyMeter - MeterStart. (A stored
	// Session's EnergyMeter is the session's energy itself.)
	EnergyMeter Number `json:"energy_meter"`
	// ChargingHistory samples offered and used current over the session.
	ChargingHistory []HistoryPoint `json:"charging_history"`
}

// SessionEnergy returns the energy of the transaction so far in Wh.
func (t *Transaction) SessionEnergy() float64 {
	return max(0, float64(t.EnergyMeter-t.MeterStart))
}

func (t *Transaction) localize(loc *time.Location) {
	t.StartTime.in(loc)
	for i := range t.ChargingHistory {
		t.ChargingHistory[i].Timestamp.in(loc)
	}
}

// HistoryPoint is one sample of a session's charging history.
type HistoryPoint struct {
	Timestamp Time `json:"timestamp"`
	// Offered and Usage are currents in A.
	Offered Number `json:"offered"`
	Usage   Number `json:"usage"`
}

// TagStatus says whether an id tag may start sessions.
type TagStatus string

// The tag statuses.
const (
	TagActivated TagStatus = "Activated"
	TagBlocked   TagStatus = "Blocked"
)

// Tag is an id tag (RFID card or app token) known to balanz.
type Tag struct {
	IDTag       string    `json:"id_tag"`
	UserName    string    `json:"user_name"`
	ParentIDTag string    `json:"parent_id_tag"`
	Description string    `json:"description"`
	Status      TagStatus `json:"status"`
	Priority    int       `json:"priority"`
}

// Session is a charging session: a stored one, or with include_live a live
// one (EndTime nil).
type Session struct {
	// SessionID is "<charger>-YYYY-MM-DD-HH:MM:SS".
	SessionID    string `json:"session_id"`
	ChargerID    string `json:"charger_id"`
	ChargerAlias string `json:"charger_alias"`
	GroupID      string `json:"group_id"`
	IDTag        string `json:"id_tag"`
	UserName     string `json:"user_name"`
	StopIDTag    string `json:"stop_id_tag"`
	StartTime    Time   `json:"start_time"`
	// EndTime, Duration (seconds) and Reason are nil for a live session.
	EndTime  *Time   `json:"end_time"`
	Duration *Number `json:"duration"`
	// EnergyMeter is, for a stored session, the session's energy in Wh;
	// for a live one the charger's cumulative meter reading.
	EnergyMeter Number  `json:"energy_meter"`
	Reason      *string `json:"reason"`
	// KWh is the session's energy in kWh (balanz sends "1.500").
	KWh             Number         `json:"kwh"`
	ChargingHistory []HistoryPoint `json:"charging_history"`
}

// Live reports whether the session is still going.
func (s *Session) Live() bool { return s.EndTime == nil }

func (s *Session) localize(loc *time.Location) {
	s.StartTime.in(loc)
	if s.EndTime != nil {
		s.EndTime.in(loc)
	}
	for i := range s.ChargingHistory {
		s.ChargingHistory[i].Timestamp.in(loc)
	}
}

// ConfigurationKey is one OCPP configuration key of a charger.
type ConfigurationKey struct {
	Key      string  `json:"key"`
	ReadOnly bool    `json:"readonly"`
	Value    *string `json:"value"`
}

// Configuration is a charger's answer to GetConfiguration.
type Configuration struct {
	Keys []ConfigurationKey `json:"configuration_key"`
	// UnknownKeys lists asked-for keys the charger does not know.
	UnknownKeys []string `json:"unknown_key"`
}
