package io.llmrouter.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request a {@link FaultServer} received: method, path, headers and body, as sent on the wire.
 *
 * <p>The headers hold the credentials the client sent ({@code Authorization}, {@code x-api-key}),
 * so a test can check them; {@link #toString()} shows neither headers nor body.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ReceivedRequest {

    private final int call;
    private final String method;
    private final String path;
    private final Map<String, List<String>> headers;
    private final String body;

    ReceivedRequest(int call, String method, String path, Map<String, List<String>> headers, String body) {
        this.call = call;
        this.method = Objects.requireNonNull(method, "method");
        this.path = Objects.requireNonNull(path, "path");
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((name, values) -> lower.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        this.headers = Map.copyOf(lower);
        this.body = Objects.requireNonNull(body, "body");
    }

    /** The call's number at the server, from 1. */
    public int call() {
        return call;
    }

    /** The HTTP method, e.g. {@code POST}. */
    public String method() {
        return method;
    }

    /** The path, e.g. {@code /v1/chat/completions}. */
    public String path() {
        return path;
    }

    /** The first value of header {@code name} (case-insensitive). */
    public Optional<String> header(String name) {
        Objects.requireNonNull(name, "name");
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every header, by lower-case name. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The body, decoded as UTF-8. */
    public String body() {
        return body;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceivedRequest r && call == r.call && method.equals(r.method) && path.equals(r.path)
                && headers.equals(r.headers) && body.equals(r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(call, method, path, headers, body);
    }

    @Override
    public String toString() {
        return "ReceivedRequest[#" + call + " " + method + " " + path + ", " + body.length() + " chars]";
    }
}
