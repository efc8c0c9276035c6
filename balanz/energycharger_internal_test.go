package balanz

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gridwire/gridwire/energy"
)

func TestMapState(t *testing.T) {
	on := &Charger{NetworkConnected: true}
	for st, want := range map[ConnectorStatus]energy.ChargerState{
		ConnectorAvailable: energy.ChargerUnplugged, ConnectorReserved: energy.ChargerUnplugged,
		ConnectorPreparing: energy.ChargerConnected, ConnectorFinishing: energy.ChargerConnected,
		ConnectorCharging: energy.ChargerCharging, ConnectorSuspendedEV: energy.ChargerSuspended,
		ConnectorSuspendedEVSE: energy.ChargerSuspended, ConnectorFaulted: energy.ChargerFaulted,
		ConnectorUnavailable: energy.ChargerOffline, ConnectorNone: energy.ChargerUnknown, "Exploded": energy.ChargerUnknown,
	} {
		assert.Equal(t, want, mapState(on, &Connector{Status: st}), st)
		assert.Equal(t, energy.ChargerOffline, mapState(&Charger{}, &Connector{Status: st}), st)
	}
}
