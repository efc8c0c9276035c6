package balanztest

import (
	"errors"
	"fmt"
	"time"

	"github.com/gridwire/gridwire/balanz"
)

// Vehicle is an electric vehicle plugged into a simulated connector.
type Vehicle struct {
	// MaxCurrent is the most current per phase, in A, the vehicle draws
	// (0 means 16 A).
	MaxCurrent float64
	// Phases is how many phases it charges on (0 means 3).
	Phases int
	// Need is the energy in Wh it takes before it is full and stops
	// drawing (SuspendedEV); 0 means it never fills.
	Need float64
}

// historyEvery is how often, in simulated time, a live transaction's
// charging history gains a point.
const historyEvery = 5 * time.Minute

// PlugIn plugs v into a connector of a charger (by id or alias): the
// connector goes Preparing, ready for RemoteStartTransaction.
func (s *Server) PlugIn(chargerID string, connector int, v Vehicle) error {
	if v.MaxCurrent == 0 {
		v.MaxCurrent = 16
	}
	if v.Phases == 0 {
		v.Phases = 3
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.m
	m.advance(s.clock.Now())
	_, cn, err := m.connector(chargerID, connector)
	if err != nil {
		return err
	}
	if cn.vehicle != nil {
		return errors.New("balanztest: a vehicle is already plugged in there")
	}
	cn.vehicle = &v
	m.recompute(cn)
	return nil
}

// Unplug takes the vehicle away; a live transaction ends (reason
// "EVDisconnected") and is stored as a session.
func (s *Server) Unplug(chargerID string, connector int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.m
	now := s.clock.Now()
	m.advance(now)
	c, cn, err := m.connector(chargerID, connector)
	if err != nil {
		return err
	}
	if cn.tx != nil {
		m.stop(c, cn, now, "EVDisconnected", cn.tx.idTag)
	}
	cn.vehicle = nil
	m.recompute(cn)
	return nil
}

// SetConnected connects or disconnects a charger from balanz (network
// outage); pass-through commands to a disconnected charger answer
// ChargerNotConnected.
func (s *Server) SetConnected(chargerID string, connected bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.m.charger(chargerID, chargerID)
	if c == nil {
		return fmt.Errorf("balanztest: no charger %q", chargerID)
	}
	c.connected = connected
	if connected && !c.booted {
		c.booted = true
		for _, cn := range c.conns {
			cn.status = balanz.ConnectorAvailable // its first StatusNotification
			s.m.recompute(cn)
		}
	}
	return nil
}

// Energy returns the energy delivered by a connector's live transaction so
// far, in Wh, at the Server's clock (0 without one).
func (s *Server) Energy(chargerID string, connector int) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m.advance(s.clock.Now())
	_, cn, err := s.m.connector(chargerID, connector)
	if err != nil || cn.tx == nil {
		return 0
	}
	return cn.tx.delivered
}

func (m *model) connector(chargerID string, n int) (*charger, *connector, error) {
	c := m.charger(chargerID, chargerID)
	if c == nil {
		return nil, nil, fmt.Errorf("balanztest: no charger %q", chargerID)
	}
	if n < 1 || n > len(c.conns) {
		return nil, nil, fmt.Errorf("balanztest: charger %q has no connector %d", chargerID, n)
	}
	return c, c.conns[n-1], nil
}

// advance runs the simulation up to now: energy flows at each live
// transaction's current since the last step.
func (m *model) advance(now time.Time) {
	dt := now.Sub(m.last)
	if dt <= 0 {
		return
	}
	m.last = now
	for _, c := range m.chargers {
		for _, cn := range c.conns {
			tx := cn.tx
			if tx == nil || cn.vehicle == nil || tx.usage <= 0 {
				continue
			}
			e := tx.usage * Voltage * float64(cn.vehicle.Phases) * dt.Hours()
			if need := cn.vehicle.Need; need > 0 && tx.delivered+e >= need {
				e = max(0, need-tx.delivered)
			}
			tx.delivered += e
			cn.meter += e
			m.recompute(cn)
			if now.Sub(tx.lastPoint) >= historyEvery {
				m.point(cn, now)
			}
		}
	}
}

// recompute derives a connector's status and usage from its vehicle,
// transaction and offered current.
func (m *model) recompute(cn *connector) {
	if cn.status == balanz.ConnectorNone && cn.vehicle == nil && cn.tx == nil {
		return // never booted
	}
	switch {
	case cn.tx == nil && cn.vehicle != nil:
		cn.status = balanz.ConnectorPreparing
	case cn.tx == nil:
		cn.status = balanz.ConnectorAvailable
	default:
		tx := cn.tx
		tx.usage = 0
		switch {
		case cn.offered != nil && *cn.offered == 0:
			cn.status = balanz.ConnectorSuspendedEVSE
		case cn.vehicle.Need > 0 && tx.delivered >= cn.vehicle.Need:
			cn.status = balanz.ConnectorSuspendedEV
		default:
			cn.status = balanz.ConnectorCharging
			off := 0.0
			if cn.offered != nil {
				off = *cn.offered
			}
			tx.usage = min(off, cn.vehicle.MaxCurrent)
			if cn.evMax == nil || *cn.evMax < tx.usage {
				cn.evMax = new(tx.usage)
			}
		}
	}
}

func (m *model) point(cn *connector, now time.Time) {
	off := 0.0
	if cn.offered != nil {
		off = *cn.offered
	}
	cn.tx.history = append(cn.tx.history, histPoint{at: now, offered: off, usage: cn.tx.usage})
	cn.tx.lastPoint = now
}

// start begins a transaction on a connector with a vehicle.
func (m *model) start(c *charger, cn *connector, idTag, userName string, now time.Time) {
	m.nextTx++
	cn.tx = &transaction{id: m.nextTx, idTag: idTag, userName: userName, start: now, meterStart: cn.meter}
	offered := c.connMax
	if g := m.group(c.group); g != nil && g.maxAlloc != nil {
		offered = min(c.connMax, 16) // a fixed share stands in for balanz's allocation
	}
	cn.offered = new(offered)
	cn.evMax = nil
	m.recompute(cn)
	m.point(cn, now)
	m.log("INFO", "ocpp", fmt.Sprintf("Transaction %d started on %s by %s", cn.tx.id, c.id, idTag), now)
}

// stop ends a connector's transaction and stores its session.
func (m *model) stop(c *charger, cn *connector, now time.Time, reason, stopTag string) {
	tx := cn.tx
	m.point(cn, now)
	m.sessions = append(m.sessions, storedSession{
		chargerID: c.id, alias: c.alias, groupID: c.group, idTag: tx.idTag, userName: tx.userName, stopIDTag: stopTag,
		reason: reason, start: tx.start, end: now, energy: tx.delivered, history: tx.history,
	})
	m.log("INFO", "ocpp", fmt.Sprintf("Transaction %d stopped on %s (%s), %.0f Wh", tx.id, c.id, reason, tx.delivered), now)
	cn.tx, cn.offered = nil, nil
	m.recompute(cn)
	if cn.vehicle != nil {
		cn.status = balanz.ConnectorFinishing
	}
}
