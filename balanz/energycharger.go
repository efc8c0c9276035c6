package balanz

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/gridwire/gridwire/energy"
)

// Defaults of an EVCharger.
const (
	// DefaultVoltage is the phase voltage used to turn current into power.
	DefaultVoltage energy.Volts = 230
	// DefaultPhases is the number of phases a vehicle charges on.
	DefaultPhases = 3
	// MinChargingCurrent is the least non-zero current a charger accepts
	// (IEC 61851).
	MinChargingCurrent energy.Amperes = 6
)

// EVCharger is one connector of a balanz charger as an energy.Charger.
// Create it with Client.EVCharger; it is cheap and shares the client.
type EVCharger struct {
	c         *Client
	ref       ChargerRef
	connector int
	voltage   energy.Volts
	phases    int
	idTag     string
}

var _ energy.Charger = (*EVCharger)(nil)

// ErrNoTransaction is wrapped by SetCurrentLimit when the connector has no
// live transaction to limit. Its text has no package prefix because it is
// only ever seen wrapped in SetCurrentLimit's own error.
var ErrNoTransaction = errors.New("no live transaction")

// ChargerOption configures an EVCharger.
type ChargerOption func(*EVCharger)

// WithVoltage sets the phase voltage for power figures (default
// DefaultVoltage).
func WithVoltage(v energy.Volts) ChargerOption { return func(e *EVCharger) { e.voltage = v } }

// WithPhases sets how many phases the vehicle charges on (default
// DefaultPhases); balanz reports current per phase.
func WithPhases(n int) ChargerOption { return func(e *EVCharger) { e.phases = n } }

// WithIDTag sets the id tag SetCharging(true) starts transactions with.
// Default (and for ""): the charger id, balanz's convention for a charger's
// free-vending tag.
func WithIDTag(tag string) ChargerOption { return func(e *EVCharger) { e.idTag = tag } }

// EVCharger returns connector (1, 2 …) of the charger as an energy.Charger.
// It does no I/O; a bad argument or option gives a *energy.FieldError.
func (c *Client) EVCharger(ref ChargerRef, connector int, opts ...ChargerOption) (*EVCharger, error) {
	if err := ref.check(); err != nil {
		return nil, err
	}
	if connector < 1 {
		return nil, energy.Invalid("connector", "%d; connectors count from 1", connector)
	}
	e := &EVCharger{c: c, ref: ref, connector: connector, voltage: DefaultVoltage, phases: DefaultPhases}
	for _, o := range opts {
		o(e)
	}
	switch {
	case !(e.voltage > 0) || math.IsInf(float64(e.voltage), 0):
		return nil, energy.Invalid("WithVoltage", "%v is not a voltage > 0", e.voltage)
	case e.phases != 1 && e.phases != 2 && e.phases != 3:
		return nil, energy.Invalid("WithPhases", "%d phases; want 1, 2 or 3", e.phases)
	}
	return e, nil
}

// fetch returns the charger and the connector's state.
func (e *EVCharger) fetch(ctx context.Context) (*Charger, *Connector, error) {
	list, err := e.c.Chargers(ctx, ChargerFilter{Charger: e.ref})
	if err != nil {
		return nil, nil, err
	}
	for i := range list {
		if (e.ref.ID != "" && list[i].ChargerID == e.ref.ID) || (e.ref.ID == "" && list[i].Alias == e.ref.Alias) {
			cn, ok := list[i].Connectors[e.connector]
			if !ok {
				return nil, nil, &Error{Command: "GetChargers", Status: StatusNoSuchConnector}
			}
			return &list[i], &cn, nil
		}
	}
	return nil, nil, &Error{Command: "GetChargers", Status: StatusNoSuchCharger}
}

// ChargerStatus implements energy.Charger. balanz gives no time for its
// readings: MeasuredAt is when the answer arrived, by the client's clock.
// The state is offline while the charger is not connected to balanz; power
// is the measured current × voltage × phases while charging; the current
// limit is what balanz offers the connector.
func (e *EVCharger) ChargerStatus(ctx context.Context) (energy.ChargerStatus, error) {
	ch, cn, err := e.fetch(ctx)
	if err != nil {
		return energy.ChargerStatus{}, err
	}
	st := energy.ChargerStatus{MeasuredAt: e.c.o.clock.Now(), State: mapState(ch, cn)}
	if cn.Offered != nil {
		st.CurrentLimit = energy.Amperes(max(0, float64(*cn.Offered)))
	}
	if tx := cn.Transaction; tx != nil {
		st.SessionEnergy = energy.WattHours(tx.SessionEnergy())
		if st.State == energy.ChargerCharging && tx.UsageMeter != nil && *tx.UsageMeter > 0 {
			st.Power = energy.Watts(float64(*tx.UsageMeter) * float64(e.voltage) * float64(e.phases))
		}
	}
	return st, nil
}

