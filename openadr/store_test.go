package openadr

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// serialStore is a Store that keeps every VEN's state serialised, as a
// durable store would: JSON, with the poll queue's messages as OpenADR XML.
// Running the VTN on it shows that VENState survives serialisation and that
// the handler needs nothing but the Store interface.
type serialStore struct {
	mu   sync.Mutex
	data map[string][]byte
}

type savedState struct {
	VENState
	Queue []savedQueued // replaces VENState.Queue, whose messages are interfaces
}

type savedQueued struct {
	XML      []byte // nil for an event notice
	QueuedAt time.Time
}

func (s *serialStore) save(st *VENState) error {
	saved := savedState{VENState: *st}
	saved.VENState.Queue = nil
	for _, q := range st.Queue {
		sq := savedQueued{QueuedAt: q.QueuedAt}
		if q.Message != nil {
			b, err := oadr.Marshal(q.Message)
			if err != nil {
				return err
			}
			sq.XML = b
		}
		saved.Queue = append(saved.Queue, sq)
	}
	b, err := json.Marshal(saved)
	if err != nil {
		return err
	}
	s.data[st.Registration.VenID] = b
	return nil
}

func (s *serialStore) load(venID string) (*VENState, error) {
	b, ok := s.data[venID]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownVEN, venID)
	}
	var saved savedState
	if err := json.Unmarshal(b, &saved); err != nil {
		return nil, err
	}
	st := saved.VENState
	for _, sq := range saved.Queue {
		q := Queued{QueuedAt: sq.QueuedAt}
		if sq.XML != nil {
			m, err := oadr.Unmarshal(sq.XML)
			if err != nil {
				return nil, err
			}
			q.Message = m
		}
		st.Queue = append(st.Queue, q)
	}
	return &st, nil
}

func (s *serialStore) Create(_ context.Context, st *VENState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.data[st.Registration.VenID]; ok {
		return ErrDuplicateVEN
	}
	return s.save(st)
}

func (s *serialStore) View(_ context.Context, venID string, fn func(*VENState) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.load(venID)
	if err != nil {
		return err
	}
	return fn(st)
}

func (s *serialStore) Update(_ context.Context, venID string, fn func(*VENState) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.load(venID)
	if err != nil {
		return err
	}
	if err := fn(st); err != nil {
		return err
	}
	return s.save(st)
}

func (s *serialStore) Delete(_ context.Context, venID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.data, venID)
	return nil
}

func (s *serialStore) VENByRegistrationID(_ context.Context, regID string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range s.data {
		st, err := s.load(id)
		if err != nil {
			return "", err
		}
		if st.Registration.RegistrationID == regID {
			return id, nil
		}
	}
	return "", ErrUnknownVEN
}

func (s *serialStore) VENs(context.Context) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id := range s.data {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}

func TestSerialisingStore(t *testing.T) {
	v, clk := newVTN(t, WithStore(&serialStore{data: map[string][]byte{}}),
		WithReportRegistrationHook(RequestTelemetry(time.Minute, time.Minute)))
	venID, regID := register(t, v, "ven")
	send(t, v, oadr.ServiceEiReport, batteryReports(t, venID))
	id, err := v.CreateEvent(bg, venID, chargeThenDischarge(t, clk.Now().Add(time.Hour)))
	require.NoError(t, err)
	got := drain(t, v, venID)
	require.Len(t, got, 3)
	assert.Equal(t, "oadrRegisterReport", got[0].MessageName())
	assert.Len(t, as[*oadr.CreateReport](t, got[1]).ReportRequests, 2)
	d := as[*oadr.DistributeEvent](t, got[2])
	assert.Equal(t, id, d.Events[0].Descriptor.EventID)
	assert.Equal(t, -5.0, d.Events[0].Signals[0].Intervals[2].Value)

	upd := strings.ReplaceAll(string(sample(t, "battery/oadrUpdateReport_battery_TELEMETRY_USAGE.xml")), "VEN_FORTRESS_1", venID)
	sendRaw(t, v, oadr.ServiceEiReport, []byte(upd))
	ms, err := v.Telemetry(bg, venID)
	require.NoError(t, err)
	soc, ok := ms.Latest(QuantityStateOfCharge)
	require.True(t, ok)
	assert.InDelta(t, 0.581, soc.Value, 1e-9)

	a := as[*oadr.CreatedPartyRegistration](t, send(t, v, oadr.ServiceEiRegisterParty, &oadr.CreatePartyRegistration{
		RequestID: "R2", RegistrationID: regID, ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP}))
	assert.Equal(t, venID, a.VenID)
}
