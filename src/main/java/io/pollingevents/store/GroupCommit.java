package io.pollingevents.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Writes items with group commit: the thread that finds no write in progress writes every item waiting at that
 * moment in one batch, and items that arrive meanwhile go into the next batch. One commit per burst instead of one
 * per item (each commit is a disk write), with no timer. Items are written in the order they came. A writer may
 * linger a moment before it takes the waiting items, so that a steady stream of items (each arriving a little after
 * the previous commit started) shares commits instead of paying one each.
 *
 * @param <T> what one caller hands in
 */
public final class GroupCommit<T> {
    private final ConcurrentLinkedQueue<T> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();
    private final Consumer<List<T>> write;
    private final long lingerNanos;

    /** @param write writes one batch (in one transaction); it handles its own failures */
    public GroupCommit(Consumer<List<T>> write) {
        this(write, Duration.ZERO);
    }

    /**
     * @param write  writes one batch (in one transaction); it handles its own failures
     * @param linger how long the thread that writes waits before taking the waiting items; it is the adding thread
     */
    public GroupCommit(Consumer<List<T>> write, Duration linger) {
        this.write = write;
        this.lingerNanos = linger.toNanos();
    }

    /** Queues one item and writes the queue unless another thread is writing it already (which then writes this too). */
    public void add(T item) {
        waiting.add(item);
        // after a writer lets go, look again: an item queued just before that would otherwise wait for the next add
        while (!waiting.isEmpty() && writing.tryLock()) {
            try {
                if (lingerNanos > 0) {
                    LockSupport.parkNanos(lingerNanos);
                }
                List<T> batch = new ArrayList<>();
                for (T next = waiting.poll(); next != null; next = waiting.poll()) {
                    batch.add(next);
                }
                if (!batch.isEmpty()) {
                    write.accept(batch);
                }
            } finally {
                writing.unlock();
            }
        }
    }
}
