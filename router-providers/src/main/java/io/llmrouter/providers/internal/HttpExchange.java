package io.llmrouter.providers.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Headers;

/**
 * One HTTP answer, read in full: status, headers, body text and how long the call took.
 *
 * @param status the HTTP status code
 * @param headers the response headers
 * @param body the response body as text, empty when there was none
 * @param elapsed the time from sending the request to reading the whole body
 */
public record HttpExchange(int status, Headers headers, String body, Duration elapsed) {

    /** Checks the components. */
    public HttpExchange {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(elapsed, "elapsed");
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
        return contentType.contains("text/html") || body.stripLeading().startsWith("<");
    }

    /** Whether the body is empty or only whitespace. */
    public boolean isBodyBlank() {
        return body.isBlank();
    }
}
