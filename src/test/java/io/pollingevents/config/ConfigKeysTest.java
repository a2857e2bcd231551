package io.pollingevents.config;

import org.junit.jupiter.api.Test;

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
}
