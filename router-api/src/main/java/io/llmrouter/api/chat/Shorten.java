package io.llmrouter.api.chat;

/** Keeps {@code toString()} output short: long texts and data URIs are cut. */
final class Shorten {

    /** Characters of a text shown by {@code toString()} before it is cut. */
    static final int MAX_SHOWN = 80;

    private Shorten() {
    }

    /** The text quoted, cut to {@link #MAX_SHOWN} characters with its full length appended. */
    static String text(String text) {
        if (text.length() <= MAX_SHOWN) {
            return '"' + text + '"';
        }
        return '"' + text.substring(0, MAX_SHOWN) + "...\" (" + text.length() + " chars)";
    }
}
