package pgstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// The wake-up of a Battery.SetSchedule waiting for a VEN's answer goes
// through PostgreSQL's LISTEN/NOTIFY, so that the VTN process that receives
// the answer wakes the one that waits. Notify sends a notification on the
// channel (the payload is the venID); Listen, run by the application, holds
// one connection of its own that listens on it and wakes this process's
// subscribers. Nothing starts by itself: without Listen, a wait is woken only
// by answers this process receives (Notify always wakes its own process
// directly).

// channel is the notification channel; its payload is a venID.
const channel = "gridwire_vtn_answers"

// waiters are the subscribers of this process, by venID.
type waiters struct {
	mu sync.Mutex
	m  map[string]*waiterSet
}

type waiterSet struct {
	ch chan struct{} // closed by wake
	n  int           // subscribers, so the last to leave can drop the set
}

// Subscribe implements openadr.Notifier. It does no I/O.
func (s *Store) Subscribe(venID string) (<-chan struct{}, func()) {
	w := &s.waiters
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.m == nil {
		w.m = make(map[string]*waiterSet)
	}
	set := w.m[venID]
	if set == nil {
		set = &waiterSet{ch: make(chan struct{})}
		w.m[venID] = set
	}
	set.n++
	return set.ch, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		set.n--
		if set.n == 0 && w.m[venID] == set {
			delete(w.m, venID)
		}
	}
}

// wake wakes this process's subscribers of venID.
func (s *Store) wake(venID string) {
	w := &s.waiters
	w.mu.Lock()
	defer w.mu.Unlock()
	if set := w.m[venID]; set != nil {
		close(set.ch)
		delete(w.m, venID)
	}
}

// wakeAll wakes every subscriber of this process: after (re)connecting,
// notifications sent meanwhile are lost, so every waiter reads again.
func (s *Store) wakeAll() {
	w := &s.waiters
	w.mu.Lock()
	defer w.mu.Unlock()
	for id, set := range w.m {
		close(set.ch)
		delete(w.m, id)
	}
}

// Notify implements openadr.Notifier: it wakes this process's subscribers
// of venID at once, and those of every process running Listen on the same
// database through a notification.
func (s *Store) Notify(ctx context.Context, venID string) error {
	s.wake(venID)
	if _, err := s.pool.Exec(ctx, `SELECT pg_notify($1, $2)`, channel, venID); err != nil {
		return fmt.Errorf("pgstore: notifying VEN %q: %w", venID, err)
	}
	return nil
}

// Listen wakes this process's waiting SetSchedule calls when another process
// sharing the database receives the VEN's answer. It holds one connection of
// its own (outside the pool), listens for notifications and runs until ctx
// ends, when it returns nil. A lost connection is logged (WithLogger) and
// made again, after a pause that grows to 5 s; every waiter is woken when it
// is back, since notifications sent meanwhile are lost. Run it in a
// goroutine of the application's, next to the HTTP server:
//
//	go store.Listen(ctx)
func (s *Store) Listen(ctx context.Context) error {
	pause := 100 * time.Millisecond
	for {
		connected, err := s.listen(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if connected {
			pause = 100 * time.Millisecond
		}
		s.log.WarnContext(ctx, "pgstore: listening for answers: connection lost; connecting again", "err", err, "in", pause)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(pause):
		}
		pause = min(2*pause, 5*time.Second)
	}
}

// listen listens on one connection until it fails or ctx ends; connected
// reports that it got as far as listening.
func (s *Store) listen(ctx context.Context) (connected bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, s.connCfg)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LISTEN `+channel); err != nil {
		return false, err
	}
	s.wakeAll()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true, err
		}
		s.wake(n.Payload)
	}
}
