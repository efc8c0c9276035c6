package balanztest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The fake writes answers as maps, to reproduce balanz's shapes exactly
// (nulls included) rather than how the client's types would write them.

var jsonUnmarshal = json.Unmarshal

func epoch(t time.Time) float64 { return float64(t.UnixMicro()) / 1e6 }

func (m *model) renderGroup(g *group, details bool) map[string]any {
	chargers := []any{}
	var offered, usage float64
	for _, c := range m.chargers {
		if c.group != g.id {
			continue
		}
		if details {
			chargers = append(chargers, m.renderCharger(c))
		} else {
			chargers = append(chargers, c.id)
		}
		for _, cn := range c.conns {
			if cn.offered != nil {
				offered += *cn.offered
			}
			if cn.tx != nil {
				usage += cn.tx.usage
			}
		}
	}
	now := [][2]float64{}
	var maxAlloc any
	if g.maxAlloc != nil {
		maxAlloc = *g.maxAlloc
		now = allocationNow(*g.maxAlloc, m.last.In(m.loc))
	}
	return map[string]any{"group_id": g.id, "description": g.desc, "chargers": chargers, "max_allocation": maxAlloc,
		"max_allocation_now": now, "offered": offered, "usage": usage}
}

// allocationNow reads "HH:MM-HH:MM>prio=amps:prio=amps;…" for the time of
// day t.
func allocationNow(spec string, t time.Time) [][2]float64 {
	hm := t.Format("15:04")
	for part := range strings.SplitSeq(spec, ";") {
		span, steps, ok := strings.Cut(part, ">")
		from, to, ok2 := strings.Cut(span, "-")
		if !ok || !ok2 || hm < from || hm > to {
			continue
		}
		out := [][2]float64{}
		for step := range strings.SplitSeq(steps, ":") {
			p, a, _ := strings.Cut(step, "=")
			pn, err1 := strconv.Atoi(p)
			an, err2 := strconv.ParseFloat(a, 64)
			if err1 == nil && err2 == nil {
				out = append(out, [2]float64{float64(pn), an})
			}
		}
		return out
	}
	return [][2]float64{}
}

func (m *model) renderCharger(c *charger) map[string]any {
	conns := map[string]any{}
	for i, cn := range c.conns {
		conns[strconv.Itoa(i+1)] = m.renderConnector(cn)
	}
	out := map[string]any{
		"charger_id": c.id, "alias": c.alias, "group_id": c.group, "priority": c.priority, "description": c.desc,
		"conn_max": c.connMax, "charge_point_model": nil, "charge_point_vendor": nil, "charge_box_serial_number": nil,
		"charge_point_serial_number": nil, "firmware_version": nil, "meter_type": nil, "fw_options": []any{},
		"connectors": conns, "network_connected": c.connected,
	}
	if c.booted {
		out["charge_point_model"], out["charge_point_vendor"] = "WB22", "Wallbox Co"
		out["charge_box_serial_number"], out["charge_point_serial_number"] = "WB22-"+c.id, "SN-"+c.id
		out["firmware_version"], out["meter_type"] = "4.1.3", "MID"
		out["fw_options"] = []map[string]string{{"firmware_id": m.firmware[0].FirmwareID, "url": m.firmware[0].URL}}
	}
	return out
}

func (m *model) renderConnector(cn *connector) map[string]any {
	out := map[string]any{"transaction_id": nil, "offered": nil, "status": string(cn.status), "priority": cn.priority,
		"ev_max_usage": nil, "suspend_until": nil}
	if cn.offered != nil {
		out["offered"] = *cn.offered
	}
	if cn.evMax != nil {
		out["ev_max_usage"] = *cn.evMax
	}
	if tx := cn.tx; tx != nil {
		out["transaction_id"] = tx.id
		out["transaction"] = map[string]any{"id_tag": tx.idTag, "start_time": epoch(tx.start), "meter_start": tx.meterStart,
			"user_name": tx.userName, "usage_meter": tx.usage, "energy_meter": cn.meter, "charging_history": m.renderHistory(tx.history)}
	}
	return out
}

func (m *model) renderHistory(h []histPoint) []map[string]any {
	out := make([]map[string]any, 0, len(h))
	for _, p := range h {
		out = append(out, map[string]any{"timestamp": epoch(p.at), "offered": p.offered, "usage": p.usage})
	}
	return out
}

func (m *model) sessionID(s storedSession) string {
	return s.chargerID + "-" + s.start.In(m.loc).Format("2006-01-02-15:04:05")
}

func (m *model) renderSession(s storedSession, live bool) map[string]any {
	out := map[string]any{"session_id": m.sessionID(s), "charger_id": s.chargerID, "charger_alias": s.alias, "group_id": s.groupID,
		"id_tag": s.idTag, "user_name": s.userName, "stop_id_tag": nil, "start_time": m.local(s.start), "end_time": nil,
		"duration": nil, "energy_meter": s.energy, "reason": nil, "kwh": fmt.Sprintf("%.3f", s.energy/1000),
		"charging_history": m.renderHistory(s.history)}
	if !live {
		out["stop_id_tag"], out["end_time"], out["reason"] = s.stopIDTag, m.local(s.end), s.reason
		out["duration"] = int(s.end.Sub(s.start).Seconds())
	}
	return out
}
