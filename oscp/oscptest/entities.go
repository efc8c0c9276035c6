package oscptest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/gridwire/gridwire/oscp"
)

func (s *Server) getSettings(*http.Request) (int, any, *apiErr) {
	if s.store.settings == nil {
		return 0, nil, notFound()
	}
	return http.StatusOK, *s.store.settings, nil
}

func (s *Server) putSettings(r *http.Request) (int, any, *apiErr) {
	var in oscp.SettingsInput
	if e := decodeInput(r, &in); e != nil {
		return 0, nil, e
	}
	now := s.now()
	us := settingsFrom(in, now)
	if old := s.store.settings; old != nil {
		us.Created = old.Created
	}
	s.store.settings = &us
	return http.StatusOK, us, nil
}

func settingsFrom(in oscp.SettingsInput, now oscp.Timestamp) oscp.UserSettings {
	tmpl := in.SourceIDTemplate
	if tmpl == "" {
		tmpl = oscp.DefaultSourceIDTemplate
	}
	return oscp.UserSettings{UserID: DefaultUserID, Created: now, Modified: now, PublishToSolarIn: in.PublishToSolarIn,
		PublishToSolarFlux: in.PublishToSolarFlux, NodeID: in.NodeID, SourceIDTemplate: tmpl}
}

func (s *Server) deleteSettings(*http.Request) (int, any, *apiErr) {
	s.store.settings = nil
	return http.StatusOK, nil, nil
}

func (s *Server) systems(providers bool) map[int64]*oscp.System {
	if providers {
		return s.store.providers
	}
	return s.store.optimizers
}

// createdSystem is the create answer: the one place the token appears.
type createdSystem struct {
	oscp.System
	Token string `json:"token"`
}

func (s *Server) listSystems(providers bool) func(*http.Request) (int, any, *apiErr) {
	return func(*http.Request) (int, any, *apiErr) {
		l := sorted(s.systems(providers))
		for i := range l {
			l[i].ServiceProps = public(l[i].ServiceProps)
		}
		return http.StatusOK, l, nil
	}
}

func systemFrom(in oscp.SystemInput, sys oscp.System) oscp.System {
	sys.Name, sys.Enabled, sys.BaseURL, sys.OSCPVersion, sys.ServiceProps = in.Name, in.Enabled, in.BaseURL, in.OSCPVersion, in.ServiceProps.Clone()
	if in.RegistrationStatus != "" {
		sys.RegistrationStatus = in.RegistrationStatus
	}
	return sys
}

func (s *Server) createSystem(providers bool) func(*http.Request) (int, any, *apiErr) {
	return func(r *http.Request) (int, any, *apiErr) {
		var in oscp.SystemInput
		if e := decodeInput(r, &in); e != nil {
			return 0, nil, e
		}
		now := s.now()
		sys := systemFrom(in, oscp.System{UserID: DefaultUserID, ConfigID: s.store.id(), Created: now, Modified: now,
			FlexibilityProviderID: 2, RegistrationStatus: oscp.RegistrationPending})
		s.systems(providers)[sys.ConfigID] = &sys
		out := createdSystem{System: sys, Token: newToken()}
		out.ServiceProps = public(sys.ServiceProps)
		return http.StatusCreated, out, nil
	}
}

func (s *Server) getSystem(providers bool) func(*http.Request) (int, any, *apiErr) {
	return func(r *http.Request) (int, any, *apiErr) {
		id, _ := pathID(r)
		sys, ok := s.systems(providers)[id]
		if !ok {
			return 0, nil, notFound()
		}
		out := *sys
		out.ServiceProps = public(out.ServiceProps)
		return http.StatusOK, out, nil
	}
}

func (s *Server) putSystem(providers bool) func(*http.Request) (int, any, *apiErr) {
	return func(r *http.Request) (int, any, *apiErr) {
		id, _ := pathID(r)
		old, ok := s.systems(providers)[id]
		if !ok {
			return 0, nil, notFound()
		}
		var in oscp.SystemInput
		if e := decodeInput(r, &in); e != nil {
			return 0, nil, e
		}
		sys := systemFrom(in, *old)
		sys.Modified = s.now()
		s.systems(providers)[id] = &sys
		out := sys
		out.ServiceProps = public(sys.ServiceProps)
		return http.StatusOK, out, nil
	}
}

