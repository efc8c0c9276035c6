package oscptest

import (
	"crypto/rand"
	"encoding/base64"
	"slices"

	"github.com/gridwire/gridwire/oscp"
)

// store is the account's entities. The server's mutex guards it.
type store struct {
	nextID        int64
	settings      *oscp.UserSettings
	providers     map[int64]*oscp.System
	optimizers    map[int64]*oscp.System
	groups        map[int64]*oscp.CapacityGroup
	groupSettings map[int64]*oscp.GroupSettings
	assets        map[int64]*oscp.Asset
}

func newStore() store {
	return store{
		providers: map[int64]*oscp.System{}, optimizers: map[int64]*oscp.System{},
		groups: map[int64]*oscp.CapacityGroup{}, groupSettings: map[int64]*oscp.GroupSettings{},
		assets: map[int64]*oscp.Asset{},
	}
}

func (st *store) id() int64 {
	st.nextID++
	return st.nextID
}

// sorted returns a map's values ordered by key, as SolarNetwork lists by id.
func sorted[T any](m map[int64]*T) []T {
	keys := make([]int64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]T, 0, len(keys))
	for _, k := range keys {
		out = append(out, *m[k])
	}
	return out
}

// newToken returns a random OSCP token shaped like SolarNetwork's (64
// Base64 characters).
func newToken() string {
	var b [48]byte
	_, _ = rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

// public returns props as SolarNetwork returns them: without the OAuth
// client secret.
func public(props oscp.ServiceProps) oscp.ServiceProps {
	p := props.Clone()
	if p.OAuth != nil {
		p.OAuth.ClientSecret = oscp.Secret{}
	}
	return p
}

// seed fills the account with a small realistic setup.
func (s *Server) seed() {
	now := s.now()
	st := &s.store
	st.settings = &oscp.UserSettings{UserID: DefaultUserID, Created: now, Modified: now, PublishToSolarIn: true,
		PublishToSolarFlux: true, NodeID: 123, SourceIDTemplate: oscp.DefaultSourceIDTemplate}
	cp := &oscp.System{UserID: DefaultUserID, ConfigID: st.id(), Created: now, Modified: now, Enabled: true, Name: "Lines Co.",
		BaseURL: "https://oscp.example.com/oscp/cp/2.0", OSCPVersion: "2.0", FlexibilityProviderID: 2,
		RegistrationStatus: oscp.RegistrationRegistered,
		Settings:           oscp.SystemSettings{HeartbeatSeconds: 60, MeasurementStyles: []oscp.MeasurementStyle{oscp.StyleContinuous}}}
	st.providers[cp.ConfigID] = cp
	co := &oscp.System{UserID: DefaultUserID, ConfigID: st.id(), Created: now, Modified: now, Enabled: true, Name: "Optimizer Co.",
		BaseURL: "https://oscp.example.com/oscp/co/2.0", OSCPVersion: "2.0", FlexibilityProviderID: 2,
		RegistrationStatus: oscp.RegistrationPending,
		ServiceProps: oscp.ServiceProps{OAuth: &oscp.OAuthClient{TokenURL: "https://auth.example.com/oauth2/token", ClientID: "client-123"},
			URLPaths: map[oscp.Action]string{oscp.ActionHeartbeat: "/hb"}}}
	st.optimizers[co.ConfigID] = co
	g := &oscp.CapacityGroup{UserID: DefaultUserID, ConfigID: st.id(), Created: now, Modified: now, Name: "My Group", Enabled: true,
		Identifier: "my-group", CapacityProviderID: cp.ConfigID, CapacityOptimizerID: co.ConfigID,
		CapacityProviderMeasurementPeriod: oscp.PeriodFifteenMinute, CapacityOptimizerMeasurementPeriod: oscp.PeriodFiveMinute}
	st.groups[g.ConfigID] = g
	st.groupSettings[g.ConfigID] = &oscp.GroupSettings{GroupID: g.ConfigID, UserSettings: oscp.UserSettings{UserID: DefaultUserID,
		Created: now, Modified: now, PublishToSolarIn: true, NodeID: 123, SourceIDTemplate: oscp.DefaultSourceIDTemplate}}
	for i, a := range []oscp.Asset{
		{Name: "Charger 1", Identifier: "XYZ.ABC.123", SourceID: "charger/1", Category: oscp.CategoryCharging, Phase: oscp.PhaseAll,
			Instantaneous: &oscp.InstantaneousSettings{PropertyNames: []string{"watts"}, Unit: oscp.UnitW, StatisticType: oscp.StatMaximum},
			Energy: &oscp.EnergySettings{InstantaneousSettings: oscp.InstantaneousSettings{PropertyNames: []string{"wattHours"},
				Unit: oscp.UnitWh, StatisticType: oscp.StatDifference}, Type: oscp.EnergyTotal, Direction: oscp.DirectionImport}},
		{Name: "Battery", Identifier: "BAT.1", SourceID: "battery/1", Category: oscp.CategoryStorage, Phase: oscp.PhaseA,
			Instantaneous: &oscp.InstantaneousSettings{PropertyNames: []string{"watts"}, Unit: oscp.UnitKW, Multiplier: new(0.001), StatisticType: oscp.StatAverage}},
	} {
		a.UserID, a.ConfigID, a.Created, a.Modified, a.Enabled = DefaultUserID, st.id(), now, now, i == 0
		a.CapacityGroupID, a.Audience, a.NodeID = g.ConfigID, oscp.AudienceCapacityProvider, 123
		st.assets[a.ConfigID] = &a
	}
}
