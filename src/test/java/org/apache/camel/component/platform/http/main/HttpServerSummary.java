package org.apache.camel.component.platform.http.main;

import org.apache.camel.CamelContext;

import java.util.Set;

/** Registers platform-http-main's startup summary listener on a context, as Camel Main does (its method is protected). */
public final class HttpServerSummary {
    private HttpServerSummary() {
    }

    public static void register(CamelContext context) throws Exception {
        MainHttpServerUtil.setupStartupSummary(context, Set.of(), 8080, "HTTP endpoints summary");
    }
}
