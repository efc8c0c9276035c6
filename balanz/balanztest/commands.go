package balanztest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridwire/gridwire/balanz"
)

type handler func(m *model, a args, now time.Time) reply

// commands are the API's model commands, as balanz 1.2.3 implements them
// (there is no GetConfig); the OCPP pass-throughs are in passThroughs.
var commands = map[string]handler{
	"GetStatus": func(m *model, _ args, _ time.Time) reply {
		return ok(map[string]any{
			"version": "1.2.3", "starttime": m.local(m.started), "no_tags": len(m.tags), "no_groups": len(m.groups),
			"no_chargers": len(m.chargers), "no_sessions": len(m.sessions), "logging": m.levels,
		})
	},
	"GetLogs":   getLogs,
	"SetConfig": func(m *model, a args, _ time.Time) reply { return accepted() }, // balanz accepts anything
	"DrawAll":   drawAll,
	"GetUsers": func(m *model, _ args, _ time.Time) reply {
		out := []map[string]any{}
		for _, u := range m.users {
			out = append(out, map[string]any{"user_id": u.id, "user_type": u.typ, "description": u.desc})
		}
		return ok(out)
	},
	"CreateUser": func(m *model, a args, _ time.Time) reply { return writeUser(m, a, true) },
	"UpdateUser": func(m *model, a args, _ time.Time) reply { return writeUser(m, a, false) },
	"DeleteUser": func(m *model, a args, _ time.Time) reply {
		id, _ := a.str("user_id")
		i := slices.IndexFunc(m.users, func(u *user) bool { return u.id == id })
		if i < 0 {
			return failBare(string(balanz.StatusIllegalArguments))
		}
		m.users = slices.Delete(m.users, i, i+1)
		return accepted()
	},
	"GetFirmware":    func(m *model, _ args, _ time.Time) reply { return ok(append([]balanz.Firmware{}, m.firmware...)) },
	"CreateFirmware": func(m *model, a args, _ time.Time) reply { return writeFirmware(m, a, "create") },
	"ModifyFirmware": func(m *model, a args, _ time.Time) reply { return writeFirmware(m, a, "modify") },
	"DeleteFirmware": func(m *model, a args, _ time.Time) reply { return writeFirmware(m, a, "delete") },
	"ReloadFirmware": func(m *model, _ args, _ time.Time) reply { return accepted() },
	"GetGroups": func(m *model, a args, _ time.Time) reply {
		details := a.boolean("charger_details", false)
		out := []map[string]any{}
		for _, g := range m.groups {
			out = append(out, m.renderGroup(g, details))
		}
		return ok(out)
	},
	"ReloadGroups":   func(m *model, _ args, _ time.Time) reply { return accepted() },
	"ReloadChargers": func(m *model, _ args, _ time.Time) reply { return accepted() },
	"ReloadTags":     func(m *model, _ args, _ time.Time) reply { return accepted() },
	"UpdateGroup": func(m *model, a args, _ time.Time) reply {
		id, ok := a.str("group_id")
		if !ok {
			return fail(string(balanz.StatusIllegalArguments))
		}
		g := m.group(id)
		if g == nil {
			return fail(string(balanz.StatusNoSuchGroup))
		}
		if d, ok := a.str("description"); ok {
			g.desc = d
		}
		if ma, ok := a.str("max_allocation"); ok {
			g.maxAlloc = new(ma)
		}
		return accepted()
	},
	"GetChargers": func(m *model, a args, _ time.Time) reply {
		gid, _ := a.str("group_id")
		cid, _ := a.str("charger_id")
		alias, _ := a.str("alias")
		out := []map[string]any{}
		for _, c := range m.chargers {
			if (gid != "" && c.group != gid) || (cid != "" && c.id != cid) || (cid == "" && alias != "" && c.alias != alias) {
				continue
			}
			out = append(out, m.renderCharger(c))
		}
		return ok(out)
	},
	"CreateCharger": func(m *model, a args, _ time.Time) reply {
		id, ok1 := a.str("charger_id")
		gid, ok2 := a.str("group_id")
		alias, _ := a.str("alias")
		if !ok1 || !ok2 || id == "" || m.group(gid) == nil {
			return fail(string(balanz.StatusIllegalArguments))
		}
		if m.charger(id, "") != nil {
			return fail(string(balanz.StatusChargerAlreadyExists))
		}
		connMax, ok := a.num("conn_max")
		if !ok {
			connMax = 16
		}
		desc, _ := a.str("description")
		c := newCharger(id, alias, gid, desc, connMax, max(1, a.integer("no_connectors", 1)), false)
		c.priority = a.integer("priority", 1)
		m.chargers = append(m.chargers, c)
		return accepted()
	},
	"DeleteCharger": func(m *model, a args, _ time.Time) reply {
		c, r := chargerArg(m, a)
		if c == nil {
			return r
		}
		m.chargers = slices.DeleteFunc(m.chargers, func(x *charger) bool { return x == c })
		return accepted()
	},
	"ResetChargerAuth": func(m *model, a args, _ time.Time) reply {
		if c, r := chargerArg(m, a); c == nil {
			return r
		}
		return accepted()
	},
	"UpdateCharger": func(m *model, a args, _ time.Time) reply {
		id, _ := a.str("charger_id")
		if id == "" {
			return fail(string(balanz.StatusIllegalArguments))
		}
		c := m.charger(id, "")
		if c == nil {
			return fail(string(balanz.StatusNoSuchCharger))
		}
		if v, ok := a.str("alias"); ok {
			c.alias = v
		}
		if v, ok := a.str("description"); ok {
			c.desc = v
		}
		if v, ok := a.num("conn_max"); ok {
			c.connMax = v
		}
		c.priority = a.integer("priority", c.priority)
		return accepted()
	},
	"GetTags": func(m *model, _ args, _ time.Time) reply {
		out := []balanz.Tag{}
		for _, t := range m.tags {
			out = append(out, t.Tag)
		}
		return ok(out)
	},
	"CreateTag":         func(m *model, a args, _ time.Time) reply { return writeTag(m, a, true) },
	"UpdateTag":         func(m *model, a args, _ time.Time) reply { return writeTag(m, a, false) },
	"DeleteTag":         deleteTag,
	"SetLogLevel":       setLogLevel,
	"GetSessions":       getSessions,
	"GetCSVSessions":    sessionsCSV,
	"SetBalanzState":    setBalanzState,
	"SetChargePriority": setChargePriority,
}

