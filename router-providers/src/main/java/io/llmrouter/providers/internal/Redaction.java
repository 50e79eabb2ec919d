package io.llmrouter.providers.internal;

import io.llmrouter.api.Secret;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place that keeps credentials out of messages and logs: it masks credential headers, the
 * {@code key=} query parameter, the revealed API key wherever a provider quotes it, and key-shaped
 * tokens (OpenAI's partial echo {@code sk-abc***xyz}, {@code Bearer ...}, Google's {@code AIza...}).
 */
public final class Redaction {

    /** What a masked value is replaced with. */
    public static final String MASK = "****";

    /** The longest excerpt of a provider body quoted in an exception message, in characters. */
    public static final int MAX_EXCERPT = 200;

    private static final Set<String> SENSITIVE_HEADERS = Set.of("authorization", "proxy-authorization", "api-key",
            "x-api-key", "x-goog-api-key", "x-amz-security-token", "cookie", "set-cookie");

    private static final Pattern KEY_QUERY = Pattern.compile("(?i)([?&](?:key|api[-_]?key)=)[^&#\\s]*");
    private static final Pattern KEY_TOKENS = Pattern.compile(
            "(?<![A-Za-z0-9])(?:sk-[A-Za-z0-9_*\\-]{3,}|AIza[A-Za-z0-9_\\-]{10,})");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=*\\-]+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Redaction() {
    }

    /** Whether header {@code name} carries a credential and must never be logged or quoted. */
    public static boolean isSensitiveHeader(String name) {
        return SENSITIVE_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** {@code url} with the value of any {@code key=} / {@code api_key=} query parameter masked. */
    public static String url(String url) {
        // The pattern needs "key=" (any case): most texts have none, and then no matcher is made.
        return containsIgnoreCase(url, "key=") ? KEY_QUERY.matcher(url).replaceAll("$1" + MASK) : url;
    }

    /**
     * {@code text} with {@code key}'s value and every key-shaped token masked.
     *
     * @param text text quoted from a provider
     * @param key the credential sent with the request, or null
     * @return the redacted text
     */
    public static String text(String text, Secret key) {
        Objects.requireNonNull(text, "text");
        String redacted = key == null ? text : key.redact(text);
        // Each pattern runs only when its literal prefix occurs: error messages are redacted on every
        // failed attempt, and three regex passes per field were a visible part of a failover.
        if (redacted.contains("sk-") || redacted.contains("AIza")) {
            redacted = KEY_TOKENS.matcher(redacted).replaceAll(MASK);
        }
        if (containsIgnoreCase(redacted, "bearer")) {
            redacted = BEARER.matcher(redacted).replaceAll("$1" + MASK);
        }
        return url(redacted);
    }

    /**
     * A short, redacted, single-line excerpt of {@code body} (at most {@value #MAX_EXCERPT} characters),
     * for exception messages.
     *
     * @param body a response body
     * @param key the credential sent with the request, or null
     * @return the excerpt
     */
    public static String excerpt(String body, Secret key) {
        return shorten(text(body, key), MAX_EXCERPT);
    }

    /** {@code text} on one line, cut to {@code max} characters with a trailing ellipsis when longer. */
    public static String shorten(String text, int max) {
        String stripped = text.strip();
        String oneLine = needsCollapsing(stripped) ? WHITESPACE.matcher(stripped).replaceAll(" ") : stripped;
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "\u2026";
    }

    /** Whether some whitespace run is not a single plain space (what {@link #shorten} collapses). */
    private static boolean needsCollapsing(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) && (c != ' ' || i + 1 < text.length()
                    && Character.isWhitespace(text.charAt(i + 1)))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code text} contains the ASCII {@code part} in any case (part given in lower case). */
    static boolean containsIgnoreCase(String text, String part) {
        int n = part.length();
        char first = part.charAt(0);
        for (int i = 0, last = text.length() - n; i <= last; i++) {
            char c = text.charAt(i);
            if ((c == first || (c | 0x20) == first) && text.regionMatches(true, i, part, 0, n)) {
                return true;
            }
        }
        return false;
    }
}
