package io.llmrouter.providers.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import okhttp3.HttpUrl;

/**
 * Parsed request URLs, remembered: an adapter builds the same few URLs (one per deployment and
 * operation) on every call, and parsing one is a measurable part of a loopback call. Bounded, so
 * a caller that sends to ever-new URLs only loses the caching.
 */
public final class HttpUrls {

    /** URLs remembered at most; beyond that, URLs are parsed on every use. */
    static final int MAX_ENTRIES = 1_024;

    private static final ConcurrentMap<String, HttpUrl> PARSED = new ConcurrentHashMap<>();

    private HttpUrls() {
    }

    /**
     * The parsed URL, like {@link HttpUrl#parse(String)}.
     *
     * @param url the URL text
     * @return the URL, or null if {@code url} is not a well-formed http(s) URL
     */
    public static HttpUrl parse(String url) {
        HttpUrl parsed = PARSED.get(url);
        if (parsed == null) {
            parsed = HttpUrl.parse(url);
            if (parsed != null && PARSED.size() < MAX_ENTRIES) {
                PARSED.putIfAbsent(url, parsed);
            }
        }
        return parsed;
    }
}