// chargerArg finds the charger a model command names.
func chargerArg(m *model, a args) (*charger, reply) {
	id, _ := a.str("charger_id")
	alias, _ := a.str("alias")
	if id == "" && alias == "" {
		return nil, fail(string(balanz.StatusIllegalArguments))
	}
	c := m.charger(id, alias)
	if c == nil {
		return nil, fail(string(balanz.StatusNoSuchCharger))
	}
	return c, reply{}
}

func writeUser(m *model, a args, create bool) reply {
	id, _ := a.str("user_id")
	pw, _ := a.str("password")
	if id == "" || pw == "" {
		return failBare(string(balanz.StatusIllegalArguments))
	}
	i := slices.IndexFunc(m.users, func(u *user) bool { return u.id == id })
	if create == (i >= 0) {
		return failBare(string(balanz.StatusIllegalArguments))
	}
	typ, _ := a.str("user_type")
	desc, _ := a.str("description")
	if create {
		if typ == "" {
			typ = string(balanz.UserStatus)
		}
		m.users = append(m.users, &user{id: id, typ: balanz.UserType(typ), desc: desc, sha: Hash(id + pw)})
		return accepted()
	}
	u := m.users[i]
	if typ != "" {
		u.typ = balanz.UserType(typ)
	}
	if a.has("description") {
		u.desc = desc
	}
	u.sha = Hash(id + pw)
	return accepted()
}

