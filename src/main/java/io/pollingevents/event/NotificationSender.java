package io.pollingevents.event;

import io.pollingevents.poll.DetectedChange;
import io.pollingevents.poll.PollContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.util.List;

/**
 * Camel-facing steps of delivery: turns a batch of changes into the notification body with its
 * headers ({@link #build}) and signs it ({@link #sign}) before camel-http posts it to the callback URL.
 */
public final class NotificationSender {
    private final NotificationBuilder builder;

    public NotificationSender(NotificationBuilder builder) {
        this.builder = builder;
    }

    @SuppressWarnings("unchecked")
    public void build(Exchange exchange) {
        PollContext poll = exchange.getProperty(PollContext.PROPERTY, PollContext.class);
        List<DetectedChange> batch = exchange.getIn().getBody(List.class);
        exchange.setProperty("pollingBatch", batch);
        Message in = exchange.getIn();
        in.setBody(builder.build(poll, batch));
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        in.setHeader(Exchange.HTTP_URI, poll.instance().callbackUrl());
        in.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
    }

    public void sign(Exchange exchange) {
        PollContext poll = exchange.getProperty(PollContext.PROPERTY, PollContext.class);
        String key = poll.instance().signatureKey();
        if (key != null && !key.isEmpty()) {
            exchange.getIn().setHeader(WebhookSigner.HEADER, WebhookSigner.signature(key, exchange.getIn().getBody(byte[].class)));
        }
    }
}
