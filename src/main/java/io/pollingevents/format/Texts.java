package io.pollingevents.format;

/** Shortens what others sent (hub bodies, records, token answers) before it goes into a log line or an error. */
public final class Texts {
    /** Characters of a foreign text kept in a message. */
    public static final int MAX_QUOTED = 300;

    private Texts() {
    }

    /** The text cut to {@value #MAX_QUOTED} characters with "..." appended when longer; "" for null. */
    public static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
    }
}
