package io.pollingevents.format;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource URL with Open Connectors placeholders: {@code ${date:FMT}} (watermark in the instance zone),
 * {@code ${gmtDate:FMT}} (watermark in UTC), {@code ${epoch:s}} and {@code ${epoch:ms}}.
 * Rendering percent-encodes each query value so the hub receives exactly the rendered text.
 */
public final class UrlTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]*)(?::([^}]*))?}");

    private UrlTemplate() {
    }

    /** Returns the problems of a URL template, empty when it renders; each names the placeholder and the fix. */
    public static List<String> problems(String template) {
        List<String> problems = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int end = 0;
        while (m.find()) {
            if (template.substring(end, m.start()).contains("${")) {
                problems.add("unclosed placeholder near '" + template.substring(end, m.start()) + "'; close it with '}'");
            }
            end = m.end();
            String name = m.group(1);
            String arg = m.group(2);
            switch (name) {
                case "date", "gmtDate" -> {
                    if (arg == null || arg.isBlank()) {
                        problems.add("placeholder '" + m.group() + "' needs a date pattern, e.g. ${" + name + ":yyyy-MM-dd'T'HH:mm:ss'Z'}");
                    } else {
                        try {
                            DatePatterns.compile(arg);
                        } catch (IllegalArgumentException e) {
                            problems.add("placeholder '" + m.group() + "': " + e.getMessage());
                        }
                    }
                }
                case "epoch" -> {
                    if (arg != null && !arg.equals("s") && !arg.equals("ms")) {
                        problems.add("placeholder '" + m.group() + "': use ${epoch:s} for seconds or ${epoch:ms} for milliseconds");
                    }
                }
                default -> problems.add("unknown placeholder '" + m.group() + "'; supported are ${date:FMT}, ${gmtDate:FMT}, ${epoch:s} and ${epoch:ms}");
            }
        }
        if (template.substring(end).contains("${")) {
            problems.add("unclosed placeholder near '" + template.substring(end) + "'; close it with '}'");
        }
        return problems;
    }

    /**
     * The coarsest precision of the template's date placeholders (zero without any): how much earlier than the
     * watermark the date a hub is asked about may be.
     */
    public static Duration precision(String template) {
        Duration coarsest = Duration.ZERO;
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            Duration step = switch (m.group(1)) {
                case "date", "gmtDate" -> DatePatterns.precision(DatePatterns.compile(m.group(2)));
                case "epoch" -> "ms".equals(m.group(2)) ? Duration.ofMillis(1) : Duration.ofSeconds(1);
                default -> Duration.ZERO;
            };
            coarsest = step.compareTo(coarsest) > 0 ? step : coarsest;
        }
        return coarsest;
    }

    /** Renders the template's placeholders for a watermark, without encoding. */
    public static String substitute(String text, Instant watermark, ZoneId zone) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String arg = m.group(2);
            String value = switch (name) {
                case "date" -> DatePatterns.format(watermark, DatePatterns.compile(arg), zone);
                case "gmtDate" -> DatePatterns.format(watermark, DatePatterns.compile(arg), ZoneOffset.UTC);
                case "epoch" -> "ms".equals(arg) ? Long.toString(watermark.toEpochMilli())
                        : Long.toString(watermark.getEpochSecond());
                default -> throw new IllegalArgumentException("Unknown placeholder " + m.group());
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Renders the template into an absolute, encoded URL: relative templates are appended to baseUrl and
     * every query parameter value is percent-encoded after substitution.
     */
    public static String render(String template, String baseUrl, Instant watermark, ZoneId zone) {
        String url = template.startsWith("http://") || template.startsWith("https://")
                ? template : joinBase(baseUrl, template);
        int q = indexOutsidePlaceholders(url, '?', 0);
        if (q < 0) {
            return substitute(url, watermark, zone);
        }
        StringBuilder out = new StringBuilder(substitute(url.substring(0, q), watermark, zone)).append('?');
        int start = q + 1;
        while (start <= url.length()) {
            int amp = indexOutsidePlaceholders(url, '&', start);
            String param = url.substring(start, amp < 0 ? url.length() : amp);
            if (start > q + 1) {
                out.append('&');
            }
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            out.append(encode(decodeLiteral(name)));
            if (eq >= 0) {
                String value = substitute(decodeLiteral(param.substring(eq + 1)), watermark, zone);
                out.append('=').append(encode(value));
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return out.toString();
    }

    /** The part of a template before its query, placeholders intact. */
    public static String pathOf(String template) {
        int q = indexOutsidePlaceholders(template, '?', 0);
        return q < 0 ? template : template.substring(0, q);
    }

    /** The query parameters of a template in order, names and values with %XX escapes decoded, placeholders intact. */
    public static List<Map.Entry<String, String>> queryOf(String template) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        int q = indexOutsidePlaceholders(template, '?', 0);
        if (q < 0) {
            return params;
        }
        int start = q + 1;
        while (start < template.length()) {
            int amp = indexOutsidePlaceholders(template, '&', start);
            String param = template.substring(start, amp < 0 ? template.length() : amp);
            if (!param.isEmpty()) {
                int eq = param.indexOf('=');
                params.add(Map.entry(decodeLiteral(eq < 0 ? param : param.substring(0, eq)),
                        eq < 0 ? "" : decodeLiteral(param.substring(eq + 1))));
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return params;
    }

    /**
     * Percent-encodes the text outside placeholders, so a value put into a template (a CEQL value holding '&amp;', say)
     * is sent exactly as written once {@link #render} substitutes and encodes it.
     */
    public static String escapeLiteral(String value) {
        StringBuilder out = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(value);
        int end = 0;
        while (m.find()) {
            out.append(encode(value.substring(end, m.start()))).append(m.group());
            end = m.end();
        }
        return out.append(encode(value.substring(end))).toString();
    }

    // a date pattern may quote '&' or '?', so separators inside ${...} do not split the URL
    private static int indexOutsidePlaceholders(String text, char wanted, int from) {
        boolean inside = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!inside && c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                inside = true;
            } else if (inside && c == '}') {
                inside = false;
            } else if (!inside && c == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static String joinBase(String baseUrl, String path) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("Relative URL '" + path + "' needs a base URL: set configuration 'base.url'");
        }
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base + (path.startsWith("/") ? path : "/" + path);
    }

    // Users may have typed %XX escapes into the template; decode them (but keep '+') so we encode once.
    private static String decodeLiteral(String text) {
        if (!text.contains("%")) {
            return text;
        }
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /** Appends one query parameter, percent-encoded, to an already rendered URL. */
    public static String withParam(String url, String name, String value) {
        return url + (url.contains("?") ? "&" : "?") + encode(name) + "=" + encode(value);
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
