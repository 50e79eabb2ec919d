package io.llmrouter.providers.openai;

import static io.llmrouter.providers.openai.TestSupport.json;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.audio.AudioFormat;
import io.llmrouter.api.audio.SpeechRequest;
import io.llmrouter.api.audio.SpeechResponse;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.EndpointCall;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** OpenAI's {@code /v1/audio/speech}: a JSON request, a binary answer; directly and through a {@link Router}. */
@ExtendWith(StartedServers.class)
class OpenAiSpeechTest {

    private static final String KEY = "sk-test-speech-0123456789";

    /** The first bytes of an MP3 frame header (ID3 tag), as a speech answer starts. */
    private static final byte[] MP3 = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFB};

    private final MockWebServer server = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();

    private static MockResponse audio() {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "audio/mpeg")
                .body(new okio.Buffer().write(ByteString.of(MP3))).build();
    }

    private Endpoint endpoint() {
        return Endpoint.builder().deploymentId("tts-1").modelGroup("tts").providerRoute("openai/tts-1")
                .apiBase(server.url("/v1").toString()).apiKey(Secret.of(KEY)).timeout(Duration.ofSeconds(5)).build();
    }

    private static OpenAiProvider openAi() {
        return OpenAiProvider.builder().environment(environment(Map.of())).build();
    }

    @Test
    void givenSpeechRequest_whenSent_thenPostsExactBodyAndReturnsTheAudioBytes() throws Exception {
        // given
        server.enqueue(audio());
        // when
        SpeechResponse response = await(openAi().speechAsync(new EndpointCall<>(
                SpeechRequest.builder("tts-1", "Today is a wonderful day!", "alloy").responseFormat(AudioFormat.MP3)
                        .build(), endpoint())));
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/audio/speech");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"tts-1","input":"Today is a wonderful day!","voice":"alloy","response_format":"mp3"}"""));
        assertThat(response.audio()).containsExactly(MP3);
        assertThat(response.contentType()).isEqualTo("audio/mpeg");
        assertThat(response.model()).isEqualTo("tts-1");
    }

    @Test
    void givenJsonInsteadOfAudio_whenSpeech_thenInvalidProviderResponse() {
        server.enqueue(json(200, "{\"object\":\"list\"}"));

        Throwable failure = failureOf(openAi().speechAsync(new EndpointCall<>(
                SpeechRequest.builder("tts-1", "hi", "alloy").build(), endpoint())));

        assertThat(failure).isInstanceOf(InvalidProviderResponseException.class).hasMessageContaining("audio");
        assertThat(failure.getMessage()).doesNotContain(KEY);
    }

    @Test
    void givenPrimaryAnswering500_whenRouterSpeech_thenBackupAnswersPricedPerCharacter() {
        // given
        server.enqueue(json(500, "{\"error\":{\"message\":\"server error\",\"type\":\"server_error\"}}"));
        backup.enqueue(audio());
        try (Router router = Router.builder()
                .deployment(Deployment.builder("tts", "openai/tts-1").id("primary")
                        .apiBase(server.url("/v1").toString()).apiKey(Secret.of(KEY)).build())
                .deployment(Deployment.builder("tts-backup", "openai/tts-1").id("backup")
                        .apiBase(backup.url("/v1").toString()).apiKey(Secret.of(KEY)).build())
                .fallbackPolicy(f -> f.fallbacks("tts", "tts-backup"))
                .retryPolicy(r -> r.numRetries(0)).build()) {
            // when
            SpeechResponse response = router.speech(SpeechRequest.builder("tts", "Today is a wonderful day!", "alloy")
                    .build());
            // then
            assertThat(response.audio()).containsExactly(MP3);
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "backup");
            // 25 characters at tts-1's $0.000015 per character
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.000375"));
        }
    }

    @Test
    void givenAdapterWithoutSpeech_whenRouterSpeech_thenBadRequestBeforeAnyNetworkCall() {
        try (Router router = Router.builder().deployment(Deployment.builder("tts", "gemini/gemini-2.0-flash")
                .apiBase(server.url("/").toString()).apiKey(Secret.of(KEY)).build()).build()) {
            assertThatThrownBy(() -> router.speech(SpeechRequest.builder("tts", "hi", "alloy").build()))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("does not support speech");
            assertThat(server.getRequestCount()).isZero();
        }
    }
}
