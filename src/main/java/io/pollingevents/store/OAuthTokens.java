package io.pollingevents.store;

/** An instance's OAuth2 tokens; {@code expiresAtMs} is null when the provider gave no lifetime. */
public record OAuthTokens(String accessToken, String refreshToken, Long expiresAtMs) {
}
