package openadr

// RecordEmitted lets the tests of package openadr_test hand what the VTN
// answered to the XSD check TestMain runs at the end.
var RecordEmitted = recordEmitted

// NewCollidingMemStore returns a MemStore in which every venID has the same
// hash, so that the tests reach the path of venIDs whose hash another has
// (MemStore.more), which random venIDs essentially never take.
func NewCollidingMemStore() *MemStore {
	s := NewMemStore()
	s.collide = true
	return s
}
