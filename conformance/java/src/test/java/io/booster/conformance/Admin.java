package io.booster.conformance;

import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/** One started DefaultMQAdminExt (the official admin library) per JVM. */
public final class Admin {
    private static DefaultMQAdminExt admin;

    private Admin() {
    }

    public static synchronized DefaultMQAdminExt get() {
        if (admin == null) {
            admin = start(Booster.get().namesrvAddr);
        }
        return admin;
    }

    private static DefaultMQAdminExt start(String namesrv) {
        DefaultMQAdminExt a = new DefaultMQAdminExt(10_000);
        a.setNamesrvAddr(namesrv);
        a.setInstanceName("conformance-admin-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        a.setVipChannelEnabled(Clients.VIP);
        try {
            a.start();
        } catch (Exception e) {
            throw new IllegalStateException("start admin", e);
        }
        return a;
    }

    /** The master address of the first broker in TBW102's route. */
    static String findBrokerAddr(String namesrv) {
        DefaultMQAdminExt a = start(namesrv);
        try {
            var route = a.examineTopicRouteInfo("TBW102");
            return route.getBrokerDatas().get(0).selectBrokerAddr();
        } catch (Exception e) {
            throw new IllegalStateException("cannot find the broker through " + namesrv, e);
        } finally {
            a.shutdown();
        }
    }

    /** UPDATE_AND_CREATE_TOPIC with queues read and write queues, read+write. */
    public static void createTopic(String topic, int queues) throws Exception {
        TopicConfig tc = new TopicConfig(topic, queues, queues, PermName.PERM_READ | PermName.PERM_WRITE);
        get().createAndUpdateTopicConfig(Booster.get().brokerAddr, tc);
    }
}
