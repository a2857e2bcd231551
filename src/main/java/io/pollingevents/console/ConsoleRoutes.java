package io.pollingevents.console;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * Serves the operator console's static files from the jar's {@code console/} folder at {@code /console} on the API
 * port, with a strict Content-Security-Policy; the pages hold no data and call the API with the signed-in secrets.
 */
public final class ConsoleRoutes extends RouteBuilder {
    public static final String PATH = "/console";
    /** Only files of the console itself, from the page, its modules and styles, and the API of the same origin. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; font-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
    private static final Pattern FILE = Pattern.compile("(?:[A-Za-z0-9_-]+/)*[A-Za-z0-9_.-]+\\.(?:html|js|css|svg|png)");

    @Override
    public void configure() {
        from("platform-http:" + PATH + "?matchOnUriPrefix=true&httpMethodRestrict=GET,HEAD").routeId("console-files")
                .process(this::serve);
    }

    private void serve(Exchange exchange) throws IOException {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        String file = relative(uri != null ? uri : path);
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Referrer-Policy", "no-referrer");
        message.setHeader("Cache-Control", "no-cache");
        if (file == null) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
            message.setHeader("Location", PATH + "/");
            message.setBody("");
            return;
        }
        byte[] bytes = FILE.matcher(file).matches() && !file.contains("..") ? read("console/" + file) : null;
        if (bytes == null) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            message.setBody("no console file " + file);
            return;
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, contentType(file));
        message.setBody(bytes);
    }

    /** The file under /console/ the URI names ({@code index.html} for the folder), or null for /console itself. */
    static String relative(String uri) {
        String path = uri == null ? "" : uri.replaceFirst("[?#].*$", "");
        int at = path.indexOf(PATH);
        String rest = at < 0 ? "" : path.substring(at + PATH.length());
        if (rest.isEmpty()) {
            return null;
        }
        rest = rest.substring(1);
        return rest.isEmpty() ? "index.html" : rest;
    }

    static String contentType(String file) {
        String extension = file.substring(file.lastIndexOf('.') + 1);
        return switch (extension) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            default -> "image/png";
        };
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
