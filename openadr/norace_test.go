//go:build !race

package openadr_test

const raceEnabled = false
