package io.pollingevents.poll;

import io.pollingevents.config.InstanceCatalog;
import io.pollingevents.config.InstanceDefinition;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.hub.HubLimits;
import io.pollingevents.hub.HubRequest;
import io.pollingevents.hub.HubSession;
import io.pollingevents.hub.PollSkippedException;
import io.pollingevents.store.Watermark;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.pollingevents.poll.PollFixtures.CLOCK;
import static io.pollingevents.poll.PollFixtures.CREATED_AT;
import static io.pollingevents.poll.PollFixtures.INSTANCE_ID;
import static io.pollingevents.poll.PollFixtures.POLL_TIME;
import static io.pollingevents.poll.PollFixtures.RESOURCE;
import static io.pollingevents.poll.PollFixtures.WATERMARK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PollStarterTest {
    private static final ElementRegistry ELEMENTS = ElementRegistry.load(null);

    private final InstanceCatalog catalog = new InstanceCatalog();
    private final FakeWatermarkStore watermarks = new FakeWatermarkStore();
    private final HubLimits limits = PollFixtures.limits();
    private final PollStarter starter = new PollStarter(catalog, ELEMENTS, watermarks, limits, CLOCK);
    private final InstanceDefinition instance = PollFixtures.instance(PollFixtures.updatedOnly());

    private Exchange fire(long instanceId, String resource) {
        Exchange exchange = PollFixtures.exchange();
        exchange.setProperty(PollStarter.INSTANCE_ID, instanceId);
        exchange.setProperty(PollStarter.RESOURCE, resource);
        return exchange;
    }

    private static PollContext pollOf(Exchange exchange) {
        return exchange.getProperty(PollContext.PROPERTY, PollContext.class);
    }

    @Test
    void opensThePollFromTheStoredWatermark() {
        catalog.put(instance, 1);
        Watermark stored = new Watermark(WATERMARK, Set.of("c1", "c2"));
        watermarks.put(INSTANCE_ID, RESOURCE, stored);
        Exchange exchange = fire(INSTANCE_ID, RESOURCE);

        starter.begin(exchange);

        PollContext poll = pollOf(exchange);
        assertThat(poll.instance()).isEqualTo(instance);
        assertThat(poll.resource()).isEqualTo(instance.resource(RESOURCE));
        assertThat(poll.element().key()).isEqualTo("smartrecruiters");
        assertThat(poll.startWatermark()).isEqualTo(stored);
        assertThat(poll.candidateWatermark()).isEqualTo(stored);
        assertThat(poll.pollTime()).isEqualTo(POLL_TIME);
        assertThat(poll.pending()).isEmpty();
        assertThat(exchange.getProperty(HubSession.PROPERTY, HubSession.class)).isNotNull().isSameAs(poll.hub());
    }

    @Test
    void hubIsAskedForChangesSinceTheStoredWatermark() throws Exception {
        catalog.put(instance, 1);
        watermarks.put(INSTANCE_ID, RESOURCE, new Watermark(WATERMARK, Set.of()));
        Exchange exchange = fire(INSTANCE_ID, RESOURCE);

        starter.begin(exchange);
        new HubRequest(null).prepare(exchange);

        assertThat(exchange.getIn().getHeader(Exchange.HTTP_URI, String.class)).contains("since=" + WATERMARK.toEpochMilli());
    }

    @Test
    void firstPollStartsAtTheInstancesCreation() {
        catalog.put(instance, 1);
        Exchange exchange = fire(INSTANCE_ID, RESOURCE);

        starter.begin(exchange);

        assertThat(pollOf(exchange).startWatermark()).isEqualTo(new Watermark(CREATED_AT, Set.of()));
    }

    @Test
    void removedInstanceFailsWithoutOpeningAPoll() {
        Exchange exchange = fire(99, RESOURCE);

        assertThatThrownBy(() -> starter.begin(exchange))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("instance 99 no longer exists; its route is being removed");
        assertThat(pollOf(exchange)).isNull();
    }

    @Test
    void removedResourceFailsWithoutOpeningAPoll() {
        catalog.put(instance, 1);
        Exchange exchange = fire(INSTANCE_ID, "companies");

        assertThatThrownBy(() -> starter.begin(exchange))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("instance 7 no longer polls 'companies'");
        assertThat(pollOf(exchange)).isNull();
    }

    @Test
    void rateLimitedInstanceIsSkippedUntilTheHubAllowsIt() {
        catalog.put(instance, 1);
        limits.rateLimited("instance " + INSTANCE_ID, 60_000);
        Exchange exchange = fire(INSTANCE_ID, RESOURCE);

        assertThatThrownBy(() -> starter.begin(exchange))
                .isInstanceOf(PollSkippedException.class)
                .hasMessage("the hub rate-limited instance " + INSTANCE_ID + " until " + POLL_TIME.plusSeconds(60));
        assertThat(pollOf(exchange)).isNull();
        assertThat(exchange.getProperty(HubSession.PROPERTY)).isNull();
    }
}
