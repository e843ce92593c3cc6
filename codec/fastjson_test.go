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
