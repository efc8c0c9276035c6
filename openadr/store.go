package openadr

import (
	"context"
	"errors"
	"time"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// Store keeps the VTN's state: one VENState per registered VEN. The VTN reads
// and changes a VEN's state only through View and Update, so a durable store
// (SQL, a key-value store) can replace the in-memory default without touching
// the handler. Implementations must be safe for concurrent use.
//
// The VTN never calls a hook or another Store method from inside fn, and its
// functions do no I/O, so an implementation may hold a lock (or a transaction)
// for the duration of fn. In turn, View and Update call fn only before they
// return (once, or again on a retry) and keep no reference to it: the VTN
// reuses its callbacks from one request to the next, so a store that ran fn
// later (a write-behind queue, a goroutine left behind on a timeout) would
// change another request's state.
type Store interface {
	// Create stores the state of a new VEN. It fails with an error wrapping
	// ErrDuplicateVEN when st.Registration.VenID is already stored.
	Create(ctx context.Context, st *VENState) error
	// View calls fn with the state of venID for reading; fn must not keep
	// or change it. It fails with an error wrapping ErrUnknownVEN when the
	// VEN is not stored.
	View(ctx context.Context, venID string, fn func(*VENState) error) error
	// Update calls fn with the state of venID and saves what fn leaves,
	// atomically with respect to other Updates and Views of that VEN. When fn
	// returns an error nothing must be saved (the VTN's functions validate
	// before they change anything, so an in-memory store may change the state
	// in place). It fails with an error wrapping ErrUnknownVEN when the VEN
	// is not stored.
	Update(ctx context.Context, venID string, fn func(*VENState) error) error
	// Delete removes venID and everything about it; deleting an unknown VEN
	// is not an error.
	Delete(ctx context.Context, venID string) error
	// VENByRegistrationID returns the venID holding registrationID, or an
	// error wrapping ErrUnknownVEN.
	VENByRegistrationID(ctx context.Context, registrationID string) (string, error)
	// VENs returns the IDs of all stored VENs in ascending order.
	VENs(ctx context.Context) ([]string, error)
}

// VENState is everything the VTN knows about one registered VEN. Its fields
// are plain data so that a durable Store can serialise them; poll-queue
// messages round-trip through oadr.Marshal and oadr.Unmarshal.
type VENState struct {
	// An empty poll reads the end of Registration and the next three fields
	// and nothing else (on a MemStore, mostly not even those: see quiet.go):
	// they are kept together so that it touches as little memory as it can
	// (a VTN answers many thousands of VENs' polls from memory).
	Registration Registration
	// Contact is the VEN's liveness: its latest request and whether it has
	// been reported silent (see VTN.CheckLiveness).
	Contact Contact
	// Queue holds the VTN-initiated messages waiting for the VEN's polls,
	// oldest first.
	Queue []Queued
	// Delivered are the messages polls delivered that still wait for the
	// VEN's answer, oldest first; one unanswered for long enough is sent
	// again (see WithRedeliverAfter).
	Delivered []Delivered `json:",omitempty"`
	// Reports are the metadata reports the VEN offered in its latest
	// oadrRegisterReport; they give each data point (rID) its unit.
	Reports []oadr.Report
	// ReportRequests are the VTN's requests for the VEN's reports.
	ReportRequests []ReportRequestState
	// Events are the events created for the VEN, including cancelled and
	// completed ones until they are pruned (a day after their end).
	Events []EventState
	// Opts are the VEN's opt schedules and event opts from EiOpt that it has
	// not cancelled.
	Opts []Opt
	// Telemetry is the latest measurement of every data point, one per
	// (resource, rID).
	Telemetry []Measurement
	// Schedules are the eventIDs of the battery schedule Battery.SetSchedule
	// sent last, in schedule order, by resourceID ("" for the whole VEN).
	Schedules map[string][]string
}

// Registration is a VEN's registration with the VTN.
type Registration struct {
	VenID          string
	RegistrationID string
	VenName        string // oadrVenName, optional
	ProfileName    oadr.ProfileName
	TransportName  oadr.TransportName
	// TransportAddress is what the VEN sent (push VENs only; OpenLEADR sends
	// the string "None"). The VTN pushes to it when Push is set.
	TransportAddress string
	// CancelRequestID is the requestID of the VTN's oadrCancelPartyRegistration
	// while the VTN waits for the VEN's oadrCanceledPartyRegistration.
	CancelRequestID string
	// Push reports a VEN registered with oadrHttpPullModel false, to which
	// the VTN posts its messages (see VTN.Deliver).
	Push         bool `json:",omitempty"`
	ReportOnly   bool
	XMLSignature bool
	// Fingerprint is the TLS client certificate fingerprint the VEN
	// registered with (see Caller), "" when it had none; every later request
	// for this venID must come with the same certificate, or without one
	// when it is "". Only VTN.BindCertificate changes it.
	Fingerprint  string
	RegisteredAt time.Time
	// The fields from XMLSignature on are those every request reads; they
	// are last, next to VENState's Contact (see VENState).
}

// Queued is one entry of a VEN's poll queue.
type Queued struct {
	// Message is delivered as is. A nil Message stands for the VEN's current
	// event list: it is turned into an oadrDistributeEvent when the VEN polls,
	// so that statuses and modification numbers are current on delivery.
	Message  oadr.Message
	QueuedAt time.Time
}

// Name returns the element name of the message the entry delivers.
func (q Queued) Name() string {
	if q.Message == nil {
		return "oadrDistributeEvent"
	}
	return q.Message.MessageName()
}

// Delivered is a message a poll delivered that waits for the VEN's answer:
// oadrCreatedEvent for an event list, oadrCreatedReport for
// oadrCreateReport, oadrRegisteredReport for the VTN's oadrRegisterReport,
// oadrCanceledReport for oadrCancelReport, oadrCanceledPartyRegistration for
// oadrCancelPartyRegistration.
type Delivered struct {
	// Entry is the queue entry the poll took; a nil Message is the VEN's
	// event list, built again with the state of the moment when it is sent
	// again.
	Entry Queued
	// RequestID is the requestID the VEN's answer carries; "" for an event
	// list.
	RequestID string `json:",omitempty"`
	// Events are the events of a delivered event list that ask for an
	// answer, at the modification sent.
	Events []EventRef `json:",omitempty"`
	// Polls counts the VEN's polls since the message was last sent.
	Polls int
	// Sent counts how often the message was sent.
	Sent int
}

// EventRef names one modification of an event.
type EventRef struct {
	EventID            string
	ModificationNumber uint32
}

// Notifier is an optional capability of a Store shared by several VTN
// processes: it carries the wake-up of a Battery.SetSchedule (or
// Battery.Await) waiting in one process for a VEN's answer that another
// process receives. The VTN discovers it by type assertion on the Store given
// to WithStore; without it the wake-up stays in process, which is all a
// Store used by one process (MemStore, a SQLite file) needs.
//
// Waiting follows subscribe, read, sleep: the VTN subscribes, reads the
// state it waits on from the Store, and sleeps until the channel closes,
// then reads again. A spurious wake-up costs one read, so an implementation
// may wake more often than needed (after a reconnection, say), never less.
type Notifier interface {
	// Notify wakes the waiters on venID in every process sharing the
	// store, this one included. The VTN calls it after the change is
	// stored.
	Notify(ctx context.Context, venID string) error
	// Subscribe returns a channel closed at the first Notify for venID,
	// from any process, after Subscribe returned; stop releases it. It
	// does no I/O.
	Subscribe(venID string) (woken <-chan struct{}, stop func())
}

// VENCounter is an optional capability of a Store: the number of stored
// VENs without listing them. The VTN counts VENs at every registration
// (WithMaxVENs); without it, it lists them (Store.VENs), which costs a
// registration time in proportion to the fleet.
type VENCounter interface {
	// CountVENs returns how many VENs are stored.
	CountVENs(ctx context.Context) (int, error)
}

// countVENs returns how many VENs s stores.
func countVENs(ctx context.Context, s Store) (int, error) {
	if c, ok := s.(VENCounter); ok {
		return c.CountVENs(ctx)
	}
	ids, err := s.VENs(ctx)
	return len(ids), err
}

// stored reports whether s stores venID.
func stored(ctx context.Context, s Store, venID string) (bool, error) {
	err := s.View(ctx, venID, func(*VENState) error { return nil })
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrUnknownVEN):
		return false, nil
	}
	return false, err
}
