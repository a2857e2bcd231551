package io.pollingevents.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when an instance body cannot be accepted; carries every field error found. */
public class InvalidInstanceException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidInstanceException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public InvalidInstanceException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
