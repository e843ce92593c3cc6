package filter

import (
	"strconv"
	"testing"
)

// benchProps is a typical message's properties as the broker sees them.
var benchProps = props{
	"a": "7", "b": "x", "TAGS": "TagA", "KEYS": "order-1", "UNIQ_KEY": "7F0000010001000000000000000000AB",
	"CLUSTER": "DefaultCluster", "WAIT": "true", "region": "eu-west", "price": "19.99",
}

var benchExprs = []string{
	"a > 5 AND b = 'x'",
	"region IN ('eu-west', 'eu-central', 'us-east', 'us-west', 'ap-south') AND price BETWEEN 10.0 AND 20.0",
	"TAGS = 'TagA' OR (KEYS STARTSWITH 'order-' AND NOT (a IS NULL))",
}

func BenchmarkEvaluate(b *testing.B) {
	for i, src := range benchExprs {
		e, err := Parse(src)
		if err != nil {
			b.Fatal(err)
		}
		if !e.Match(benchProps.get) {
			b.Fatalf("%q does not match the benchmark properties", src)
		}
		b.Run(strconv.Itoa(i), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e.Match(benchProps.get)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(benchExprs[1]); err != nil {
			b.Fatal(err)
		}
	}
}

// Match must not allocate: the broker runs it for every message a SQL92
// consumer pulls.
func TestMatchDoesNotAllocate(t *testing.T) {
	for _, src := range benchExprs {
		e, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(100, func() { e.Match(benchProps.get) }); n != 0 {
			t.Errorf("Match(%q) allocates %v times", src, n)
		}
	}
}
