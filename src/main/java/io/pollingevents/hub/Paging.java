package io.pollingevents.hub;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pollingevents.element.Pagination;
import io.pollingevents.format.UrlTemplate;

import java.net.URI;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one poll walks a hub's pages, one small type per paging style of {@link Pagination}: each adds its own
 * parameters to the page URL, reads what the response says about the next page, and decides whether there is one.
 * A new instance is made for every poll, since it holds where the walk is.
 */
public sealed interface Paging permits Paging.None, Paging.Paged {

    /** The paging of a resource's merged pagination settings, at its first page. */
    static Paging start(Pagination settings) {
        return switch (settings.type()) {
            case "openconnectors" -> new OpenConnectors(settings);
            case "offset" -> new Offset(settings);
            case "cursor" -> new Cursor(settings);
            case "link" -> new Link(settings);
            default -> new None(settings.pageSize());
        };
    }

    /** The URL of the next page, given the resource URL rendered for this poll. */
    String pageUrl(String resourceUrl);

    /** Puts the page size and the next page's cursor into a JSON request body, where the settings place them there. */
    default void intoBody(ObjectNode body) {
    }

    /**
     * Whether the page just read looks cut short: as many records as a page holds, yet no sign of a next page. The
     * poll then cannot know it read everything, and says so.
     */
    default boolean truncated(RecordStream page, boolean hasNext) {
        return false;
    }

    /** Takes what the response headers say about the next page; {@code requestUrl} resolves relative links. */
    default void readHeaders(UnaryOperator<String> header, String requestUrl) {
    }

    /** JSON Pointer of a next-page cursor in the body, or null when the body holds none. */
    default String cursorPath() {
        return null;
    }

    /** Whether another page follows the one just read to its end. */
    boolean hasNext(RecordStream page);

    /** The most pages one poll may read before it fails and leaves the watermark where it was. */
    int maxPages();

    /** One request, one page; a page as large as the declared page size may be a vendor's cap. */
    record None(Integer pageSize) implements Paging {
        @Override
        public boolean truncated(RecordStream page, boolean hasNext) {
            return pageSize != null && page.count() >= pageSize;
        }

        @Override
        public String pageUrl(String resourceUrl) {
            return resourceUrl;
        }

        @Override
        public boolean hasNext(RecordStream page) {
            return false;
        }

        @Override
        public int maxPages() {
            return 1;
        }
    }

    /** A style that asks for more than one page: the resource's pagination settings bound its walk. */
    abstract sealed class Paged implements Paging permits OpenConnectors, Offset, Cursor, Link {
        final Pagination settings;

        Paged(Pagination settings) {
            this.settings = settings;
        }

        @Override
        public int maxPages() {
            return settings.maxPages();
        }

        /** The resource URL with the page size parameter, when the settings name one. */
        String withPageSize(String url) {
            return settings.pageSize() != null && settings.pageSizeParam() != null
                    ? UrlTemplate.withParam(url, settings.pageSizeParam(), settings.pageSize().toString()) : url;
        }

        /** The resource URL with the page size, and the next-page token as {@code cursorParam} once there is one. */
        String withToken(String url, String token) {
            String sized = withPageSize(url);
            return token == null || settings.cursorBodyPath() != null ? sized : UrlTemplate.withParam(sized, settings.cursorParam(), token);
        }

        /** The cursor sent in the next request, or null before the second page. */
        String token() {
            return null;
        }

        @Override
        public void intoBody(ObjectNode body) {
            if (settings.pageSizeBodyPath() != null && settings.pageSize() != null) {
                parent(body, settings.pageSizeBodyPath()).put(last(settings.pageSizeBodyPath()), settings.pageSize());
            }
            if (settings.cursorBodyPath() != null && token() != null) {
                parent(body, settings.cursorBodyPath()).put(last(settings.cursorBodyPath()), token());
            }
        }

        @Override
        public boolean truncated(RecordStream page, boolean hasNext) {
            return !hasNext && settings.pageSize() != null && page.count() >= settings.pageSize();
        }

        private static ObjectNode parent(ObjectNode body, String pointer) {
            JsonPointer head = JsonPointer.compile(pointer).head();
            return head == null || head.matches() ? body : body.withObject(head);
        }

        private static String last(String pointer) {
            return JsonPointer.compile(pointer).last().getMatchingProperty();
        }
    }

    /** Open Connectors' own: {@code pageSize} and {@code nextPage} parameters, the next token in a response header. */
    final class OpenConnectors extends Paged {
        private String nextToken;

        OpenConnectors(Pagination settings) {
            super(settings);
        }

        @Override
        public String pageUrl(String resourceUrl) {
            return withToken(resourceUrl, nextToken);
        }

        @Override
        String token() {
            return nextToken;
        }

        @Override
        public void readHeaders(UnaryOperator<String> header, String requestUrl) {
            String token = header.apply(settings.nextPageHeader());
            nextToken = token == null || token.isBlank() ? null : token;
        }

        @Override
        public boolean hasNext(RecordStream page) {
            return nextToken != null;
        }
    }

    /** Offset and limit parameters; a page shorter than the limit is the last. */
    final class Offset extends Paged {
        private long offset;

        Offset(Pagination settings) {
            super(settings);
        }

        @Override
        public String pageUrl(String resourceUrl) {
            return UrlTemplate.withParam(withPageSize(resourceUrl), settings.offsetParam(), Long.toString(offset));
        }

        @Override
        public boolean hasNext(RecordStream page) {
            offset += page.count();
            return page.count() >= settings.pageSize();
        }
    }

    /** A cursor in the body, sent back as a parameter; no cursor, or the same one again, ends the walk. */
    final class Cursor extends Paged {
        private String cursor;

        Cursor(Pagination settings) {
            super(settings);
        }

        @Override
        public String pageUrl(String resourceUrl) {
            return withToken(resourceUrl, cursor);
        }

        @Override
        String token() {
            return cursor;
        }

        @Override
        public String cursorPath() {
            return settings.cursorPath();
        }

        @Override
        public boolean hasNext(RecordStream page) {
            String next = page.cursor();
            boolean more = next != null && !next.isBlank() && !next.equals(cursor);
            cursor = next;
            return more;
        }
    }

    /** RFC 8288 {@code Link: <url>; rel="next"}: the hub names the next page's whole URL. */
    final class Link extends Paged {
        private static final Pattern LINK = Pattern.compile("<([^>]*)>(.*)");
        private static final Pattern REL_NEXT = Pattern.compile("rel\\s*=\\s*\"?[^\"]*\\bnext\\b", Pattern.CASE_INSENSITIVE);
        private String nextUrl;

        Link(Pagination settings) {
            super(settings);
        }

        @Override
        public String pageUrl(String resourceUrl) {
            return nextUrl != null ? nextUrl : withPageSize(resourceUrl);
        }

        @Override
        public void readHeaders(UnaryOperator<String> header, String requestUrl) {
            nextUrl = nextLink(header.apply("Link"), requestUrl);
        }

        @Override
        public boolean hasNext(RecordStream page) {
            return nextUrl != null;
        }

        /** The rel="next" target of a Link header, resolved against the request URL; null when absent. */
        static String nextLink(String header, String requestUrl) {
            if (header == null) {
                return null;
            }
            for (String link : header.split(",(?=\\s*<)")) {
                Matcher m = LINK.matcher(link.trim());
                if (m.matches() && REL_NEXT.matcher(m.group(2)).find()) {
                    return URI.create(requestUrl).resolve(m.group(1).trim()).toString();
                }
            }
            return null;
        }

    }
}
