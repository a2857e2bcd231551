package io.pollingevents.hub;

/** Where a poll is in the hub's pages: pages read, what the next request asks for, and the current response. */
public final class PageState {
    int pagesRead;
    String nextToken;
    String nextUrl;
    long offset;
    String currentUrl;
    RecordStream current;
    boolean lastPage;

    public int pagesRead() {
        return pagesRead;
    }

    /** Closes the response being read, if any (after a failure mid-page). */
    public void closeCurrent() {
        if (current != null) {
            try {
                current.close();
            } catch (java.io.IOException ignored) {
                // nothing more to read from it
            }
        }
    }
}
