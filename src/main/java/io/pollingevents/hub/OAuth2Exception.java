package io.pollingevents.hub;

/** An OAuth2 token request failed; the message names the endpoint and the answer. */
public class OAuth2Exception extends RuntimeException {
    public OAuth2Exception(String message) {
        super(message);
    }

    public OAuth2Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
