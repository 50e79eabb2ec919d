package io.llmrouter.providers.internal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Headers;

/**
 * One HTTP answer, read in full: status, headers, body and how long the call took.
 *
 * <p>The body is kept as the bytes received; {@link #body()} decodes it on first use (error
 * messages, HTML checks), so a successful JSON answer can be parsed straight from
 * {@link #bodyBytes()} without an intermediate string.
 */
public final class HttpExchange {

    private final int status;
    private final Headers headers;
    private final byte[] bytes;
    private final Charset charset;
    private final Duration elapsed;
    private String text;

    /**
     * @param status the HTTP status code
     * @param headers the response headers
     * @param body the response body as text, empty when there was none
     * @param elapsed the time from sending the request to reading the whole body
     */
    public HttpExchange(int status, Headers headers, String body, Duration elapsed) {
        this(status, headers, Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8, elapsed);
        this.text = body;
    }

    /**
     * @param status the HTTP status code
     * @param headers the response headers
     * @param bytes the body as received (not copied: the caller hands it over), empty when none
     * @param charset the body's character set
     * @param elapsed the time from sending the request to reading the whole body
     */
    public HttpExchange(int status, Headers headers, byte[] bytes, Charset charset, Duration elapsed) {
        this.status = status;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.charset = Objects.requireNonNull(charset, "charset");
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
            t = new String(bytes, charset);
            text = t;
        }
        return t;
    }

    /**
     * The body's bytes when they are UTF-8 (JSON's encoding), without a copy; callers must not
     * modify them. Empty when the body is in another character set: use {@link #body()}.
     */
    public Optional<byte[]> utf8Bytes() {
        return charset.equals(StandardCharsets.UTF_8) ? Optional.of(bytes) : Optional.empty();
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

    /** The body's first non-whitespace character, or -1; from the bytes while they are ASCII. */
    private int firstNonWhitespace() {
        if (text == null && charset.equals(StandardCharsets.UTF_8)) {
            boolean ascii = true;
            for (byte b : bytes) {
                if (b < 0) {
                    ascii = false; // decide on the decoded text (Unicode whitespace)
                    break;
                }
                if (!Character.isWhitespace((char) b)) {
                    return b;
                }
            }
            if (ascii) {
                return -1;
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
        return "HttpExchange[status=" + status + ", bytes=" + bytes.length + ", elapsed=" + elapsed + "]";
    }
}