func (s *Server) deleteSystem(providers bool) func(*http.Request) (int, any, *apiErr) {
	return func(r *http.Request) (int, any, *apiErr) {
		id, _ := pathID(r)
		delete(s.systems(providers), id)
		return http.StatusOK, nil, nil
	}
}

func (s *Server) listGroups(*http.Request) (int, any, *apiErr) {
	return http.StatusOK, sorted(s.store.groups), nil
}

func (s *Server) groupFrom(in oscp.CapacityGroupInput, g oscp.CapacityGroup) (oscp.CapacityGroup, *apiErr) {
	if _, ok := s.store.providers[in.CapacityProviderID]; !ok {
		return g, fkViolation("capacityProviderId")
	}
	if _, ok := s.store.optimizers[in.CapacityOptimizerID]; !ok {
		return g, fkViolation("capacityOptimizerId")
	}
	g.Name, g.Identifier, g.Enabled, g.ServiceProps = in.Name, in.Identifier, in.Enabled, in.ServiceProps.Clone()
	g.CapacityProviderID, g.CapacityProviderMeasurementPeriod = in.CapacityProviderID, in.CapacityProviderMeasurementPeriod
	g.CapacityOptimizerID, g.CapacityOptimizerMeasurementPeriod = in.CapacityOptimizerID, in.CapacityOptimizerMeasurementPeriod
	return g, nil
}

func (s *Server) createGroup(r *http.Request) (int, any, *apiErr) {
	var in oscp.CapacityGroupInput
	if e := decodeInput(r, &in); e != nil {
		return 0, nil, e
	}
	for _, g := range s.store.groups {
		if g.Identifier == in.Identifier {
			return 0, nil, &apiErr{status: http.StatusUnprocessableEntity, code: "DAO.00101", message: "Duplicate key"}
		}
	}
	now := s.now()
	g, e := s.groupFrom(in, oscp.CapacityGroup{UserID: DefaultUserID, Created: now, Modified: now})
	if e != nil {
		return 0, nil, e
	}
	g.ConfigID = s.store.id()
	s.store.groups[g.ConfigID] = &g
	return http.StatusCreated, g, nil
}

func (s *Server) getGroup(r *http.Request) (int, any, *apiErr) {
	id, _ := pathID(r)
	g, ok := s.store.groups[id]
	if !ok {
		return 0, nil, notFound()
	}
	return http.StatusOK, *g, nil
}

func (s *Server) putGroup(r *http.Request) (int, any, *apiErr) {
	id, _ := pathID(r)
	old, ok := s.store.groups[id]
	if !ok {
		return 0, nil, notFound()
	}
	var in oscp.CapacityGroupInput
	if e := decodeInput(r, &in); e != nil {
		return 0, nil, e
	}
	g, e := s.groupFrom(in, *old)
	if e != nil {
		return 0, nil, e
	}
	g.Modified = s.now()
	s.store.groups[id] = &g
	return http.StatusOK, g, nil
}

func (s *Server) deleteGroup(r *http.Request) (int, any, *apiErr) {
	id, _ := pathID(r)
	delete(s.store.groups, id)
	delete(s.store.groupSettings, id)
	for aid, a := range s.store.assets {
		if a.CapacityGroupID == id {
			delete(s.store.assets, aid)
		}
	}
	return http.StatusOK, nil, nil
}

func (s *Server) groupAssets(r *http.Request) (int, any, *apiErr) {
	id, _ := pathID(r)
	if _, ok := s.store.groups[id]; !ok {
		return 0, nil, notFound()
	}
	out := []oscp.Asset{}
	for _, a := range sorted(s.store.assets) {
		if a.CapacityGroupID == id {
			out = append(out, a)
		}
	}
	return http.StatusOK, out, nil
}

func (s *Server) listGroupSettings(*http.Request) (int, any, *apiErr) {
	return http.StatusOK, sorted(s.store.groupSettings), nil
}

func (s *Server) getGroupSettings(r *http.Request) (int, any, *apiErr) {
	id, _ := pathID(r)
	gs, ok := s.store.groupSettings[id]
	if !ok {
		return 0, nil, notFound()
	}
	return http.StatusOK, *gs, nil
}

