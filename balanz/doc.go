// Package balanz is a client for the WebSocket API of balanz, an OCPP 1.6
// smart-charging server that shares a site's current among EV chargers,
// and offers each charger connector as an energy.Charger.
//
//	c, err := balanz.Dial(ctx, "ws://balanz.local:9999/api")
//	if err != nil { … }
//	defer c.Close()
//	if _, err := c.Login(ctx, "operator"+"password"); err != nil { … }
//	chargers, err := c.Chargers(ctx, balanz.ChargerFilter{GroupID: "RR2"})
//
// # Protocol
//
// balanz speaks OCPP-J-style frames on one connection that must offer the
// ocpp1.6 subprotocol: [2, id, command, payload] out, [3, id, payload] or
// the three-element [4, id, payload] back. It answers one request at a time,
// in order, and answers a request it failed on with the fixed id "007";
// the client gives such an answer to the oldest call in flight. Many
// goroutines may share a Client; each call's context bounds it, and a call
// given up keeps its place so that later answers still reach their own
// callers. balanz never pushes: poll.
//
// # Commands
//
// Every command balanz 1.2.3 implements has a method; Call reaches any
// other (balanz says "Invalid Command X" to unknown ones, an *Error
// wrapping energy.ErrUnsupported).
//
//	Login              Login                GetStatus          ServerStatus
//	GetLogs            Logs                 SetConfig          SetConfig
//	DrawAll            DrawAll              GetUsers           Users
//	CreateUser         CreateUser           UpdateUser         UpdateUser
//	DeleteUser         DeleteUser           GetFirmware        Firmware
//	CreateFirmware     CreateFirmware       ModifyFirmware     ModifyFirmware
//	DeleteFirmware     DeleteFirmware       ReloadFirmware     ReloadFirmware
//	GetGroups          Groups               ReloadGroups       ReloadGroups
//	UpdateGroup        UpdateGroup          SetBalanzState     SetBalanzState
//	GetChargers        Chargers             ReloadChargers     ReloadChargers
//	CreateCharger      CreateCharger        UpdateCharger      UpdateCharger
//	DeleteCharger      DeleteCharger        ResetChargerAuth   ResetChargerAuth
//	GetTags            Tags                 ReloadTags         ReloadTags
//	CreateTag          CreateTag            UpdateTag          UpdateTag
//	DeleteTag          DeleteTag            SetLogLevel        SetLogLevel
//	GetSessions        Sessions             GetCSVSessions     SessionsCSV
//	SetChargePriority  SetChargePriority
//
// and the OCPP pass-throughs, which balanz forwards to the charger:
// ClearDefaultProfiles, ClearDefaultProfile, SetDefaultProfile,
// SetTxProfile, Reset, RemoteStartTransaction, RemoteStopTransaction,
// GetConfiguration, ChangeConfiguration, TriggerMessage and UpdateFirmware,
// each a method of the same name. A charger is named by id or alias
// (ChargerRef). Which commands a user may call depends on the user type
// (UserType); others answer StatusNotAuthorized.
//
// # Values
//
// balanz writes some times as epoch seconds and some as "YYYY-MM-DD
// HH:MM:SS" in its server's local time; Time reads both, and the client
// places wall-clock strings in the location set by WithLocation. Numbers may
// come as integers, floats or strings (Number, Int), durations as seconds or
// "H:MM:SS" (Seconds): one odd value should not make a whole answer
// unreadable. A live transaction's energy_meter is the charger's cumulative
// meter reading (session energy is EnergyMeter - MeterStart), while a stored
// session's is the session's energy.
//
// # Errors
//
// An error answer is an *Error with the command and its Status; statuses
// map onto the energy sentinels (NotAuthorized and InvalidLogin:
// ErrUnauthorized; ChargerNotConnected: ErrUnavailable; IllegalArguments and
// InvalidParameters: ErrInvalid; "Invalid Command X": ErrUnsupported). A
// lost connection is a *ConnError wrapping energy.ErrUnavailable; an answer
// of the wrong shape a *DecodeError. Tokens never appear in errors or logs.
//
// The fake in balanz/balanztest answers like the real server and simulates
// chargers; use it in tests and offline.
package balanz
