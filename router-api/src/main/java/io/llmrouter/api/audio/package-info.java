/**
 * Audio in OpenAI's shape: speech ({@code POST /v1/audio/speech}:
 * {@link io.llmrouter.api.audio.SpeechRequest}, answered with the audio bytes in a
 * {@link io.llmrouter.api.audio.SpeechResponse}), routed like chat requests and priced per
 * character.
 *
 * <pre>{@code
 * SpeechResponse speech = router.speech(SpeechRequest.builder("tts", "Hello!", "alloy")
 *         .responseFormat(AudioFormat.MP3).build());
 * Files.write(Path.of("hello.mp3"), speech.audio());
 * }</pre>
 */
package io.llmrouter.api.audio;
