package alphaess_test

import (
	"context"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/alphaess/alphaesstest"
)

// BenchmarkLastPowerData compares getLastPowerData through the client (the
// fake's Client, whose pacing is off, or it would wait 10 s a call)
// with the least a hand-written caller does: net/http, a SHA-512 signature
// and encoding/json into a struct of the same nullable fields. Both talk to
// the same in-process fake, which checks the signature and timestamp of
// every call.
func BenchmarkLastPowerData(b *testing.B) {
	srv := alphaesstest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	b.Run("client", func(b *testing.B) {
		c := srv.Client()
		b.ReportAllocs()
		for b.Loop() {
			_, err := c.LastPowerData(ctx)
			require.NoError(b, err)
		}
	})

	b.Run("bare-net-http", func(b *testing.B) {
		hc := http.DefaultClient
		url := srv.URL + "/getLastPowerData?sysSn=" + srv.SerialNumber
		var env struct {
			Code int    `json:"code"`
			Msg  string `json:"msg"`
			Data *struct {
				Ppv       *float64 `json:"ppv"`
				PpvDetail struct {
					Ppv1, Ppv2, Ppv3, Ppv4, PmeterDc *float64
				} `json:"ppvDetail"`
				Pload, Soc, Pgrid, Pbat, Pev *float64
				PgridDetail                  struct{ PmeterL1, PmeterL2, PmeterL3 *float64 } `json:"pgridDetail"`
				PrealL1, PrealL2, PrealL3    *float64
				PevDetail                    struct{ Ev1Power, Ev2Power, Ev3Power, Ev4Power *float64 } `json:"pevDetail"`
			} `json:"data"`
		}
		b.ReportAllocs()
		for b.Loop() {
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			sum := sha512.Sum512([]byte(srv.AppID + srv.AppSecret + ts))
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			require.NoError(b, err)
			req.Header.Set("appId", srv.AppID)
			req.Header.Set("timeStamp", ts)
			req.Header.Set("sign", hex.EncodeToString(sum[:]))
			req.Header.Set("Content-Type", "application/json")
			resp, err := hc.Do(req)
			require.NoError(b, err)
			err = json.NewDecoder(resp.Body).Decode(&env)
			resp.Body.Close()
			require.NoError(b, err)
			require.Equal(b, 200, env.Code)
			require.NotNil(b, env.Data)
		}
	})
}