func mapState(ch *Charger, cn *Connector) energy.ChargerState {
	if !ch.NetworkConnected {
		return energy.ChargerOffline
	}
	switch cn.Status {
	case ConnectorAvailable, ConnectorReserved:
		return energy.ChargerUnplugged
	case ConnectorPreparing, ConnectorFinishing:
		return energy.ChargerConnected
	case ConnectorCharging:
		return energy.ChargerCharging
	case ConnectorSuspendedEV, ConnectorSuspendedEVSE:
		return energy.ChargerSuspended
	case ConnectorFaulted:
		return energy.ChargerFaulted
	case ConnectorUnavailable:
		return energy.ChargerOffline
	}
	return energy.ChargerUnknown
}

// SetCurrentLimit implements energy.Charger with SetTxProfile on the live
// transaction. The limit is 0 (pause) or at least MinChargingCurrent. In an
// allocation group balanz owns the current, and this returns an error
// wrapping energy.ErrUnsupported: use Client.SetChargePriority there.
func (e *EVCharger) SetCurrentLimit(ctx context.Context, limit energy.Amperes) error {
	l := float64(limit)
	if math.IsNaN(l) || math.IsInf(l, 0) || l < 0 || (l > 0 && limit < MinChargingCurrent) {
		return energy.Invalid("limit", "%v; want 0 A or at least %v", limit, MinChargingCurrent)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("balanz: SetCurrentLimit: %w", err)
	}
	ch, cn, err := e.fetch(ctx)
	if err != nil {
		return err
	}
	groups, err := e.c.Groups(ctx, false)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if g.GroupID == ch.GroupID && g.IsAllocation() {
			return energy.Unsupported("balanz: SetCurrentLimit", "charger %s is in allocation group %s, where balanz shares the current by session priority; set the priority with SetChargePriority instead", ch.ChargerID, g.GroupID)
		}
	}
	if cn.TransactionID == nil {
		return fmt.Errorf("balanz: SetCurrentLimit: %w on charger %s connector %d; a limit applies to a transaction, so start one first", ErrNoTransaction, ch.ChargerID, e.connector)
	}
	return e.c.SetTxProfile(ctx, ByID(ch.ChargerID), e.connector, int(*cn.TransactionID), l)
}

// SetCharging implements energy.Charger: on starts a transaction remotely
// (with the id tag of WithIDTag) unless one is live; off stops the live
// transaction, if any.
func (e *EVCharger) SetCharging(ctx context.Context, on bool) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("balanz: SetCharging: %w", err)
	}
	ch, cn, err := e.fetch(ctx)
	if err != nil {
		return err
	}
	switch {
	case on && cn.TransactionID == nil:
		tag := e.idTag
		if tag == "" {
			tag = ch.ChargerID
		}
		return e.c.RemoteStartTransaction(ctx, ByID(ch.ChargerID), e.connector, tag)
	case !on && cn.TransactionID != nil:
		return e.c.RemoteStopTransaction(ctx, ByID(ch.ChargerID), int(*cn.TransactionID))
	}
	return nil
}

// String names the charger and connector.
func (e *EVCharger) String() string { return e.ref.String() + "/" + strconv.Itoa(e.connector) }

// EVChargers returns every connector of every charger (or of one group,
// when groupID is not "") as an energy.Charger, in balanz's order.
func (c *Client) EVChargers(ctx context.Context, groupID string, opts ...ChargerOption) ([]*EVCharger, error) {
	list, err := c.Chargers(ctx, ChargerFilter{GroupID: groupID})
	if err != nil {
		return nil, err
	}
	var out []*EVCharger
	for _, ch := range list {
		ids := make([]int, 0, len(ch.Connectors))
		for id := range ch.Connectors {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			if id < 1 {
				continue // connector 0 is the charger itself in OCPP
			}
			e, err := c.EVCharger(ByID(ch.ChargerID), id, opts...)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
	}
	return out, nil
}
