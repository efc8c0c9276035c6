package openadr

// RecordEmitted lets the tests of package openadr_test hand what the VTN
// answered to the XSD check TestMain runs at the end.
var RecordEmitted = recordEmitted
