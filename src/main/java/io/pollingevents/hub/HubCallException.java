package io.pollingevents.hub;

/** The hub answered with an error or with a body the engine cannot read; the watermark stays. */
public class HubCallException extends RuntimeException {
    public HubCallException(String message) {
        super(message);
    }

    public HubCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
