package io.pollingevents.hub;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Streams the records of one hub response with Jackson's streaming parser, one record in memory at a time:
 * the array at the records JSON Pointer is iterated lazily, and a cursor at another pointer is picked up
 * on the way (available once the stream is exhausted). Closes the response when done.
 */
public final class RecordStream implements Iterator<JsonNode>, Closeable {
    private final ObjectMapper mapper;
    private final JsonParser parser;
    private final JsonPointer recordsPath;
    private final JsonPointer cursorPath;
    private final String source;
    private final String recordsHint;
    private JsonPointer errorCodePath;
    private JsonPointer errorMessagePath;
    private Long errorCode;
    private String errorMessage;
    private JsonNode next;
    private boolean inRecords;
    private boolean finished;
    private String cursor;
    private int count;

    public RecordStream(ObjectMapper mapper, InputStream body, String recordsPath, String cursorPath, String source) throws IOException {
        this(mapper, body, recordsPath, cursorPath, source, "records.path '" + (recordsPath == null ? "" : recordsPath) + "'");
    }

    /** As above; {@code recordsHint} tells the user where the records path is configured. */
    public RecordStream(ObjectMapper mapper, InputStream body, String recordsPath, String cursorPath, String source,
                        String recordsHint) throws IOException {
        this.recordsHint = recordsHint;
        this.mapper = mapper;
        this.parser = mapper.getFactory().createParser(body);
        this.recordsPath = JsonPointer.compile(recordsPath == null ? "" : recordsPath);
        this.cursorPath = cursorPath == null ? null : JsonPointer.compile(cursorPath);
        this.source = source;
    }

    /**
     * Watches an error code in the body, for vendors that answer errors with HTTP 200: a negative number at
     * {@code codePath} ends the stream with a {@link HubCallException} quoting the text at {@code messagePath}.
     */
    public RecordStream failingOnNegative(String codePath, String messagePath) {
        this.errorCodePath = JsonPointer.compile(codePath);
        this.errorMessagePath = messagePath == null ? null : JsonPointer.compile(messagePath);
        return this;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            next = advance();
        }
        return next != null;
    }

    @Override
    public JsonNode next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        JsonNode record = next;
        next = null;
        count++;
        return record;
    }

    /** Records read so far. */
    public int count() {
        return count;
    }

    /** The cursor found in the body, or null; complete once the stream is exhausted. */
    public String cursor() {
        return cursor;
    }

    private JsonNode advance() {
        try {
            while (true) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    finish(); // a response without the records path is an empty page
                    if (errorCode != null) {
                        throw new HubCallException("hub answered " + source + " with error code " + errorCode
                                + (errorMessage != null ? " (" + errorMessage + ")" : "") + "; the watermark stays");
                    }
                    return null;
                }
                if (inRecords) {
                    if (token == JsonToken.END_ARRAY && here().equals(recordsPath)) {
                        inRecords = false;
                        continue;
                    }
                    return mapper.readTree(parser);
                }
                JsonPointer here = here();
                if (token == JsonToken.START_ARRAY && here.equals(recordsPath)) {
                    if (errorCode != null) {
                        parser.skipChildren(); // an error answer holds no records to keep
                    } else {
                        inRecords = true;
                    }
                    continue;
                }
                if (token.isScalarValue() && errorCodePath != null) {
                    Long code = here.equals(errorCodePath) ? number(token) : null;
                    if (code != null && code < 0) {
                        errorCode = code;
                    } else if (errorMessage == null && errorMessagePath != null && isPrefix(errorMessagePath, here)) {
                        errorMessage = parser.getValueAsString();
                    }
                }
                if (token.isScalarValue() && cursorPath != null && here.equals(cursorPath)) {
                    cursor = token == JsonToken.VALUE_NULL ? null : parser.getValueAsString();
                    continue;
                }
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    if (here.equals(recordsPath)) {
                        throw new HubCallException("hub answered " + source + " with a JSON object where the records array was expected"
                                + " (" + recordsHint + ")");
                    }
                    if (!isPrefix(here, recordsPath) && (cursorPath == null || !isPrefix(here, cursorPath)) && !watchesErrorsUnder(here)) {
                        parser.skipChildren();
                    }
                } else if (token.isScalarValue() && here.equals(recordsPath)) {
                    throw new HubCallException("hub answered " + source + " with a JSON " + token.name().toLowerCase()
                            + " where the records array was expected (" + recordsHint + ")");
                }
            }
        } catch (IOException e) {
            finish();
            throw new UncheckedIOException(new IOException("hub answered " + source + " with invalid JSON: " + e.getMessage(), e));
        }
    }

    // Jackson's context path: for a START token the container itself (its context has no index yet),
    // for a scalar the value, and after END_ARRAY/END_OBJECT the closed container
    private JsonPointer here() {
        return parser.getParsingContext().pathAsPointer();
    }

    private static boolean isPrefix(JsonPointer prefix, JsonPointer path) {
        return path.toString().startsWith(prefix.toString() + "/") || path.equals(prefix);
    }

    // a code may come as a number or as the text of one ("-1")
    private Long number(JsonToken token) throws IOException {
        if (token.isNumeric()) {
            return parser.getLongValue();
        }
        try {
            return token == JsonToken.VALUE_STRING ? Long.valueOf(parser.getText().trim()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private boolean watchesErrorsUnder(JsonPointer here) {
        return errorCodePath != null && (isPrefix(here, errorCodePath) || (errorMessagePath != null
                && (isPrefix(here, errorMessagePath) || isPrefix(errorMessagePath, here))));
    }

    private void finish() {
        finished = true;
        try {
            close();
        } catch (IOException ignored) {
            // the response is done with either way
        }
    }

    @Override
    public void close() throws IOException {
        finished = true;
        parser.close();
    }
}
