package io.llmrouter.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.internal.RedactedCause;
import io.llmrouter.api.internal.UrlRedaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place that keeps credentials out of messages and logs: it masks credential headers, URL
 * user-info and credential-like query parameters ({@link UrlRedaction}), the revealed API key
 * wherever a provider quotes it, and key-shaped tokens (OpenAI's partial echo {@code sk-abc***xyz},
 * {@code Bearer ...}, Google's {@code AIza...}). Beyond texts it redacts JSON trees a provider sent
 * ({@link #json}) and exception causes ({@link #cause}).
 */
public final class Redaction {

    /** What a masked value is replaced with. */
    public static final String MASK = "****";

    /** The longest excerpt of a provider body quoted in an exception message, in characters. */
    public static final int MAX_EXCERPT = 200;

    private static final Set<String> SENSITIVE_HEADERS = Set.of("authorization", "proxy-authorization", "api-key",
            "x-api-key", "x-goog-api-key", "x-amz-security-token", "cookie", "set-cookie");

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

    /**
     * {@code url} (or any text holding URLs) with its user-info and the value of every
     * credential-like query parameter ({@code key}, {@code api_key}, {@code token},
     * {@code access_token}, {@code sig}, {@code X-Amz-Signature}, ...) masked; see {@link UrlRedaction}.
     */
    public static String url(String url) {
        return UrlRedaction.redact(url);
    }

    /**
     * {@code text} with every one of {@code secrets} and every key-shaped token masked.
     *
     * @param text text quoted from a provider
     * @param secrets the credentials sent with the request (may be empty)
     * @return the redacted text
     */
    public static String redact(String text, List<Secret> secrets) {
        Objects.requireNonNull(text, "text");
        String redacted = text;
        for (Secret s : secrets) {
            redacted = s.redact(redacted);
        }
        return text(redacted, (Secret) null);
    }

    /**
     * A provider header value (a request id, say) fit to surface: {@code value} redacted as
     * {@link #text(String, Secret)} does.
     *
     * @param value the header value
     * @param key the credential sent with the request, or null
     * @return the redacted value
     */
    public static String header(String value, Secret key) {
        return text(value, key);
    }

    /**
     * A redacted deep copy of a JSON tree a provider sent (every string value and field name
     * redacted as {@link #text(String, Secret)} does), or null for null.
     *
     * @param node the tree, or null
     * @param key the credential sent with the request, or null
     * @return the copy, or null
     */
    public static JsonNode json(JsonNode node, Secret key) {
        if (node == null) {
            return null;
        }
        JsonNode copy = node.deepCopy();
        return redactTree(copy, key);
    }

    private static JsonNode redactTree(JsonNode node, Secret key) {
        if (node.isTextual()) {
            String redacted = text(node.textValue(), key);
            return redacted.equals(node.textValue()) ? node : TextNode.valueOf(redacted);
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, redactTree(array.get(i), key));
            }
        } else if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = redactTree(object.get(name), key);
                String redactedName = text(name, key);
                if (!redactedName.equals(name)) {
                    object.remove(name);
                }
                object.set(redactedName, value);
            }
        }
        return node;
    }

    /**
     * {@code cause}, fit to keep as the cause of an exception the library throws: itself when no
     * message in its chain (causes and suppressed) quotes a credential, else a copy of the chain
     * made of {@link RedactedCause}s with the same stack traces, each naming the original type and
     * carrying its redacted message. Parser and transport exceptions quote what they read (an
     * answer body that starts with the key, a URL with user-info) and logs print the causes.
     *
     * @param cause the cause, or null
     * @param key the credential sent with the request, or null
     * @return the cause to keep, or null
     */
    public static Throwable cause(Throwable cause, Secret key) {
        return RedactedCause.of(cause, message -> text(message, key));
    }

    /**
     * {@link #cause(Throwable, Secret)} for calls that send several credentials (Bedrock's SigV4).
     *
     * @param cause the cause, or null
     * @param secrets the credentials sent with the request (may be empty)
     * @return the cause to keep, or null
     */
    public static Throwable redactCause(Throwable cause, List<Secret> secrets) {
        return RedactedCause.of(cause, message -> redact(message, secrets));
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
