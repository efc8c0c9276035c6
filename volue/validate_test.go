package volue_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"

	"github.com/gridwire/gridwire/energy"
	"github.com/gridwire/gridwire/volue"
)

func TestInvalidInputRejectedBeforeIO(t *testing.T) {
	home := volue.Coordinates{Latitude: 63.1, Longitude: 10.7}
	charge := func(f func(*volue.VehicleChargeAction)) volue.Report {
		p := &volue.VehicleChargeAction{ResourceID: "r", Location: home, ActionType: volue.ChargeStart, Power: 11000, StateOfCharge: 0.5, BatteryCapacity: 75000}
		f(p)
		return volue.Report{EventID: "e", Payloads: []volue.ReportPayload{p}}
	}
	usage := func(pts ...volue.EnergyPoint) volue.Report {
		return volue.Report{EventID: "e", Payloads: []volue.ReportPayload{&volue.EnergyUsage{ResourceID: "r", LocationID: "l", CurvePoints: pts}}}
	}
	okMeter := volue.Meter{Location: home, MeterPointID: "mp"}
	for _, tc := range []struct {
		field string
		call  func(ctx context.Context, c *volue.Client) error
	}{
		{"userID", func(ctx context.Context, c *volue.Client) error { return c.AddVehicle(ctx, "", volue.Vehicle{ID: "v"}) }},
		{"Vehicle.ID", func(ctx context.Context, c *volue.Client) error { return c.AddVehicle(ctx, "u", volue.Vehicle{}) }},
		{"Vehicle.Metadata.Year", func(ctx context.Context, c *volue.Client) error {
			return c.AddVehicle(ctx, "u", volue.Vehicle{ID: "v", Metadata: volue.VehicleMetadata{Year: -1}})
		}},
		{"Meter.MeterPointID", func(ctx context.Context, c *volue.Client) error {
			_, err := c.AddMeter(ctx, "u", volue.Meter{Location: home})
			return err
		}},
		{"Meter.Location.Latitude", func(ctx context.Context, c *volue.Client) error {
			m := okMeter
			m.Location.Latitude = 91
			_, err := c.AddMeter(ctx, "u", m)
			return err
		}},
		{"Meter.Location.Longitude", func(ctx context.Context, c *volue.Client) error {
			m := okMeter
			m.Location.Longitude = math.NaN()
			_, err := c.AddMeter(ctx, "u", m)
			return err
		}},
		{"Resource.ID", func(ctx context.Context, c *volue.Client) error {
			return c.AddResource(ctx, "u", volue.Resource{Metadata: &volue.HotWaterTankMetadata{}})
		}},
		{"Resource.Metadata", func(ctx context.Context, c *volue.Client) error {
			return c.AddResource(ctx, "u", volue.Resource{ID: "r"})
		}},
		{"Resource.Metadata.Capacity", func(ctx context.Context, c *volue.Client) error {
			return c.AddResource(ctx, "u", volue.Resource{ID: "r", Metadata: &volue.HotWaterTankMetadata{Capacity: -1}})
		}},
		{"Resource.Metadata.HeatingElements[1]", func(ctx context.Context, c *volue.Client) error {
			return c.AddResource(ctx, "u", volue.Resource{ID: "r", Metadata: &volue.HotWaterTankMetadata{HeatingElements: []energy.Watts{1, -2}}})
		}},
		{"Resource.Metadata.Raw", func(ctx context.Context, c *volue.Client) error {
			return c.AddResource(ctx, "u", volue.Resource{ID: "r", Metadata: &volue.UnknownMetadata{Type: "X", Raw: []byte(`[1]`)}})
		}},
		{"locationID", func(ctx context.Context, c *volue.Client) error {
			return c.AddLocationResource(ctx, "u", "", volue.Resource{ID: "r", Metadata: &volue.VehicleMetadata{}})
		}},
		{"Location.ID", func(ctx context.Context, c *volue.Client) error { return c.CreateLocation(ctx, "u", volue.Location{}) }},
		{"Location.Coordinates.Latitude", func(ctx context.Context, c *volue.Client) error {
			return c.CreateLocation(ctx, "u", volue.Location{ID: "l", Coordinates: &volue.Coordinates{Latitude: -90.5}})
		}},
		{"LocationUpdate.Coordinates.Longitude", func(ctx context.Context, c *volue.Client) error {
			return c.UpdateLocation(ctx, "u", "l", volue.LocationUpdate{Coordinates: &volue.Coordinates{Longitude: 181}})
		}},
		{"resourceID", func(ctx context.Context, c *volue.Client) error { _, err := c.GetResource(ctx, ""); return err }},
		{"resourceID", func(ctx context.Context, c *volue.Client) error { return c.DeleteResource(ctx, "") }},
		{"eventID", func(ctx context.Context, c *volue.Client) error { _, err := c.GetEvent(ctx, ""); return err }},
		{"webhookID", func(ctx context.Context, c *volue.Client) error { return c.DeleteWebhook(ctx, "") }},
		{"webhookID", func(ctx context.Context, c *volue.Client) error { return c.TestWebhook(ctx, "") }},
		{"NewWebhook.URL", func(ctx context.Context, c *volue.Client) error {
			_, err := c.CreateWebhook(ctx, volue.NewWebhook{URL: "/relative", Secret: "s"})
			return err
		}},
		{"NewWebhook.Secret", func(ctx context.Context, c *volue.Client) error {
			_, err := c.CreateWebhook(ctx, volue.NewWebhook{URL: "https://x.example/h"})
			return err
		}},
		{"Report.EventID", func(ctx context.Context, c *volue.Client) error {
			_, err := c.SendReport(ctx, volue.Report{})
			return err
		}},
		{"Report.Payloads", func(ctx context.Context, c *volue.Client) error {
			_, err := c.SendReport(ctx, volue.Report{EventID: "e"})
			return err
		}},
		{"Report.Payloads[0].StateOfCharge", func(ctx context.Context, c *volue.Client) error {
			_, err := c.SendReport(ctx, charge(func(p *volue.VehicleChargeAction) { p.StateOfCharge = 50 }))
			return err
		}},
		{"Report.Payloads[0].Power", func(ctx context.Context, c *volue.Client) error {
			_, err := c.SendReport(ctx, charge(func(p *volue.VehicleChargeAction) { p.Power = -1 }))
			return err
		}},
		{"Report.Payloads[0].BatteryCapacity", func(ctx context.Context, c *volue.Client) error {
			_, err := c.SendReport(ctx, charge(func(p *volue.VehicleChargeAction) { p.BatteryCapacity = energy.WattHours(math.Inf(1)) }))
			return err
		}},
		{"Report.Payloads[0].ActionType", func(ctx context.Context, c *volue.Client) error {
			_, err := c.SendReport(ctx, charge(func(p *volue.VehicleChargeAction) { p.ActionType = "" }))
			return err
		}},
		{"Report.Payloads[0].Location.Latitude", func(ctx context.Context, c *volue.Client) error {
			_, err := c.SendReport(ctx, charge(func(p *volue.VehicleChargeAction) { p.Location.Latitude = 100 }))
			return err
		}},
		{"Report.Payloads[0].CurvePoints", func(ctx context.Context, c *volue.Client) error { _, err := c.SendReport(ctx, usage()); return err }},
		{"Report.Payloads[0].CurvePoints[0].Start", func(ctx context.Context, c *volue.Client) error {
			_, err := c.SendReport(ctx, usage(volue.EnergyPoint{Start: hour.Add(30 * time.Minute), Energy: 1}))
			return err
		}},
		{"Report.Payloads[0].CurvePoints[1].Start", func(ctx context.Context, c *volue.Client) error {
			_, err := c.SendReport(ctx, usage(volue.EnergyPoint{Start: hour, Energy: 1}, volue.EnergyPoint{Start: hour, Energy: 2}))
			return err
		}},
		{"Report.Payloads[0].CurvePoints[0].Energy", func(ctx context.Context, c *volue.Client) error {
			_, err := c.SendReport(ctx, usage(volue.EnergyPoint{Start: hour, Energy: -1}))
			return err
		}},
		{"Report.Payloads[0]", func(ctx context.Context, c *volue.Client) error {
			_, err := c.SendReport(ctx, volue.Report{EventID: "e", Payloads: []volue.ReportPayload{(*volue.EnergyUsage)(nil)}})
			return err
		}},
		{"Resource.Metadata", func(ctx context.Context, c *volue.Client) error {
			return c.AddResource(ctx, "u", volue.Resource{ID: "r", Metadata: (*volue.HotWaterTankMetadata)(nil)})
		}},
		{"Report.Payloads[0].MeterPointID", func(ctx context.Context, c *volue.Client) error {
			_, err := c.SendReport(ctx, volue.Report{EventID: "e", Payloads: []volue.ReportPayload{&volue.LocationEnergyUsage{LocationID: "l"}}})
			return err
		}},
	} {
		t.Run(tc.field, func(t *testing.T) {
			c, mt, _ := newMock(t)
			mt.RegisterNoResponder(httpmock.NewStringResponder(200, "{}"))
			wantField(t, tc.call(t.Context(), c), tc.field)
			assert.Zero(t, mt.GetTotalCallCount(), "no I/O, not even a token")
		})
	}
}
