package balanztest

import (
	"slices"
	"strings"
	"time"

	"github.com/gridwire/gridwire/balanz"
)

// passThroughs are the OCPP commands balanz forwards to a charger, answered
// here by the simulated charger: the charger must exist and be connected,
// and refuses with its OCPP status.
var passThroughs = map[string]handler{
	"ClearDefaultProfiles": passThrough(func(m *model, c *charger, a args, _ time.Time) reply { return accepted() }),
	"ClearDefaultProfile": passThrough(func(m *model, c *charger, a args, _ time.Time) reply {
		if !a.has("charging_profile_id") {
			return fail(string(balanz.StatusInvalidParameters))
		}
		return accepted()
	}),
	"SetDefaultProfile": passThrough(func(m *model, c *charger, a args, _ time.Time) reply {
		if !a.has("charging_profile_id") || !a.has("limit") {
			return fail(string(balanz.StatusInvalidParameters))
		}
		return accepted()
	}),
	"SetTxProfile": passThrough(setTxProfile),
	"Reset": passThrough(func(m *model, c *charger, a args, _ time.Time) reply {
		if t, ok := a.str("type"); ok && t != "Soft" && t != "Hard" {
			return fail(string(balanz.StatusRejected))
		}
		return accepted()
	}),
	"RemoteStartTransaction": passThrough(remoteStart),
	"RemoteStopTransaction":  passThrough(remoteStop),
	"GetConfiguration":       passThrough(getConfiguration),
	"ChangeConfiguration": passThrough(func(m *model, c *charger, a args, _ time.Time) reply {
		key, ok1 := a.str("key")
		value, ok2 := a.str("value")
		if !ok1 || !ok2 {
			return fail(string(balanz.StatusInvalidParameters))
		}
		k, known := c.config[key]
		switch {
		case !known:
			return fail(string(balanz.StatusNotSupported))
		case k.readonly:
			return fail(string(balanz.StatusRejected))
		}
		c.config[key] = configKey{value: value}
		return accepted()
	}),
	"TriggerMessage": passThrough(func(m *model, c *charger, a args, _ time.Time) reply {
		msg, ok := a.str("requested_message")
		if !ok {
			return unexpected() // balanz reads requested_message, not the documented message_type
		}
		switch balanz.MessageTrigger(msg) {
		case balanz.TriggerBootNotification, balanz.TriggerDiagnosticsStatusNotification, balanz.TriggerFirmwareStatusNotification,
			balanz.TriggerHeartbeat, balanz.TriggerMeterValues, balanz.TriggerStatusNotification:
			return accepted()
		}
		return fail(string(balanz.StatusRejected))
	}),
	"UpdateFirmware": passThrough(func(m *model, c *charger, a args, _ time.Time) reply {
		if !a.has("location") {
			return fail(string(balanz.StatusInvalidParameters))
		}
		return accepted()
	}),
}

// passThrough wraps an OCPP command: the charger must exist and be
// connected.
func passThrough(h func(m *model, c *charger, a args, now time.Time) reply) handler {
	return func(m *model, a args, now time.Time) reply {
		id, _ := a.str("charger_id")
		alias, _ := a.str("alias")
		c := m.charger(id, alias)
		if c == nil {
			return fail(string(balanz.StatusNoSuchCharger))
		}
		if !c.connected {
			return fail(string(balanz.StatusChargerNotConnected))
		}
		return h(m, c, a, now)
	}
}

func connectorArg(c *charger, a args) *connector {
	n := a.integer("connector_id", 1)
	if n < 1 || n > len(c.conns) {
		return nil
	}
	return c.conns[n-1]
}

func setTxProfile(m *model, c *charger, a args, now time.Time) reply {
	limit, ok := a.num("limit")
	if !ok {
		return fail(string(balanz.StatusInvalidParameters))
	}
	cn := connectorArg(c, a)
	if cn == nil || cn.tx == nil || cn.tx.id != a.integer("transaction_id", 1) || limit < 0 {
		return fail(string(balanz.StatusRejected))
	}
	cn.offered = new(min(limit, c.connMax))
	m.recompute(cn)
	m.point(cn, now)
	return accepted()
}

func remoteStart(m *model, c *charger, a args, now time.Time) reply {
	tagID, ok := a.str("id_tag")
	if !ok || !a.has("connector_id") {
		return fail(string(balanz.StatusInvalidParameters))
	}
	cn := connectorArg(c, a)
	t := m.tag(strings.ToUpper(tagID))
	if cn == nil || cn.tx != nil || cn.vehicle == nil || t == nil || t.Status != balanz.TagActivated {
		return fail(string(balanz.StatusRejected))
	}
	m.start(c, cn, t.IDTag, t.UserName, now)
	return accepted()
}

func remoteStop(m *model, c *charger, a args, now time.Time) reply {
	if !a.has("transaction_id") {
		return fail(string(balanz.StatusInvalidParameters))
	}
	id := a.integer("transaction_id", 0)
	for _, cn := range c.conns {
		if cn.tx != nil && cn.tx.id == id {
			m.stop(c, cn, now, "Remote", cn.tx.idTag)
			return accepted()
		}
	}
	return fail(string(balanz.StatusRejected))
}

func getConfiguration(m *model, c *charger, a args, _ time.Time) reply {
	var keys []string
	if a.has("key") {
		if err := jsonUnmarshal(a.m["key"], &keys); err != nil {
			return unexpected()
		}
	}
	if len(keys) == 0 {
		for k := range c.config {
			keys = append(keys, k)
		}
		slices.Sort(keys)
	}
	out := map[string]any{"configuration_key": []map[string]any{}, "unknown_key": []string{}}
	for _, k := range keys {
		v, ok := c.config[k]
		if !ok {
			out["unknown_key"] = append(out["unknown_key"].([]string), k)
			continue
		}
		out["configuration_key"] = append(out["configuration_key"].([]map[string]any), map[string]any{"key": k, "readonly": v.readonly, "value": v.value})
	}
	return ok(out)
}
