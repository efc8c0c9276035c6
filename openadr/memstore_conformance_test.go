package openadr_test

import (
	"testing"

	"github.com/gridwire/gridwire/openadr"
	"github.com/gridwire/gridwire/openadr/storetest"
)

func TestMemStoreConformance(t *testing.T) {
	storetest.TestStore(t, storetest.Harness{
		Open:    func(*testing.T) openadr.Store { return openadr.NewMemStore() },
		InPlace: true,
	})
}
