package io.pollingevents.store;

import java.util.Optional;

/**
 * What the engines of one cluster share to keep a vendor's limits together: named locks that one node at a time
 * holds, and how many nodes are alive to split a request rate between. A single engine holds every lock it asks for.
 */
public interface ClusterLocks {
    /** One engine alone: every lock is free, one node shares the rate. */
    ClusterLocks SINGLE_NODE = new ClusterLocks() {
        @Override
        public Optional<AutoCloseable> tryLock(String name) {
            return Optional.of(() -> { });
        }

        @Override
        public int liveNodes() {
            return 1;
        }
    };

    /** Takes the named lock for the whole cluster if no node holds it; close the handle to give it back. */
    Optional<AutoCloseable> tryLock(String name);

    /** The engines of the cluster that checked in lately, at least 1. */
    int liveNodes();
}
