package conformance_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/internal/conformance"
)

var skips conformance.Skips

func TestMain(m *testing.M) {
	code := m.Run()
	skips.Print()
	os.Exit(code)
}

func TestCorpusShipsWithTheRepository(t *testing.T) {
	_, err := os.Stat(conformance.Schema())
	require.NoError(t, err)
	b := conformance.ReadSample(t, "battery/oadrPoll_battery.xml")
	assert.Contains(t, string(b), "oadrPoll")
}

func TestValidateTellsValidFromInvalid(t *testing.T) {
	if _, err := conformance.Xmllint(); err != nil {
		skips.Skip(t, err.Error())
	}
	valid := conformance.ReadSample(t, "battery/oadrPoll_battery.xml")
	invalid := conformance.ReadSample(t, "invalid/avob-xsd-fail/eievent_unvalidationOadrRequestEvent.xml")
	failures, err := conformance.Validate(map[string][]byte{"good.xml": valid, "bad.xml": invalid})
	require.NoError(t, err)
	assert.NotContains(t, failures, "good.xml")
	assert.Contains(t, failures, "bad.xml")
	assert.NotEmpty(t, failures["bad.xml"], "xmllint's reason is kept")
}

func TestSkipLine(t *testing.T) {
	var s conformance.Skips
	assert.Empty(t, s.Line())
	s.Note("TestA", "no xmllint on PATH (Debian: apt-get install libxml2-utils)")
	s.Note("TestB", "no xmllint on PATH (Debian: apt-get install libxml2-utils)")
	s.Note("TestC", "xmlsec1 not found (Debian: apt-get install xmlsec1)")
	assert.Equal(t, "gridwire: skipped 3 OpenADR conformance tests: no xmllint on PATH (Debian: apt-get install libxml2-utils)"+
		" and xmlsec1 not found (Debian: apt-get install xmlsec1); CI=true makes that a failure", s.Line(),
		"each missing tool named once, with how to install it")
}
