package openadr

import (
	"context"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// poll answers oadrPoll with the oldest queued message, or with an empty
// oadrResponse (200, empty requestID: oadrPoll has none) when nothing waits.
func (v *VTN) poll(ctx context.Context, c Caller, m *oadr.Poll) (oadr.Message, error) {
	var answer oadr.Message
	err := v.updateVEN(ctx, c, m.VenID, func(st *VENState) error {
		q, ok := st.dequeue()
		switch {
		case !ok:
		case q.Message == nil:
			// An event notice: the event list as of now. The eiResponse
			// answers no oadrRequestEvent, so its requestID is empty.
			answer = v.distributeEvent(st, oadr.OK(""), v.clock.Now())
		default:
			answer = q.Message
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if answer == nil {
		return ack("", m.VenID), nil
	}
	return answer, nil
}
