package codec

import "testing"

func TestQuoteNumericKeys(t *testing.T) {
	cases := map[string]string{
		`{"offsetTable":{"T@g":{0:5,1:7}}}`:       `{"offsetTable":{"T@g":{"0":5,"1":7}}}`,
		`{"a":[1,2,3],"b":{-1:2}}`:                `{"a":[1,2,3],"b":{"-1":2}}`,
		`{"s":"{0:1}","t":{ 12 :3}}`:              `{"s":"{0:1}","t":{ "12" :3}}`,
		`{"x":[{0:1},{"k":"v\"",2:3}]}`:           `{"x":[{"0":1},{"k":"v\"","2":3}]}`,
		`{"brokerAddrs":{"0":"127.0.0.1:10911"}}`: `{"brokerAddrs":{"0":"127.0.0.1:10911"}}`,
	}
	for in, want := range cases {
		if got := string(QuoteNumericKeys([]byte(in))); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
}

func TestNormalizeFastJSON(t *testing.T) {
	for in, want := range map[string]string{
		`{"a":{0:"x",10:"y"}}`: `{"a":{"0":"x","10":"y"}}`,
		`{"offsetTable":{{"brokerName":"b","queueId":0,"topic":"t{"}:{"maxOffset":1},{"brokerName":"b","queueId":1,"topic":"t"}:{}},"tps":0.0}`: `{"offsetTable":{"{\"brokerName\":\"b\",\"queueId\":0,\"topic\":\"t{\"}":{"maxOffset":1},"{\"brokerName\":\"b\",\"queueId\":1,\"topic\":\"t\"}":{}},"tps":0.0}`,
		`{"list":[0,1,{"k":-1}],"s":"{0:1}"}`:                   `{"list":[0,1,{"k":-1}],"s":"{0:1}"}`,
		"{\"jstack\":\"goroutine 1\n\tmain.go:\\\"7\\\"\x01\"}": `{"jstack":"goroutine 1\n\tmain.go:\"7\"\u0001"}`,
	} {
		if got := string(NormalizeFastJSON([]byte(in))); got != want {
			t.Errorf("NormalizeFastJSON(%s)\n = %s\nwant %s", in, got, want)
		}
	}
}
