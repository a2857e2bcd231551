package io.pollingevents.store;

/** What the API shows of a resource: its watermark and its last poll. */
public record ResourceState(String resource, long watermarkMs, Long lastPollMs, String lastResult) {
}
