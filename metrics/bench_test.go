package metrics

import (
	"testing"
	"time"
)

func BenchmarkPut(b *testing.B) {
	m := newTestBroker()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Put("BenchTopic", Normal, 1, 256)
	}
}

func BenchmarkPutParallel(b *testing.B) {
	m := newTestBroker()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Put("BenchTopic", Normal, 1, 256)
		}
	})
}

func BenchmarkGet(b *testing.B) {
	m := newTestBroker()
	b.ReportAllocs()
	for b.Loop() {
		m.Get("BenchTopic", "BenchGroup", 32, 32*256)
	}
}

func BenchmarkRPCObserve(b *testing.B) {
	m := newTestBroker()
	b.ReportAllocs()
	for b.Loop() {
		m.RPC().Observe(10, 0, false, false, time.Millisecond)
	}
}

// BenchmarkPutDisabled is the cost with metrics off (a nil *Broker).
func BenchmarkPutDisabled(b *testing.B) {
	var m *Broker
	b.ReportAllocs()
	for b.Loop() {
		m.Put("BenchTopic", Normal, 1, 256)
	}
}
