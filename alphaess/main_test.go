package alphaess_test

import (
	"testing"

	"go.uber.org/goleak"
)

// The fake server and the HTTP clients run goroutines; none may outlive the
// tests.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
