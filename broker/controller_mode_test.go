package broker

import (
	"slices"
	"strings"
	"testing"

	"github.com/booster-mq/booster/wire"
)

func TestControllerModeConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.StorePathRootDir = t.TempDir()
	for k, v := range map[string]string{"enableControllerMode": "true", "brokerRole": "SLAVE",
		"brokerHeartbeatInterval": "200", "controllerHeartBeatTimeoutMills": "3000"} {
		if known, err := cfg.Set(k, v); !known || err != nil {
			t.Fatalf("Set(%s): known %v, %v", k, known, err)
		}
	}
	err := cfg.Validate()
	if err == nil || !strings.Contains(err.Error(), "controllerAddr") || strings.Contains(err.Error(), "brokerId") {
		t.Fatalf("without controllerAddr: %v", err)
	}
	if _, err := cfg.Set("controllerAddr", "127.0.0.1:9878;127.0.0.1:9880"); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if h := cfg.haConfig(); !h.Sync {
		t.Fatal("a controller-mode broker configured SLAVE replicates synchronously when master")
	}
	cfg.ControllerHeartBeatTimeoutMills = 100
	if err := cfg.Validate(); err == nil {
		t.Fatal("a heartbeat timeout below the interval passed")
	}
}

func TestParseReplicaInfo(t *testing.T) {
	resp := wire.NewResponse(wire.NewRequest(wire.ControllerGetReplicaInfo), wire.Success, "")
	resp.SetExt("masterBrokerId", "2")
	resp.SetExt("masterAddress", "10.0.0.2:10911")
	resp.SetExt("masterEpoch", "7")
	resp.Body = []byte(`{"syncStateSet":[1,2],"syncStateSetEpoch":9}`)
	info, err := parseReplicaInfo(resp)
	if err != nil {
		t.Fatal(err)
	}
	if info.master != 2 || info.masterAddr != "10.0.0.2:10911" || info.epoch != 7 || !slices.Equal(info.set, []int64{1, 2}) || info.setEpoch != 9 {
		t.Fatalf("%+v", info)
	}
	none, err := parseReplicaInfo(wire.NewResponse(wire.NewRequest(wire.ControllerGetReplicaInfo), wire.Success, ""))
	if err != nil || none.master != noMaster {
		t.Fatalf("no master: %+v %v", none, err)
	}
	if haAddrOf("10.0.0.2:10911") != "10.0.0.2:10912" || haAddrOf("nonsense") != "" {
		t.Fatal("haAddrOf")
	}
	if got := without([]int64{1, 2, 3}, 2); !slices.Equal(got, []int64{1, 3}) {
		t.Fatalf("without: %v", got)
	}
	if got := without(nil, 1); got == nil {
		t.Fatal("without must not return nil (nil means classic acknowledgements)")
	}
}
