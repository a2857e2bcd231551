package io.pollingevents;

import io.pollingevents.demo.Demo;
import io.pollingevents.route.PollingCamelContext;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import java.util.Arrays;

/**
 * Runs polling-events standalone with Camel Main: {@code java -jar target/polling-events.jar [--demo]}.
 * Configuration comes from application.properties, {@code -Dkey=value} and environment variables.
 */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) throws Exception {
        boolean demo = Arrays.asList(args).contains("--demo");
        String[] camelArgs = Arrays.stream(args).filter(a -> !a.equals("--demo")).toArray(String[]::new);
        Main main = newMain();
        Demo demoRun = demo ? Demo.prepare(main) : null;
        configure(main, demoRun);
        int exit;
        try {
            exit = main.run(camelArgs);
        } catch (Exception e) {
            System.err.println("polling-events failed: " + e.getMessage());
            exit = 1;
        } finally {
            if (demoRun != null) {
                demoRun.stop();
            }
        }
        System.exit(exit);
    }

    /**
     * Camel Main with the engine's {@link PollingCamelContext}, whose route add and remove cost the same however
     * many resources run (docs/architecture.md, "A route per resource at scale").
     */
    public static Main newMain() {
        return new Main() {
            @Override
            protected CamelContext createCamelContext() {
                PollingCamelContext context = new PollingCamelContext(false);
                context.getCamelContextExtension().setRegistry(registry);
                context.getGlobalOptions().put("CamelMainClass", Application.class.getName());
                return context;
            }
        };
    }

    /** Adds the listener that installs the engine once Camel Main has configured its context. */
    public static Main configure(Main main, Demo demoRun) {
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport support) {
                try {
                    PollingEngine engine = PollingEngine.install(support.getCamelContext());
                    if (demoRun != null) {
                        demoRun.engineInstalled(engine);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("polling-events could not start: " + e.getMessage(), e);
                }
            }

            @Override
            public void afterStart(BaseMainSupport support) {
                if (demoRun != null) {
                    demoRun.start();
                }
            }
        });
        return main;
    }
}
