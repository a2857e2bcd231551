package io.pollingevents.store;

/** A database operation failed; the message names the operation. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
