package io.pollingevents.config;

import io.pollingevents.element.ElementDescriptor;
import io.pollingevents.element.ElementRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigKeysTest {

    @Test
    void suggestsKnownKeyWhenOnlySeparatorsDiffer() {
        assertThat(ConfigKeys.likelyMeant("event.poller.refresh interval", ConfigKeys.ENGINE_KEYS))
                .contains("event.poller.refresh_interval");
        assertThat(ConfigKeys.likelyMeant("Event.Poller.Refresh-Interval", ConfigKeys.ENGINE_KEYS))
                .contains("event.poller.refresh_interval");
    }

    @Test
    void suggestsKnownKeyForSmallTypoInLongKey() {
        assertThat(ConfigKeys.likelyMeant("event.notification.enabeld", ConfigKeys.ENGINE_KEYS))
                .contains("event.notification.enabled");
    }

    @Test
    void doesNotFlagGenuineVendorKey() {
        assertThat(ConfigKeys.likelyMeant("vendor.custom.flag", ConfigKeys.ENGINE_KEYS)).isEmpty();
    }

    @Test
    void knownKeyNeedsNoSuggestion() {
        assertThat(ConfigKeys.likelyMeant("base.url", ConfigKeys.ENGINE_KEYS)).isEmpty();
    }

    @Test
    void shortKeysAreOnlyMatchedIgnoringSeparators() {
        assertThat(ConfigKeys.likelyMeant("api_key", ConfigKeys.ENGINE_KEYS)).contains("api.key");
        assertThat(ConfigKeys.likelyMeant("api.kez", ConfigKeys.ENGINE_KEYS)).isEmpty();
    }

    @Test
    void keysOfEightCharactersAreMatchedFuzzily() {
        assertThat(ConfigKeys.likelyMeant("abcdefgh", List.of("abcdefgx"))).contains("abcdefgx");
        assertThat(ConfigKeys.likelyMeant("abcdefg", List.of("abcdefx"))).isEmpty();
    }

    @Test
    void withoutFuzzyOnlySeparatorsAndCaseCount() {
        assertThat(ConfigKeys.likelyMeant("event.notification.enabeld", ConfigKeys.ENGINE_KEYS, false)).isEmpty();
        assertThat(ConfigKeys.likelyMeant("EVENT_NOTIFICATION_ENABLED", ConfigKeys.ENGINE_KEYS, false))
                .contains("event.notification.enabled");
    }

    @Test
    void fuzzyMatchIgnoresCase() {
        assertThat(ConfigKeys.likelyMeant("EVENT.NOTIFICATION.ENABELD", ConfigKeys.ENGINE_KEYS))
                .contains("event.notification.enabled");
    }

    @Test
    void fuzzyMatchPicksTheClosestKey() {
        assertThat(ConfigKeys.likelyMeant("abcdefgh", List.of("abcdefxx", "abcdefgx"))).contains("abcdefgx");
        assertThat(ConfigKeys.likelyMeant("abcdefgh", List.of("abcdefgx", "abcdefxx"))).contains("abcdefgx");
    }

    @Test
    void keysMoreThanTwoEditsAwayAreNotSuggested() {
        assertThat(ConfigKeys.likelyMeant("abcdefgh", List.of("abcdexyz"))).isEmpty();
    }

    @Test
    void alwaysSecretKeysAreSecretWithoutAnElement() {
        for (String key : List.of("api.key", "event.notification.signature.key", "oauth.api.secret", "oauth.access.token",
                "secret", "password")) {
            assertThat(ConfigKeys.isSecret(key, null)).as(key).isTrue();
        }
    }

    @Test
    void keysNamingASecretArePresumedSecret() {
        for (String key : List.of("vendor.Secret.value", "db.PASSWORD.text", "refresh_TOKEN", "my.signature.key")) {
            assertThat(ConfigKeys.isSecret(key, null)).as(key).isTrue();
        }
    }

    @Test
    void otherKeysAreNotSecret() {
        for (String key : List.of("base.url", "event.notification.callback.url", "tokenizer", "signature.key.id",
                "oauth.api.key", "vendor.pin")) {
            assertThat(ConfigKeys.isSecret(key, null)).as(key).isFalse();
        }
    }

    @Test
    void elementDeclaresFurtherSecrets() {
        ElementDescriptor element = new ElementDescriptor("custom", "Custom", "crm", "https://hub.example.com",
                new ElementDescriptor.Auth("oauth2", null, "vendor.credential", null, "vendor.client", "vendor.client.pw", null, null, null),
                null, null, null, null, null, null, null, null, null, List.of("vendor.pin"));

        assertThat(ConfigKeys.isSecret("vendor.pin", element)).isTrue();
        assertThat(ConfigKeys.isSecret("vendor.credential", element)).isTrue();
        assertThat(ConfigKeys.isSecret("vendor.client.pw", element)).isTrue();
        assertThat(ConfigKeys.isSecret("vendor.client", element)).isFalse();
        assertThat(ConfigKeys.isSecret("base.url", element)).isFalse();
    }

    @Test
    void builtInElementSecrets() {
        ElementRegistry registry = ElementRegistry.load(null);
        ElementDescriptor smartRecruiters = registry.find("smartrecruiters").orElseThrow();
        ElementDescriptor maximizer = registry.find("maximizer").orElseThrow();

        assertThat(ConfigKeys.isSecret("api.key", smartRecruiters)).isTrue();
        assertThat(ConfigKeys.isSecret("oauth.api.secret", maximizer)).isTrue();
        assertThat(ConfigKeys.isSecret("oauth.api.key", maximizer)).isFalse();
        assertThat(ConfigKeys.isSecret("oauth.callback.url", maximizer)).isFalse();
    }
}
