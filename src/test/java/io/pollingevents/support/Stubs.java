package io.pollingevents.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;

import java.util.UUID;

/** WireMock helpers shared by the tests. */
public final class Stubs {
    private Stubs() {
    }

    /** Adds the stub under {@code id}, or replaces it: stubFor with a known id adds a second stub instead. */
    public static void put(WireMockServer server, UUID id, MappingBuilder stub) {
        MappingBuilder withId = stub.withId(id);
        if (server.getSingleStubMapping(id) == null) {
            server.stubFor(withId);
        } else {
            server.editStub(withId);
        }
    }
}
