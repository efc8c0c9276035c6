package openadr_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// A VTN that signs refuses push registrations (459): a push would go
// unsigned, and the VEN's answer in its HTTP response comes without the
// client certificate it is checked against.
func TestSigningVTNRefusesPush(t *testing.T) {
	w := newSignedWorld(t)
	_, _, c := w.client("pusher", 7)
	body, err := oadr.Marshal(&oadr.CreatePartyRegistration{
		RequestID: "REQ_PUSH", ProfileName: oadr.Profile20b, TransportName: oadr.TransportSimpleHTTP,
		TransportAddress: "https://127.0.0.1:9/", VenName: "pusher", HTTPPullModel: new(false),
	})
	require.NoError(t, err)
	a, ok := w.post(c, oadr.ServiceEiRegisterParty, body).(*oadr.CreatedPartyRegistration)
	require.True(t, ok)
	assert.Equal(t, oadr.CodeComplianceError, a.Response.Code)
	assert.Empty(t, a.VenID)
}