func writeFirmware(m *model, a args, op string) reply {
	id, _ := a.str("firmware_id")
	i := slices.IndexFunc(m.firmware, func(f balanz.Firmware) bool { return f.FirmwareID == id })
	switch {
	case id == "", op == "create" && i >= 0:
		return failBare(string(balanz.StatusIllegalArguments))
	case op != "create" && i < 0:
		return unexpected() // balanz builds IllegalArguments, then crashes on it
	case op == "delete":
		m.firmware = slices.Delete(m.firmware, i, i+1)
		return accepted()
	}
	var f balanz.Firmware
	if op == "modify" {
		f = m.firmware[i]
	}
	f.FirmwareID = id
	for k, p := range map[string]*string{"charge_point_vendor": &f.ChargePointVendor, "charge_point_model": &f.ChargePointModel,
		"firmware_version": &f.FirmwareVersion, "meter_type": &f.MeterType, "url": &f.URL, "upgrade_from_versions": &f.UpgradeFromVersions} {
		if v, ok := a.str(k); ok {
			*p = v
		}
	}
	if op == "create" {
		m.firmware = append(m.firmware, f)
	} else {
		m.firmware[i] = f
	}
	return accepted()
}

func writeTag(m *model, a args, create bool) reply {
	id, _ := a.str("id_tag")
	id = strings.ToUpper(id)
	if id == "" {
		return fail(string(balanz.StatusIllegalArguments))
	}
	t := m.tag(id)
	switch {
	case create && t != nil:
		return fail(string(balanz.StatusTagExists))
	case !create && t == nil:
		return fail(string(balanz.StatusNoSuchTag))
	case create:
		t = &tag{balanz.Tag{IDTag: id, Status: balanz.TagActivated}}
		m.tags = append(m.tags, t)
	}
	if st, ok := a.str("status"); ok && st != "" {
		if st != string(balanz.TagActivated) && st != string(balanz.TagBlocked) {
			return fail(string(balanz.StatusIllegalArguments))
		}
		t.Status = balanz.TagStatus(st)
	}
	for k, p := range map[string]*string{"user_name": &t.UserName, "parent_id_tag": &t.ParentIDTag, "description": &t.Description} {
		if v, ok := a.str(k); ok {
			*p = v
		}
	}
	t.Priority = balanz.Int(a.integer("priority", int(t.Priority)))
	return accepted()
}

func deleteTag(m *model, a args, _ time.Time) reply {
	id, _ := a.str("id_tag")
	if id == "" {
		return fail(string(balanz.StatusIllegalArguments))
	}
	n := len(m.tags)
	m.tags = slices.DeleteFunc(m.tags, func(t *tag) bool { return t.IDTag == strings.ToUpper(id) })
	if len(m.tags) == n {
		return fail(string(balanz.StatusNoSuchTag))
	}
	return accepted()
}

func setLogLevel(m *model, a args, _ time.Time) reply {
	comp, ok1 := a.str("component")
	level, ok2 := a.str("loglevel")
	if !ok1 || !ok2 || !slices.Contains([]string{"ERROR", "WARNING", "INFO", "DEBUG"}, level) {
		return fail(string(balanz.StatusIllegalArguments))
	}
	if _, ok := m.levels[comp]; !ok {
		return fail(string(balanz.StatusNoSuchComponent))
	}
	m.levels[comp] = level
	return accepted()
}

func setBalanzState(m *model, a args, _ time.Time) reply {
	id, _ := a.str("group_id")
	g := m.group(id)
	switch {
	case g == nil:
		return fail(string(balanz.StatusNoSuchGroup))
	case g.maxAlloc == nil:
		return fail(string(balanz.StatusNotAllocationGroup))
	}
	return accepted()
}

func setChargePriority(m *model, a args, _ time.Time) reply {
	id, _ := a.str("charger_id")
	alias, _ := a.str("alias")
	c := m.charger(id, alias)
	switch {
	case c == nil:
		return fail(string(balanz.StatusNoSuchCharger))
	case !c.connected:
		return fail(string(balanz.StatusChargerNotConnected))
	case !a.has("priority"):
		return fail(string(balanz.StatusPriorityNotSupplied))
	}
	cn := connectorArg(c, a)
	if cn == nil {
		return fail(string(balanz.StatusNoSuchConnector))
	}
	if cn.tx == nil {
		return fail(string(balanz.StatusConnectorNotInTransaction))
	}
	cn.priority = a.integer("priority", cn.priority)
	return accepted()
}