func (s *Server) putGroupSettings(r *http.Request) (int, any, *apiErr) {
	id, _ := pathID(r)
	if _, ok := s.store.groups[id]; !ok {
		return 0, nil, notFound()
	}
	var in oscp.SettingsInput
	if e := decodeInput(r, &in); e != nil {
		return 0, nil, e
	}
	gs := oscp.GroupSettings{GroupID: id, UserSettings: settingsFrom(in, s.now())}
	if old, ok := s.store.groupSettings[id]; ok {
		gs.Created = old.Created
	}
	s.store.groupSettings[id] = &gs
	return http.StatusOK, gs, nil
}

func (s *Server) deleteGroupSettings(r *http.Request) (int, any, *apiErr) {
	id, _ := pathID(r)
	delete(s.store.groupSettings, id)
	return http.StatusOK, nil, nil
}

func (s *Server) assetFrom(in oscp.AssetInput, a oscp.Asset) (oscp.Asset, *apiErr) {
	if _, ok := s.store.groups[in.CapacityGroupID]; !ok {
		return a, fkViolation("capacityGroupId")
	}
	a.Name, a.Enabled, a.CapacityGroupID, a.Identifier, a.Audience = in.Name, in.Enabled, in.CapacityGroupID, in.Identifier, in.Audience
	a.NodeID, a.SourceID, a.Category, a.Phase, a.ServiceProps = in.NodeID, in.SourceID, in.Category, in.Phase, in.ServiceProps.Clone()
	a.Instantaneous, a.Energy = in.Instantaneous, in.Energy
	return a, nil
}

func (s *Server) createAsset(r *http.Request) (int, any, *apiErr) {
	var in oscp.AssetInput
	if e := decodeAsset(r, &in); e != nil {
		return 0, nil, e
	}
	now := s.now()
	a, e := s.assetFrom(in, oscp.Asset{UserID: DefaultUserID, Created: now, Modified: now})
	if e != nil {
		return 0, nil, e
	}
	a.ConfigID = s.store.id()
	s.store.assets[a.ConfigID] = &a
	return http.StatusCreated, a, nil
}

func (s *Server) getAsset(r *http.Request) (int, any, *apiErr) {
	id, _ := pathID(r)
	a, ok := s.store.assets[id]
	if !ok {
		return 0, nil, notFound()
	}
	return http.StatusOK, *a, nil
}

func (s *Server) putAsset(r *http.Request) (int, any, *apiErr) {
	id, _ := pathID(r)
	old, ok := s.store.assets[id]
	if !ok {
		return 0, nil, notFound()
	}
	var in oscp.AssetInput
	if e := decodeAsset(r, &in); e != nil {
		return 0, nil, e
	}
	a, e := s.assetFrom(in, *old)
	if e != nil {
		return 0, nil, e
	}
	a.Modified = s.now()
	s.store.assets[id] = &a
	return http.StatusOK, a, nil
}

func (s *Server) deleteAsset(r *http.Request) (int, any, *apiErr) {
	id, _ := pathID(r)
	delete(s.store.assets, id)
	return http.StatusOK, nil, nil
}

// decodeAsset decodes an asset input as SolarNetwork does: like the other
// inputs, except that statisticType must be an exact name (SolarNetwork
// has no lenient parser for it).
func decodeAsset(r *http.Request, in *oscp.AssetInput) *apiErr {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return &apiErr{status: http.StatusUnprocessableEntity, message: "Malformed JSON: " + err.Error()}
	}
	var raw struct {
		Instantaneous, Energy *struct {
			StatisticType *string `json:"statisticType"`
		}
	}
	if json.Unmarshal(body, &raw) == nil {
		for _, m := range []*struct {
			StatisticType *string `json:"statisticType"`
		}{raw.Instantaneous, raw.Energy} {
			if m != nil && m.StatisticType != nil && !oscp.StatisticType(*m.StatisticType).Known() {
				return &apiErr{status: http.StatusUnprocessableEntity,
					message: "Malformed JSON: Cannot deserialize StatisticType from \"" + *m.StatisticType + "\""}
			}
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return decodeInput(r, in)
}
