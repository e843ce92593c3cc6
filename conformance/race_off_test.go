//go:build !race

package conformance

// raceDetector is set when the suite runs under the race detector.
const raceDetector = false
