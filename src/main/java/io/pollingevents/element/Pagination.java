package io.pollingevents.element;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * How a vendor pages its results: {@code none}; {@code openconnectors} ({@code pageSize} and {@code nextPage}
 * query parameters, token in the {@code elements-next-page-token} response header); {@code offset}
 * (offset/limit parameters, the last page is shorter than the limit); {@code cursor} (a cursor in the body
 * at {@code cursorPath}, sent back as {@code cursorParam}, or into the JSON request body at {@code cursorBodyPath}); {@code link} (RFC 8288 {@code Link: <url>; rel="next"}).
 * Declared in the element descriptor and overridable per resource; unset fields take the type's defaults.
 */
@JsonIgnoreProperties(value = {"description"})
public record Pagination(String type, Integer pageSize, String pageSizeParam, String offsetParam, String cursorParam,
                         String cursorPath, String nextPageHeader, Integer maxPages, String cursorBodyPath,
                         String pageSizeBodyPath) {
    public static final List<String> TYPES = List.of("none", "openconnectors", "offset", "cursor", "link");
    public static final int DEFAULT_MAX_PAGES = 1000;
    public static final Pagination NONE = new Pagination("none", null, null, null, null, null, null, null, null, null);

    /** This pagination with the fields the override sets replacing ours; a new type starts from its own defaults. */
    public Pagination overriddenBy(Pagination override) {
        if (override == null) {
            return this;
        }
        Pagination base = override.type() != null && !override.type().equals(type) ? NONE : this;
        return new Pagination(
                override.type() != null ? override.type() : base.type(),
                override.pageSize() != null ? override.pageSize() : base.pageSize(),
                override.pageSizeParam() != null ? override.pageSizeParam() : base.pageSizeParam(),
                override.offsetParam() != null ? override.offsetParam() : base.offsetParam(),
                override.cursorParam() != null ? override.cursorParam() : base.cursorParam(),
                override.cursorPath() != null ? override.cursorPath() : base.cursorPath(),
                override.nextPageHeader() != null ? override.nextPageHeader() : base.nextPageHeader(),
                override.maxPages() != null ? override.maxPages() : base.maxPages(),
                override.cursorBodyPath() != null ? override.cursorBodyPath() : base.cursorBodyPath(),
                override.pageSizeBodyPath() != null ? override.pageSizeBodyPath() : base.pageSizeBodyPath());
    }

    /** Fills the type's defaults into unset fields. */
    public Pagination withDefaults() {
        String t = type == null ? "none" : type;
        return switch (t) {
            case "openconnectors" -> new Pagination(t, or(pageSize, 200), or(pageSizeParam, "pageSize"), offsetParam,
                    or(cursorParam, "nextPage"), cursorPath, or(nextPageHeader, "elements-next-page-token"), or(maxPages, DEFAULT_MAX_PAGES),
                    cursorBodyPath, pageSizeBodyPath);
            case "offset" -> new Pagination(t, or(pageSize, 100), or(pageSizeParam, "limit"), or(offsetParam, "offset"),
                    cursorParam, cursorPath, nextPageHeader, or(maxPages, DEFAULT_MAX_PAGES), cursorBodyPath, pageSizeBodyPath);
            case "cursor" -> new Pagination(t, pageSize, pageSizeParam, offsetParam, or(cursorParam, "cursor"),
                    cursorPath, nextPageHeader, or(maxPages, DEFAULT_MAX_PAGES), cursorBodyPath, pageSizeBodyPath);
            case "link" -> new Pagination(t, pageSize, pageSizeParam, offsetParam, cursorParam, cursorPath, nextPageHeader,
                    or(maxPages, DEFAULT_MAX_PAGES), cursorBodyPath, pageSizeBodyPath);
            default -> new Pagination(t, pageSize, pageSizeParam, offsetParam, cursorParam, cursorPath, nextPageHeader, 1,
                    cursorBodyPath, pageSizeBodyPath);
        };
    }

    /** Problems of a merged pagination, each a message naming the field and the fix. */
    public List<String> problems() {
        java.util.ArrayList<String> problems = new java.util.ArrayList<>();
        if (type != null && !TYPES.contains(type)) {
            problems.add("type '" + type + "' is unknown; use one of " + String.join(", ", TYPES));
        }
        if (pageSize != null && pageSize <= 0) {
            problems.add("pageSize must be a positive number, got " + pageSize);
        }
        if (maxPages != null && maxPages <= 0) {
            problems.add("maxPages must be a positive number, got " + maxPages);
        }
        for (String pointer : java.util.Arrays.asList(cursorBodyPath, pageSizeBodyPath)) {
            if (pointer != null && !pointer.startsWith("/")) {
                problems.add("'" + pointer + "' is not a JSON Pointer into the request body; start it with '/', e.g. \"/OrderBy/PageKey\"");
            }
        }
        if ("cursor".equals(type) && (cursorPath == null || !cursorPath.startsWith("/"))) {
            problems.add("cursorPath is required for type 'cursor': a JSON Pointer to the next cursor in the body, e.g. \"/nextPageId\"");
        }
        return problems;
    }

    public boolean paged() {
        return type != null && !type.equals("none");
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