func getLogs(m *model, a args, _ time.Time) reply {
	var f struct {
		Level          string `json:"level"`
		MessageSearch  string `json:"messageSearch"`
		TimeStampStart string `json:"timeStampStart"`
		TimeStampEnd   string `json:"timeStampEnd"`
		Logger         string `json:"logger"`
	}
	if a.has("filters") {
		if err := jsonUnmarshal(a.m["filters"], &f); err != nil {
			return unexpected()
		}
	}
	out := []map[string]string{}
	for _, l := range m.logs {
		ts := m.local(l.at)
		if (f.Level != "" && l.level < f.Level) || (f.MessageSearch != "" && !strings.Contains(l.message, f.MessageSearch)) ||
			(f.TimeStampStart != "" && ts < f.TimeStampStart) || (f.TimeStampEnd != "" && ts > f.TimeStampEnd) ||
			(f.Logger != "" && l.logger != f.Logger) {
			continue
		}
		out = append(out, map[string]string{"level": l.level, "message": l.message, "timestamp": ts, "logger": l.logger})
	}
	return ok(map[string]any{"logs": out})
}

func getSessions(m *model, a args, now time.Time) reply {
	cid, _ := a.str("charger_id")
	gid, _ := a.str("group_id")
	out := []map[string]any{}
	for _, s := range m.sessions {
		if (cid == "" || s.chargerID == cid) && (gid == "" || s.groupID == gid) {
			out = append(out, m.renderSession(s, false))
		}
	}
	if a.boolean("include_live", false) {
		for _, c := range m.chargers {
			for _, cn := range c.conns {
				if tx := cn.tx; tx != nil && (cid == "" || c.id == cid) && (gid == "" || c.group == gid) {
					out = append(out, m.renderSession(storedSession{chargerID: c.id, alias: c.alias, groupID: c.group, idTag: tx.idTag,
						userName: tx.userName, start: tx.start, energy: cn.meter, history: tx.history}, true))
				}
			}
		}
	}
	return ok(out)
}

func sessionsCSV(m *model, _ args, _ time.Time) reply {
	var b strings.Builder
	b.WriteString("session_id,charger_id,charger_alias,group_id,id_tag,user_name,stop_id_tag,start_time,end_time,duration,energy_meter,reason,kwh\n")
	for _, s := range m.sessions {
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%.0f,%s,%.3f\n", m.sessionID(s), s.chargerID, s.alias, s.groupID, s.idTag, s.userName,
			s.stopIDTag, m.local(s.start), m.local(s.end), int(s.end.Sub(s.start).Seconds()), s.energy, s.reason, s.energy/1000)
	}
	return ok(b.String())
}

func drawAll(m *model, a args, _ time.Time) reply {
	historic := a.boolean("historic", true)
	var b strings.Builder
	for _, g := range m.groups {
		alloc := "no allocation"
		if g.maxAlloc != nil {
			alloc = "allocation " + *g.maxAlloc
		}
		fmt.Fprintf(&b, "Group %s (%s), %s\n", g.id, g.desc, alloc)
		for _, c := range m.chargers {
			if c.group != g.id {
				continue
			}
			fmt.Fprintf(&b, "  Charger %s [%s] connected=%v conn_max=%.1f\n", c.id, c.alias, c.connected, c.connMax)
			for i, cn := range c.conns {
				fmt.Fprintf(&b, "    %d: %s", i+1, cn.status)
				if tx := cn.tx; tx != nil {
					fmt.Fprintf(&b, " tx=%d tag=%s offered=%.1f usage=%.1f energy=%.0f", tx.id, tx.idTag, *cn.offered, tx.usage, tx.delivered)
					if historic {
						for _, p := range tx.history {
							fmt.Fprintf(&b, "\n       %s offered=%.1f usage=%.1f", m.local(p.at), p.offered, p.usage)
						}
					}
				}
				b.WriteString("\n")
			}
		}
	}
	return ok(map[string]string{"drawing": b.String()})
}

// command returns the handler of an action, model command or pass-through.
func command(action string) (handler, bool) {
	if h, ok := commands[action]; ok {
		return h, true
	}
	h, ok := passThroughs[action]
	return h, ok
}
