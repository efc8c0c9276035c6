package openadr

import "sync"

// answerSignal wakes the calls that wait for a VEN's answers to events
// (Battery.SetSchedule, Battery.Await). A waiter subscribes to the VEN, reads
// the state it waits on from the Store, and sleeps on the channel until the
// request handler that records an oadrCreatedEvent (or anything else that
// settles the wait: a modification, a cancellation, the VEN leaving) closes
// it; then it reads the state again. Subscribing before reading means no
// answer can slip between the two. No goroutine and no timer is involved:
// the waiter's context bounds the wait.
//
// The signal is in process: with several VTN processes sharing one Store, an
// answer handled by another process does not wake this one's waiters (use
// WithoutWaiting and read Battery.ScheduleEvents there).
type answerSignal struct {
	mu sync.Mutex
	m  map[string]*answerWaiters // by venID
}

type answerWaiters struct {
	ch chan struct{} // closed by notify
	n  int           // subscribers, so the last to leave can drop the entry
}

// subscribe returns a channel that is closed at the next notify for venID,
// and the function to call once the caller stops waiting on it.
func (s *answerSignal) subscribe(venID string) (<-chan struct{}, func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[string]*answerWaiters)
	}
	w := s.m[venID]
	if w == nil {
		w = &answerWaiters{ch: make(chan struct{})}
		s.m[venID] = w
	}
	w.n++
	return w.ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		w.n--
		if w.n == 0 && s.m[venID] == w {
			delete(s.m, venID)
		}
	}
}

// notify wakes everyone waiting on venID.
func (s *answerSignal) notify(venID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w := s.m[venID]; w != nil {
		close(w.ch)
		delete(s.m, venID)
	}
}
