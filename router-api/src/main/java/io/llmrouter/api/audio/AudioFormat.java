package io.llmrouter.api.audio;

/**
 * The encoding of generated speech ({@code response_format}).
 *
 * @since 0.1.0
 */
public enum AudioFormat {
    /** MP3. */
    MP3("mp3"),
    /** Opus. */
    OPUS("opus"),
    /** AAC. */
    AAC("aac"),
    /** FLAC. */
    FLAC("flac"),
    /** WAV. */
    WAV("wav"),
    /** Raw 24 kHz 16-bit PCM. */
    PCM("pcm");

    private final String wireValue;

    AudioFormat(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value on the wire. */
    public String wireValue() {
        return wireValue;
    }
}
