package openadr

// RecordEmitted lets the tests of package openadr_test hand what the VTN
// answered to the XSD check TestMain runs at the end.
var RecordEmitted = recordEmitted

// NewCollidingMemStore returns a MemStore in which every venID has the same
// hash, so that the tests reach the paths of venIDs whose hash another has
// (the slots a search passes over in the index, and the slots moved back
// when one is freed), which random venIDs essentially never take.
func NewCollidingMemStore() *MemStore {
	s := NewMemStore()
	s.collide = true
	return s
}
