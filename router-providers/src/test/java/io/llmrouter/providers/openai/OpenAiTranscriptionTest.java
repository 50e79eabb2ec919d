package io.llmrouter.providers.openai;

import static io.llmrouter.providers.openai.TestSupport.json;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.audio.TranscriptionFormat;
import io.llmrouter.api.audio.TranscriptionRequest;
import io.llmrouter.api.audio.TranscriptionResponse;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.EndpointCall;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** OpenAI's {@code /v1/audio/transcriptions}: a multipart upload; directly and through a {@link Router}. */
@ExtendWith(StartedServers.class)
class OpenAiTranscriptionTest {

    private static final String KEY = "sk-test-whisper-0123456789";
    private static final byte[] AUDIO = {'I', 'D', '3', 4, 0, 0, 1, 2, 3};

    private final MockWebServer server = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();

    private Endpoint endpoint() {
        return Endpoint.builder().deploymentId("whisper").modelGroup("stt").providerRoute("openai/whisper-1")
                .apiBase(server.url("/v1").toString()).apiKey(Secret.of(KEY)).timeout(Duration.ofSeconds(5)).build();
    }

    private static OpenAiProvider openAi() {
        return OpenAiProvider.builder().environment(environment(Map.of())).build();
    }

    @Test
    void givenTranscription_whenSent_thenUploadsMultipartPartsAndReadsVerboseJson() throws Exception {
        // given
        server.enqueue(json(200, """
                {"task":"transcribe","language":"english","duration":8.470000267028809,
                 "text":"The beach was a popular spot on a hot summer day.","segments":[]}"""));
        TranscriptionRequest request = TranscriptionRequest.builder("whisper-1", AUDIO, "speech.mp3").language("en")
                .prompt("beach").responseFormat(TranscriptionFormat.VERBOSE_JSON).build();
        // when
        TranscriptionResponse response = await(openAi().transcribeAsync(new EndpointCall<>(request, endpoint())));
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/audio/transcriptions");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        String contentType = sent.getHeaders().get("Content-Type");
        assertThat(contentType).startsWith("multipart/form-data; boundary=");
        String boundary = contentType.substring(contentType.indexOf("boundary=") + "boundary=".length());
        String body = sent.getBody().string(StandardCharsets.ISO_8859_1);
        String audio = new String(AUDIO, StandardCharsets.ISO_8859_1);
        assertThat(body).isEqualTo("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"speech.mp3\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + audio + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n"
                + "\r\nwhisper-1\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"language\"\r\n"
                + "\r\nen\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"prompt\"\r\n"
                + "\r\nbeach\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"response_format\"\r\n"
                + "\r\nverbose_json\r\n"
                + "--" + boundary + "--\r\n");
        assertThat(response).isEqualTo(TranscriptionResponse.builder().model("whisper-1")
                .text("The beach was a popular spot on a hot summer day.").language("english")
                .durationSeconds(8.470000267028809).build());
    }

    @Test
    void givenTextFormat_whenTranscribed_thenReadsThePlainText() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain; charset=utf-8")
                .body("Hello there.\n").build());

        TranscriptionResponse response = await(openAi().transcribeAsync(new EndpointCall<>(
                TranscriptionRequest.builder("whisper-1", AUDIO, "a.mp3").responseFormat(TranscriptionFormat.TEXT)
                        .build(), endpoint())));

        assertThat(response.text()).isEqualTo("Hello there.");
    }

    @Test
    void givenAnswerWithoutText_whenTranscribed_thenInvalidProviderResponse() {
        server.enqueue(json(200, "{\"language\":\"english\"}"));

        Throwable failure = failureOf(openAi().transcribeAsync(new EndpointCall<>(
                TranscriptionRequest.builder("whisper-1", AUDIO, "a.mp3").build(), endpoint())));

        assertThat(failure).isInstanceOf(InvalidProviderResponseException.class).hasMessageContaining("$.text");
        assertThat(failure.getMessage()).doesNotContain(KEY);
    }

    @Test
    void givenPrimaryAnswering500_whenRouterTranscription_thenBackupAnswersPricedPerSecond() {
        // given
        server.enqueue(json(500, "{\"error\":{\"message\":\"server error\",\"type\":\"server_error\"}}"));
        backup.enqueue(json(200, "{\"text\":\"Hello.\"}"));
        try (Router router = Router.builder()
                .deployment(Deployment.builder("stt", "openai/whisper-1").id("primary")
                        .apiBase(server.url("/v1").toString()).apiKey(Secret.of(KEY)).build())
                .deployment(Deployment.builder("stt-backup", "openai/whisper-1").id("backup")
                        .apiBase(backup.url("/v1").toString()).apiKey(Secret.of(KEY)).build())
                .fallbackPolicy(f -> f.fallbacks("stt", "stt-backup"))
                .retryPolicy(r -> r.numRetries(0)).build()) {
            // when
            TranscriptionResponse response = router.transcription(TranscriptionRequest.builder("stt", AUDIO, "a.mp3")
                    .durationSeconds(12.5).build());
            // then
            assertThat(response.text()).isEqualTo("Hello.");
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "backup");
            // 12.5 seconds at whisper-1's $0.0001 per second
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.00125"));
        }
    }

    @Test
    void givenNoDuration_whenRouterTranscription_thenUnpricedSayingWhy() {
        server.enqueue(json(200, "{\"text\":\"Hello.\"}"));
        try (Router router = Router.builder().deployment(Deployment.builder("stt", "openai/whisper-1")
                .apiBase(server.url("/v1").toString()).apiKey(Secret.of(KEY)).build()).build()) {

            TranscriptionResponse response = router.transcription(TranscriptionRequest.builder("stt", AUDIO, "a.mp3")
                    .build());

            assertThat(response.cost().isPriced()).isFalse();
            assertThat(response.cost().unpricedReason()).hasValueSatisfying(r -> assertThat(r).contains("durationSeconds"));
        }
    }

    @Test
    void givenAdapterWithoutTranscription_whenRouterTranscription_thenBadRequestBeforeAnyNetworkCall() {
        try (Router router = Router.builder().deployment(Deployment.builder("stt", "anthropic/claude-3-5-haiku")
                .apiBase(server.url("/").toString()).apiKey(Secret.of(KEY)).build()).build()) {
            assertThatThrownBy(() -> router.transcription(TranscriptionRequest.builder("stt", AUDIO, "a.mp3").build()))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("does not support transcription");
            assertThat(server.getRequestCount()).isZero();
        }
    }
}
