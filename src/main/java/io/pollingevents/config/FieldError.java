package io.pollingevents.config;

/** One problem in an instance body: the JSON path of the field and what to do about it. */
public record FieldError(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
