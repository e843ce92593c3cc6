package io.booster.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.trace.TraceBean;
import org.apache.rocketmq.client.trace.TraceContext;
import org.apache.rocketmq.client.trace.TraceDataEncoder;
import org.apache.rocketmq.client.trace.TraceType;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/** Message trace: clients with enableMsgTrace write Pub/SubBefore/SubAfter records to RMQ_SYS_TRACE_TOPIC. */
class TraceTest extends ConformanceTest {
    static final String TRACE_TOPIC = "RMQ_SYS_TRACE_TOPIC";

    @Test
    void produceAndConsumeAreTraced() throws Exception {
        String topic = topic(4);
        DefaultMQProducer p = configure(new DefaultMQProducer(name("PG"), true, null));
        started(p);
        Message m = new Message(topic, "TagTr", "trace-key", utf8("traced"));
        SendResult r = p.send(m);

        Collector col = new Collector();
        DefaultMQPushConsumer c = configure(new DefaultMQPushConsumer(name("CG"), true, null));
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        c.subscribe(topic, "*");
        c.registerMessageListener(col.concurrently());
        started(c);
        col.awaitBodies(List.of("traced"), CONSUME_WAIT);

        // the trace dispatchers send asynchronously, in batches
        List<TraceContext> mine = new ArrayList<>();
        DefaultMQPullConsumer reader = pullConsumer();
        List<String> seen = new ArrayList<>();
        await(Duration.ofSeconds(20), () -> "Pub, SubBefore and SubAfter records for " + r.getMsgId() + ", have " + types(mine) + " in " + seen, () -> {
            try {
                mine.clear();
                seen.clear();
                for (MessageExt t : pullAll(reader, TRACE_TOPIC, 0, "*", Duration.ZERO)) {
                    seen.add(body(t).replace('\u0001', '|').replace('\u0002', '#'));
                    for (TraceContext ctx : TraceDataEncoder.decoderFromTraceDataString(body(t))) {
                        for (TraceBean b : ctx.getTraceBeans()) {
                            if (r.getMsgId().equals(b.getMsgId())) {
                                mine.add(ctx);
                            }
                        }
                    }
                }
            } catch (Exception e) {
                seen.add(e.toString());
                return false;
            }
            List<TraceType> ts = types(mine);
            return ts.contains(TraceType.Pub) && ts.contains(TraceType.SubBefore) && ts.contains(TraceType.SubAfter);
        });
        TraceContext pub = mine.stream().filter(x -> x.getTraceType() == TraceType.Pub).findFirst().orElseThrow();
        TraceBean pb = pub.getTraceBeans().get(0);
        assertEquals(topic, pb.getTopic());
        assertEquals("TagTr", pb.getTags());
        assertEquals("trace-key", pb.getKeys());
        assertEquals(r.getOffsetMsgId(), pb.getOffsetMsgId());
        assertTrue(pub.isSuccess());
        TraceContext after = mine.stream().filter(x -> x.getTraceType() == TraceType.SubAfter).findFirst().orElseThrow();
        assertTrue(after.isSuccess(), "consumption succeeded");
    }

    private static List<TraceType> types(List<TraceContext> l) {
        List<TraceType> out = new ArrayList<>();
        for (TraceContext c : new ArrayList<>(l)) {
            out.add(c.getTraceType());
        }
        return out;
    }
}
