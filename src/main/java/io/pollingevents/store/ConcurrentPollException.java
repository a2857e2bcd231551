package io.pollingevents.store;

/** A poll's results conflict with what another poll of the same resource already stored; nothing was stored. */
public class ConcurrentPollException extends RuntimeException {
    public ConcurrentPollException(String message) {
        super(message);
    }
}
