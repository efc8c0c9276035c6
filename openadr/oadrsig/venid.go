package oadrsig

import "github.com/gridwire/gridwire/openadr/oadr"

// venID returns the venID a message carries, "" for those without one.
func venID(m oadr.Message) string {
	switch m := m.(type) {
	case *oadr.RequestEvent:
		return m.VenID
	case *oadr.CreatedEvent:
		return m.VenID
	case *oadr.CreateOpt:
		return m.VenID
	case *oadr.CancelOpt:
		return m.VenID
	case *oadr.CreatePartyRegistration:
		return m.VenID
	case *oadr.CreatedPartyRegistration:
		return m.VenID
	case *oadr.CancelPartyRegistration:
		return m.VenID
	case *oadr.CanceledPartyRegistration:
		return m.VenID
	case *oadr.RequestReregistration:
		return m.VenID
	case *oadr.RegisterReport:
		return m.VenID
	case *oadr.RegisteredReport:
		return m.VenID
	case *oadr.CreateReport:
		return m.VenID
	case *oadr.CreatedReport:
		return m.VenID
	case *oadr.UpdateReport:
		return m.VenID
	case *oadr.UpdatedReport:
		return m.VenID
	case *oadr.CancelReport:
		return m.VenID
	case *oadr.CanceledReport:
		return m.VenID
	case *oadr.Response:
		return m.VenID
	case *oadr.Poll:
		return m.VenID
	}
	return ""
}
