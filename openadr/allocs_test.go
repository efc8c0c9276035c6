package openadr_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/oadr"
)

// TestEmptyPollAllocations holds the VTN to its allocations for the
// commonest request, an empty poll: 3 (the decoded poll, its venID and the
// answer), counted as what the VTN adds to a bare handler posted the same
// way. The idle check's callback used to add 2 more.
func TestEmptyPollAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	v, err := openadr.NewVTN("VTN_ALLOCS")
	require.NoError(t, err)
	id := benchRegister(t, v, "battery-allocs")
	poll := benchMarshal(t, &oadr.Poll{VenID: id})
	vtn := newPollServer(v)
	answer := append([]byte(nil), vtn.poll(poll)...)
	require.Contains(t, string(answer), "oadrResponse>")
	bare := newPollServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(answer) }))
	bare.poll(poll)

	ours := testing.AllocsPerRun(200, func() { vtn.poll(poll) })
	base := testing.AllocsPerRun(200, func() { bare.poll(poll) })
	assert.LessOrEqual(t, ours-base, 3.0, "allocations per empty poll beyond the bare handler's %v", base)
}
