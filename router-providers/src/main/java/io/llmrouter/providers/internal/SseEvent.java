package io.llmrouter.providers.internal;

import java.util.Objects;
import java.util.Optional;

/**
 * One server-sent event: its {@code event:} name (when given) and its data (the {@code data:}
 * lines of the event joined by newlines).
 *
 * @param event the event name, or null
 * @param data the data
 */
public record SseEvent(String event, String data) {

    /** Checks the data is present. */
    public SseEvent {
        Objects.requireNonNull(data, "data");
    }

    /** The event name, when the event had an {@code event:} line. */
    public Optional<String> name() {
        return Optional.ofNullable(event);
    }

    /** Whether this is OpenAI's terminal {@code data: [DONE]}. */
    public boolean isDone() {
        return "[DONE]".equals(data.strip());
    }
}
