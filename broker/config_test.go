package broker

import "testing"

func TestConfigSetPassesStoreKeys(t *testing.T) {
	c := DefaultConfig()
	for k, v := range map[string]string{"brokerName": "b1", "maxIndexNum": "1000", "diskMaxUsedSpaceRatio": "80"} {
		if known, err := c.Set(k, v); !known || err != nil {
			t.Fatalf("%s: known=%v err=%v", k, known, err)
		}
	}
	if c.BrokerName != "b1" || c.StoreKeys["maxIndexNum"] != "1000" || c.StoreKeys["diskMaxUsedSpaceRatio"] != "80" {
		t.Fatalf("%+v", c)
	}
	if known, _ := c.Set("noSuchKey", "1"); known {
		t.Fatal("unknown key reported known")
	}
	if _, err := c.Set("maxIndexNum", "many"); err == nil {
		t.Fatal("bad store value accepted")
	}
}
