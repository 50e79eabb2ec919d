package io.llmrouter.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.internal.OpenAiJsonCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Headers;

/**
 * One HTTP answer, read in full: status, headers, body and how long the call took.
 *
 * <p>The body is kept as UTF-8 bytes (a body received in another charset is decoded and
 * re-encoded once); {@link #json()} parses them directly with Jackson's UTF-8 parser, and
 * {@link #body()} decodes the text only when it is asked for (error messages, HTML checks).
 */
public final class HttpExchange {

    private final int status;
    private final Headers headers;
    private final byte[] utf8;
    private final Duration elapsed;
    private String text;

    /**
     * @param status the HTTP status code
     * @param headers the response headers
     * @param body the response body as text, empty when there was none
     * @param elapsed the time from sending the request to reading the whole body
     */
    public HttpExchange(int status, Headers headers, String body, Duration elapsed) {
        this(status, headers, Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8), elapsed);
        this.text = body;
    }

    /**
     * @param status the HTTP status code
     * @param headers the response headers
     * @param utf8 the body as UTF-8 bytes (not copied: the caller hands it over), empty when none
     * @param elapsed the time from sending the request to reading the whole body
     */
    public HttpExchange(int status, Headers headers, byte[] utf8, Duration elapsed) {
        this.status = status;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.utf8 = Objects.requireNonNull(utf8, "utf8");
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** The response headers. */
    public Headers headers() {
        return headers;
    }

    /** The body as text (decoded once, on first use), empty when there was none. */
    public String body() {
        String t = text;
        if (t == null) {
            t = new String(utf8, StandardCharsets.UTF_8);
            text = t;
        }
        return t;
    }

    /** The body's bytes (a copy), empty when there was none. */
    public byte[] bytes() {
        return utf8.clone();
    }

    /** The body's bytes themselves, not copied, for the readers of this package; not to be modified. */
    byte[] utf8() {
        return utf8;
    }

    /**
     * The body parsed as JSON, straight from its bytes.
     *
     * @return the tree, never null
     * @throws IllegalArgumentException if the body is empty or not JSON
     */
    public JsonNode json() {
        return OpenAiJsonCodec.parse(utf8);
    }

    /** The time from sending the request to reading the whole body. */
    public Duration elapsed() {
        return elapsed;
    }

    /** Whether the status is 2xx. */
    public boolean isSuccessful() {
        return status >= 200 && status < 300;
    }

    /** The value of header {@code name} (case-insensitive), when present. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /** Whether the body is an HTML page: an HTML content type, or text starting with {@code <}. */
    public boolean isHtml() {
        String contentType = header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        return contentType.contains("text/html") || firstNonWhitespace() == '<';
    }

    /** Whether the body is empty or only whitespace. */
    public boolean isBodyBlank() {
        return firstNonWhitespace() < 0;
    }

    /** The body's first non-whitespace character, or -1; read from the bytes while they are ASCII. */
    private int firstNonWhitespace() {
        for (byte b : utf8) {
            if (b < 0) {
                break; // non-ASCII: decide on the decoded text (Unicode whitespace)
            }
            if (!Character.isWhitespace((char) b)) {
                return b;
            }
        }
        String t = body();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "HttpExchange[status=" + status + ", bytes=" + utf8.length + ", elapsed=" + elapsed + "]";
    }
}
