package balanz_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gridwire/gridwire/balanz"
	"github.com/gridwire/gridwire/energy"
)

// Input a method can check itself is refused before anything is sent.
func TestInvalidInputNoIO(t *testing.T) {
	srv, c, _ := fake(t)
	none := balanz.ChargerRef{}
	ref := balanz.ByID("X")
	before := srv.Requests()
	for name, err := range map[string]error{
		"SetConfig":            c.SetConfig(ctx(t), "", "k", "v"),
		"SetLogLevel":          c.SetLogLevel(ctx(t), "ocpp", ""),
		"CreateUser":           c.CreateUser(ctx(t), balanz.User{UserID: "u"}, ""),
		"UpdateUser":           c.UpdateUser(ctx(t), balanz.User{}, "pw"),
		"DeleteUser":           c.DeleteUser(ctx(t), ""),
		"CreateFirmware":       c.CreateFirmware(ctx(t), balanz.Firmware{}),
		"ModifyFirmware":       c.ModifyFirmware(ctx(t), balanz.Firmware{}),
		"DeleteFirmware":       c.DeleteFirmware(ctx(t), ""),
		"UpdateGroup":          c.UpdateGroup(ctx(t), balanz.GroupUpdate{}),
		"SetBalanzState":       c.SetBalanzState(ctx(t), "", true),
		"CreateCharger":        c.CreateCharger(ctx(t), balanz.NewCharger{ChargerID: "X"}),
		"CreateCharger/conn":   c.CreateCharger(ctx(t), balanz.NewCharger{ChargerID: "X", GroupID: "G", ConnMax: -1}),
		"UpdateCharger":        c.UpdateCharger(ctx(t), balanz.ChargerUpdate{}),
		"DeleteCharger":        c.DeleteCharger(ctx(t), none),
		"ResetChargerAuth":     c.ResetChargerAuth(ctx(t), none),
		"SetChargePriority":    c.SetChargePriority(ctx(t), ref, -1, 1),
		"CreateTag":            c.CreateTag(ctx(t), balanz.Tag{}),
		"UpdateTag":            c.UpdateTag(ctx(t), balanz.TagUpdate{}),
		"DeleteTag":            c.DeleteTag(ctx(t), ""),
		"ClearDefaultProfiles": c.ClearDefaultProfiles(ctx(t), none),
		"ClearDefaultProfile":  c.ClearDefaultProfile(ctx(t), none, 1, 1),
		"SetDefaultProfile":    c.SetDefaultProfile(ctx(t), ref, balanz.DefaultProfile{Limit: math.Inf(1)}),
		"SetTxProfile":         c.SetTxProfile(ctx(t), ref, 1, 1, -6),
		"Reset":                c.Reset(ctx(t), ref, "Warm"),
		"RemoteStart":          c.RemoteStartTransaction(ctx(t), ref, 1, ""),
		"RemoteStop":           c.RemoteStopTransaction(ctx(t), none, 1),
		"ChangeConfiguration":  c.ChangeConfiguration(ctx(t), ref, "", "v"),
		"TriggerMessage":       c.TriggerMessage(ctx(t), ref, "", 1),
		"UpdateFirmware":       c.UpdateFirmware(ctx(t), ref, ""),
	} {
		var fe *energy.FieldError
		assert.ErrorAs(t, err, &fe, name)
	}
	_, err := c.GetConfiguration(ctx(t), none)
	var fe *energy.FieldError
	assert.ErrorAs(t, err, &fe)
	assert.Equal(t, before, srv.Requests())
}
