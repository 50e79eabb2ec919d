package io.llmrouter.api.audio;

/**
 * The form of a transcription answer ({@code response_format}).
 *
 * @since 0.1.0
 */
public enum TranscriptionFormat {
    /** {@code {"text": ..}}. */
    JSON("json"),
    /** The text alone, as {@code text/plain}. */
    TEXT("text"),
    /** JSON with the language and the audio's duration too (Whisper). */
    VERBOSE_JSON("verbose_json");

    private final String wireValue;

    TranscriptionFormat(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value on the wire. */
    public String wireValue() {
        return wireValue;
    }
}
