/**
 * Audio in OpenAI's shape: speech ({@code POST /v1/audio/speech}:
 * {@link io.llmrouter.api.audio.SpeechRequest}, answered with the audio bytes in a
 * {@link io.llmrouter.api.audio.SpeechResponse}), priced per character, and transcription
 * ({@code POST /v1/audio/transcriptions}, a multipart upload:
 * {@link io.llmrouter.api.audio.TranscriptionRequest} and
 * {@link io.llmrouter.api.audio.TranscriptionResponse}), priced per second of audio; both routed
 * like chat requests.
 *
 * <pre>{@code
 * SpeechResponse speech = router.speech(SpeechRequest.builder("tts", "Hello!", "alloy")
 *         .responseFormat(AudioFormat.MP3).build());
 * Files.write(Path.of("hello.mp3"), speech.audio());
 * }</pre>
 */
package io.llmrouter.api.audio;
