package io.pollingevents.hub;

/** An OAuth2 token request failed or cannot be made now; the message names the endpoint and the answer. */
public class OAuth2Exception extends RuntimeException {
    /** Why no token could be had. */
    public enum Reason {
        /** The instance has no stored tokens (it was never granted, or they were removed). */
        NO_TOKENS,
        /** The access token expired and the provider gave no refresh token. */
        NO_REFRESH_TOKEN,
        /** An earlier refresh failed and the next try is not due yet. */
        BACKING_OFF,
        /** The token endpoint could not be reached. */
        UNREACHABLE,
        /** The token endpoint answered with an error status. */
        REJECTED,
        /** The token endpoint answered 2xx without a usable token. */
        INVALID_ANSWER
    }

    private final Reason reason;

    public OAuth2Exception(Reason reason, String message) {
        this(reason, message, null);
    }

    public OAuth2Exception(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
