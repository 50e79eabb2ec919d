package io.llmrouter.providers.internal;

import java.util.Objects;
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

    /** Package-private for tests, which clear it: a cache, so clearing it changes no outcome. */
    static final ConcurrentMap<String, HttpUrl> PARSED = new ConcurrentHashMap<>();

    private HttpUrls() {
    }

    /** Forgets every remembered URL (tests: the cache is shared by every test of the JVM). */
    static void forgetAll() {
        PARSED.clear();
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

    /**
     * {@code base} with {@code path} appended to its path, its query string kept after them: an
     * {@code apiBase} such as {@code https://proxy/v1?api-version=1} and {@code /chat/completions}
     * give {@code https://proxy/v1/chat/completions?api-version=1} (plain concatenation would put
     * the path inside the query). A fragment is dropped (it is never sent).
     *
     * @param base the base URL text, maybe with a query
     * @param path the path to append, starting with {@code /} (or empty)
     * @return the URL text
     */
    public static String appendPath(String base, String path) {
        int end = endOfPath(base);
        if (end == base.length()) {
            return base + path;
        }
        String head = base.substring(0, end);
        if (head.endsWith("/")) {
            head = head.substring(0, head.length() - 1);
        }
        int fragment = base.indexOf('#', end);
        String query = fragment < 0 ? base.substring(end) : base.substring(end, fragment);
        return head + path + (query.equals("?") ? "" : query);
    }

    /**
     * The part of {@code url} before its query or fragment, to test what its path ends with.
     *
     * @param url the URL text
     * @return the text before the first {@code ?} or {@code #}
     */
    public static String withoutQuery(String url) {
        return url.substring(0, endOfPath(url));
    }

    private static int endOfPath(String url) {
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return url.length();
    }

    /**
     * {@code url} stripped, without trailing slashes.
     *
     * @param url a URL
     * @return the URL without trailing slashes
     */
    public static String withoutTrailingSlash(String url) {
        String s = url.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /**
     * A base URL setting, checked: stripped, without trailing slashes, and an absolute http(s) URL.
     *
     * @param url the value set
     * @param field the setting's name, for the messages
     * @return the base URL
     * @throws NullPointerException if {@code url} is null
     * @throws IllegalArgumentException if it is not an absolute http(s) URL
     */
    public static String checkedBase(String url, String field) {
        Objects.requireNonNull(url, field);
        String base = withoutTrailingSlash(url);
        if (HttpUrl.parse(base) == null) { // not remembered: settings are read once
            throw new IllegalArgumentException(field + " must be an absolute http(s) URL, was '" + url + "'");
        }
        return base;
    }
}
