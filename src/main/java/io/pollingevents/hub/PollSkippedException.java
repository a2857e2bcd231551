package io.pollingevents.hub;

/** A poll that must not run now (the hub asked to wait); not an error. */
public class PollSkippedException extends RuntimeException {
    public PollSkippedException(String message) {
        super(message);
    }
}
