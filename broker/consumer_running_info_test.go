package broker_test

import (
	"context"
	"testing"
	"time"

	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// GET_CONSUMER_RUNNING_INFO reaches the client with the admin's fields and
// comes back untouched; an offline client answers 1 at once, a silent one
// 207 after 10 s, and a silent client holds no admin worker meanwhile.
func TestConsumerRunningInfoRelay(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	adm := dial(t, c.BrokerAddr, wire.JSON)
	createTopic(t, adm, "RiT", 1)
	info := `{"properties":{"PROP_CONSUME_TYPE":"CONSUME_PASSIVELY"},"mqTable":{{"topic":"RiT","brokerName":"broker-a","queueId":0}:{"commitOffset":3}}, "jstack":"" }`
	cl := newFakeClient(t, c.BrokerAddr, 9, "10.0.0.1@ri", "RiG", "RiT", "", func(req *wire.Command) *wire.Command {
		resp := wire.NewResponse(req, wire.Success, "from client")
		resp.SetExt("echo", req.ExtValue("jstackEnable"))
		resp.Body = []byte(info)
		return resp
	})
	newFakeClient(t, c.BrokerAddr, 9, "10.0.0.2@silent", "RiG", "RiT", "", nil)

	resp := call(t, adm, adminReq(wire.GetConsumerRunningInfo, "consumerGroup", "RiG", "clientId", "10.0.0.1@ri", "jstackEnable", "true"), wire.Success)
	if string(resp.Body) != info || resp.Remark != "from client" || resp.ExtValue("echo") != "true" {
		t.Errorf("relayed response: remark %q ext %v body %s", resp.Remark, resp.Ext, resp.Body)
	}
	if req := cl.next(t, wire.GetConsumerRunningInfo); req.ExtValue("consumerGroup") != "RiG" || req.ExtValue("clientId") != "10.0.0.1@ri" || req.IsOneway() {
		t.Errorf("request to the client: %+v", req)
	}

	resp = call(t, adm, adminReq(wire.GetConsumerRunningInfo, "consumerGroup", "RiG", "clientId", "10.0.0.9@gone", "jstackEnable", "false"), wire.SystemError)
	if want := "The Consumer <RiG> <10.0.0.9@gone> not online"; resp.Remark != want {
		t.Errorf("remark %q, want %q", resp.Remark, want)
	}

	silent := make([]*transport.Client, 13)
	for i := range silent {
		silent[i] = dial(t, c.BrokerAddr, wire.JSON)
	}
	done := make(chan *wire.Command, len(silent))
	start := time.Now()
	// More silent calls than admin workers: the admin executor must keep serving.
	for _, sc := range silent {
		go func() {
			ctx, cancel := context.WithTimeout(t.Context(), 25*time.Second)
			defer cancel()
			resp, err := sc.Invoke(ctx, adminReq(wire.GetConsumerRunningInfo, "consumerGroup", "RiG", "clientId", "10.0.0.2@silent"))
			if err != nil {
				resp = wire.NewResponse(&wire.Command{}, wire.SystemError, err.Error())
			}
			done <- resp
		}()
	}
	time.Sleep(200 * time.Millisecond)
	quick := time.Now()
	call(t, adm, adminReq(wire.GetConsumerRunningInfo, "consumerGroup", "RiG", "clientId", "10.0.0.1@ri"), wire.Success)
	if d := time.Since(quick); d > 2*time.Second {
		t.Errorf("a relay to a live client took %v while silent ones were pending", d)
	}
	resp = <-done
	if resp.ResponseCode() != wire.ConsumeMsgTimeout || time.Since(start) < 9*time.Second {
		t.Errorf("silent client: code %v %q after %v", resp.ResponseCode(), resp.Remark, time.Since(start))
	}
}
