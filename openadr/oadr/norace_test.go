//go:build !race

package oadr_test

const raceEnabled = false
