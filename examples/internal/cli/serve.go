package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Server is an http.Server running on a listener in the background, as
// every example that serves runs one: Serve starts it, Done tells when it
// stopped by itself, and Stop shuts it down.
type Server struct {
	srv  *http.Server
	done chan struct{}
	err  error // Serve's, unless http.ErrServerClosed; read after done
}

// The timeouts Serve gives an http.Server that sets none: a client that
// sends its request slowly, or reads the answer slowly, does not hold a
// connection for ever.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	stopTimeout       = 5 * time.Second
)

// Serve serves srv on ln in the background. Timeouts srv leaves at zero get
// the examples' defaults (10 s to read a request's header, 30 s to read
// the request and to write the answer, 2 minutes idle).
func Serve(srv *http.Server, ln net.Listener) *Server {
	for _, t := range []struct {
		p *time.Duration
		d time.Duration
	}{{&srv.ReadHeaderTimeout, readHeaderTimeout}, {&srv.ReadTimeout, readTimeout}, {&srv.WriteTimeout, writeTimeout}, {&srv.IdleTimeout, idleTimeout}} {
		if *t.p == 0 {
			*t.p = t.d
		}
	}
	s := &Server{srv: srv, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.err = err
		}
	}()
	return s
}

// Done is closed once the server has stopped serving: by itself, when its
// listener failed (Stop returns why), or after Stop.
func (s *Server) Done() <-chan struct{} { return s.done }

// Stop shuts the server down, giving the requests in flight up to 5
// seconds, and returns why it stopped by itself if it did, or nil.
func (s *Server) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	shutdown := s.srv.Shutdown(ctx)
	<-s.done
	switch {
	case s.err != nil:
		return s.err
	case shutdown != nil:
		return fmt.Errorf("shutdown: %w", shutdown)
	}
	return nil
}
