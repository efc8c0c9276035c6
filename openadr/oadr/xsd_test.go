package oadr_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gridwire/gridwire/openadr/oadr"
)

// allMessageNames is every message of the simple-HTTP profile (the choice in
// oadrSignedObject).
var allMessageNames = []string{
	"oadrQueryRegistration", "oadrCreatePartyRegistration", "oadrCreatedPartyRegistration",
	"oadrCancelPartyRegistration", "oadrCanceledPartyRegistration", "oadrRequestReregistration",
	"oadrRegisterReport", "oadrRegisteredReport", "oadrCreateReport", "oadrCreatedReport",
	"oadrUpdateReport", "oadrUpdatedReport", "oadrCancelReport", "oadrCanceledReport",
	"oadrRequestEvent", "oadrDistributeEvent", "oadrCreatedEvent",
	"oadrCreateOpt", "oadrCreatedOpt", "oadrCancelOpt", "oadrCanceledOpt",
	"oadrPoll", "oadrResponse",
}

// validate runs one xmllint over all docs (name → document) and returns the
// verdict per name: "" when valid, else xmllint's messages for that file.
func validate(t *testing.T, docs map[string][]byte) map[string]string {
	t.Helper()
	bin, schema := xmllint(t)
	dir := t.TempDir()
	byPath := map[string]string{}
	var paths []string
	i := 0
	for name, doc := range docs {
		p := filepath.Join(dir, fmt.Sprintf("%03d.xml", i))
		i++
		require.NoError(t, os.WriteFile(p, doc, 0o600))
		byPath[p] = name
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var out bytes.Buffer
	cmd := exec.Command(bin, append([]string{"--noout", "--schema", schema}, paths...)...)
	cmd.Stdout, cmd.Stderr = &out, &out
	_ = cmd.Run() // the exit status is non-zero when any file fails; the lines tell which
	// xmllint prints "<file> validates" for a good file, and for a bad one
	// error lines starting with "<file>:" followed by "<file> fails to validate".
	verdict := map[string]string{}
	lines := strings.Split(out.String(), "\n")
	for _, p := range paths {
		var errs []string
		valid := false
		for _, line := range lines {
			switch {
			case line == p+" validates":
				valid = true
			case strings.HasPrefix(line, p+":"), line == p+" fails to validate":
				errs = append(errs, line)
			}
		}
		switch {
		case valid && len(errs) == 0:
			verdict[byPath[p]] = ""
		case len(errs) == 0:
			verdict[byPath[p]] = "no verdict from xmllint:\n" + out.String()
		default:
			verdict[byPath[p]] = strings.Join(errs, "\n")
		}
	}
	return verdict
}

// TestMarshalValidatesAgainstXSD marshals a realistic value of every message
// type and validates the document with xmllint against oadr_20b.xsd.
func TestMarshalValidatesAgainstXSD(t *testing.T) {
	docs := map[string][]byte{}
	for _, f := range fixtures() {
		b, err := oadr.Marshal(f.msg)
		require.NoError(t, err, f.name)
		docs[f.name] = b
	}
	verdict := validate(t, docs)
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			assert.Empty(t, verdict[f.name], "%s", docs[f.name])
		})
	}
}

// TestValidateDetectsInvalid makes sure the helper above can fail: a
// document with children out of schema order must be reported.
func TestValidateDetectsInvalid(t *testing.T) {
	good, err := oadr.Marshal(&oadr.Poll{VenID: "VEN_1"})
	require.NoError(t, err)
	bad := bytes.Replace(good, []byte("<ei:venID>VEN_1</ei:venID>"), []byte("<ei:vtnID>VEN_1</ei:vtnID>"), 1)
	require.NotEqual(t, good, bad)
	v := validate(t, map[string][]byte{"good": good, "bad": bad})
	assert.Empty(t, v["good"])
	assert.Contains(t, v["bad"], "vtnID")
}

// TestFixturesCoverEveryMessage keeps the XSD and round-trip tests honest.
func TestFixturesCoverEveryMessage(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range fixtures() {
		seen[f.msg.MessageName()] = true
		assert.True(t, strings.HasPrefix(f.name, f.msg.MessageName()), "fixture %s holds %s", f.name, f.msg.MessageName())
	}
	for _, n := range allMessageNames {
		assert.True(t, seen[n], "no fixture for %s", n)
	}
	assert.Len(t, seen, len(allMessageNames))
}

// TestReencodedSamplesValidate: whatever a peer sent, once decoded, is written
// back as XSD-valid XML.
func TestReencodedSamplesValidate(t *testing.T) {
	docs := map[string][]byte{}
	for _, rel := range validSampleFiles(t) {
		msg, err := oadr.Unmarshal(readSample(t, rel))
		require.NoError(t, err, rel)
		if hasGreenButton(msg) {
			continue
		}
		b, err := oadr.Marshal(msg)
		require.NoError(t, err, rel)
		docs[rel] = b
	}
	verdict := validate(t, docs)
	bad := 0
	for name, v := range verdict {
		if v != "" {
			bad++
			assert.Fail(t, name+" re-encoded does not validate", "%s\n%s", v, docs[name])
		}
	}
	t.Logf("%d re-encoded samples validated, %d failed", len(docs)-bad, bad)
}
