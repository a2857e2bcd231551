package io.pollingevents.route;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;

import java.util.Properties;

/**
 * Sizes the thread pool of camel-quartz's in-memory scheduler: how many polls one node runs at once. Triggers stay in
 * memory on every node; a cluster divides the fires with {@link PartitionLeasing}, not with a shared job store.
 */
public final class QuartzThreads {
    private QuartzThreads() {
    }

    /** Configures the context's quartz component; call before any quartz endpoint exists. */
    public static void configure(CamelContext context, int threads) {
        Properties props = new Properties();
        props.put("org.quartz.scheduler.instanceName", "polling-events");
        props.put("org.quartz.scheduler.skipUpdateCheck", "true");
        props.put("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        props.put("org.quartz.threadPool.threadCount", Integer.toString(threads));
        props.put("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        context.getComponent("quartz", QuartzComponent.class).setProperties(props);
    }
}
