package io.llmrouter.providers.azure;

import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.json;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.audio.AudioFormat;
import io.llmrouter.api.audio.SpeechRequest;
import io.llmrouter.api.audio.SpeechResponse;
import io.llmrouter.api.audio.TranscriptionFormat;
import io.llmrouter.api.audio.TranscriptionRequest;
import io.llmrouter.api.audio.TranscriptionResponse;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.responses.ResponsesRequest;
import io.llmrouter.api.responses.ResponsesResponse;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.EndpointCall;
import io.llmrouter.spi.ProviderOptions;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Azure OpenAI's audio ({@code /openai/deployments/{d}/audio/speech}, {@code /audio/transcriptions},
 * multipart) and Responses API ({@code /openai/v1/responses}, {@code /openai/responses?api-version=});
 * bodies from Azure's REST reference, directly and through a router.
 */
@ExtendWith(StartedServers.class)
class AzureAudioAndResponsesTest {

    private static final String KEY = "azure-test-key-0123456789";
    private static final byte[] MP3 = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFB};
    private static final String RESPONSE = """
            {"id":"resp_67cb32528d6881909eb2859a55e18a85","object":"response","created_at":1741369938,
             "status":"completed","model":"gpt-4o-2024-08-06",
             "output":[{"type":"message","id":"msg_67cb3252cfac8190865744873aada798","status":"completed",
               "role":"assistant","content":[{"type":"output_text","text":"Great! How can I help you today?",
               "annotations":[]}]}],
             "usage":{"input_tokens":20,"output_tokens":11,"output_tokens_details":{"reasoning_tokens":0},
                      "total_tokens":31}}""";

    private final MockWebServer server = new MockWebServer();
    private final MockWebServer backup = new MockWebServer();

    private static AzureOpenAiProvider azure() {
        return AzureOpenAiProvider.builder().environment(environment(Map.of())).build();
    }

    private Endpoint endpoint(String deployment, ProviderOptions options) {
        return Endpoint.builder().deploymentId("azure-1").modelGroup("g").providerRoute("azure/" + deployment)
                .apiBase(server.url("/").toString()).apiKey(Secret.of(KEY)).options(options)
                .timeout(Duration.ofSeconds(5)).build();
    }

    private static ProviderOptions version(String apiVersion) {
        return ProviderOptions.empty().with(AzureOpenAiProvider.API_VERSION, apiVersion);
    }

    private static MockResponse audio() {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "audio/mpeg")
                .body(new okio.Buffer().write(ByteString.of(MP3))).build();
    }

    private static ObjectNode responsesBody() {
        return (ObjectNode) tree("{\"model\":\"ignored\",\"input\":\"This is a test.\"}");
    }

    @Test
    void givenSpeech_whenSent_thenPostsToTheDeploymentsAudioSpeechWithKeyAndReturnsTheBytes() throws Exception {
        server.enqueue(audio());

        SpeechResponse response = await(azure().speechAsync(new EndpointCall<>(SpeechRequest.builder("my-tts",
                "Today is a wonderful day!", "alloy").responseFormat(AudioFormat.MP3).build(),
                endpoint("my-tts", version("2025-03-01-preview")))));

        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/openai/deployments/my-tts/audio/speech");
        assertThat(sent.getUrl().queryParameter("api-version")).isEqualTo("2025-03-01-preview");
        assertThat(sent.getHeaders().get("api-key")).isEqualTo(KEY);
        assertThat(sent.getHeaders().get("Authorization")).isNull();
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"my-tts","input":"Today is a wonderful day!","voice":"alloy","response_format":"mp3"}"""));
        assertThat(response.audio()).containsExactly(MP3);
        assertThat(response.contentType()).isEqualTo("audio/mpeg");
        assertThat(response.model()).isEqualTo("my-tts");
    }

    @Test
    void givenTranscriptionWithAnEntraToken_whenSent_thenUploadsMultipartWithBearerAndReadsJson() throws Exception {
        server.enqueue(json(200, "{\"text\":\"The beach was a popular spot.\"}", Map.of()));
        AzureTokenSupplier tokens = () -> CompletableFuture.completedFuture("entra-token-abc");

        TranscriptionResponse response = await(azure().transcribeAsync(new EndpointCall<>(
                TranscriptionRequest.builder("my-whisper", MP3, "speech.mp3").language("en").build(),
                endpoint("my-whisper", version("2024-06-01").with(AzureOpenAiProvider.TOKEN_SUPPLIER, tokens)))));

        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/openai/deployments/my-whisper/audio/transcriptions");
        assertThat(sent.getUrl().queryParameter("api-version")).isEqualTo("2024-06-01");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer entra-token-abc");
        assertThat(sent.getHeaders().get("api-key")).isNull();
        assertThat(sent.getHeaders().get("Content-Type")).startsWith("multipart/form-data; boundary=");
        String body = sent.getBody().string(StandardCharsets.ISO_8859_1);
        assertThat(body).contains("Content-Disposition: form-data; name=\"file\"; filename=\"speech.mp3\"",
                new String(MP3, StandardCharsets.ISO_8859_1), "name=\"model\"\r\n\r\nmy-whisper\r\n",
                "name=\"language\"\r\n\r\nen\r\n");
        assertThat(response).isEqualTo(TranscriptionResponse.builder().model("my-whisper")
                .text("The beach was a popular spot.").build());
    }

    @Test
    void givenTextFormat_whenTranscribed_thenReadsThePlainText() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain; charset=utf-8")
                .body("Hello there.\n").build());

        TranscriptionResponse response = await(azure().transcribeAsync(new EndpointCall<>(
                TranscriptionRequest.builder("my-whisper", MP3, "a.mp3").responseFormat(TranscriptionFormat.TEXT)
                        .build(), endpoint("my-whisper", version("2024-06-01")))));

        assertThat(response.text()).isEqualTo("Hello there.");
    }

    @Test
    void givenHtmlOrJsonInsteadOfAudio_whenSpeechOrTranscription_thenInvalidProviderResponseWithoutTheKey() {
        server.enqueue(json(200, "{\"object\":\"list\"}", Map.of()));
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html>gateway</html>").build());

        Throwable speech = failureOf(azure().speechAsync(new EndpointCall<>(SpeechRequest.builder("my-tts", "hi",
                "alloy").build(), endpoint("my-tts", ProviderOptions.empty()))));
        Throwable transcription = failureOf(azure().transcribeAsync(new EndpointCall<>(
                TranscriptionRequest.builder("my-whisper", MP3, "a.mp3").build(),
                endpoint("my-whisper", ProviderOptions.empty()))));

        assertThat(speech).isInstanceOf(InvalidProviderResponseException.class).hasMessageContaining("audio");
        assertThat(transcription).isInstanceOf(InvalidProviderResponseException.class);
        assertThat(speech.getMessage() + transcription.getMessage()).doesNotContain(KEY);
    }

    @Test
    void givenResponsesWithoutAnApiVersion_whenSent_thenPostsToTheV1ResponsesWithTheDeploymentAsModel()
            throws Exception {
        server.enqueue(json(200, RESPONSE, Map.of()));

        ResponsesResponse response = await(azure().responsesAsync(new EndpointCall<>(
                ResponsesRequest.of("my-gpt-4o", responsesBody()), endpoint("my-gpt-4o", ProviderOptions.empty()))));

        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/openai/v1/responses");
        assertThat(sent.getUrl().query()).isNull();
        assertThat(sent.getHeaders().get("api-key")).isEqualTo(KEY);
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree(
                "{\"model\":\"my-gpt-4o\",\"input\":\"This is a test.\"}"));
        assertThat(response.body()).isEqualTo(tree(RESPONSE));
    }

    @Test
    void givenResponsesWithAnApiVersionOption_whenSent_thenPostsToTheResourceResponsesWithThatVersion()
            throws Exception {
        server.enqueue(json(200, RESPONSE, Map.of()));

        await(azure().responsesAsync(new EndpointCall<>(ResponsesRequest.of("my-gpt-4o", responsesBody()),
                endpoint("my-gpt-4o", version("2025-04-01-preview")))));

        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/openai/responses");
        assertThat(sent.getUrl().queryParameter("api-version")).isEqualTo("2025-04-01-preview");
    }

    @Test
    void givenPrimaryAnswering500_whenRouterResponses_thenBackupAnswersPricedByTokens() {
        // given
        server.enqueue(json(500, "{\"error\":{\"message\":\"server error\",\"type\":\"server_error\"}}", Map.of()));
        backup.enqueue(json(200, RESPONSE, Map.of()));
        try (Router router = Router.builder()
                .deployment(deployment("gpt-4o", "primary", "azure/my-gpt-4o", "azure/gpt-4o", server))
                .deployment(deployment("gpt-4o-backup", "backup", "azure/my-gpt-4o", "azure/gpt-4o", backup))
                .fallbackPolicy(f -> f.fallbacks("gpt-4o", "gpt-4o-backup"))
                .retryPolicy(r -> r.numRetries(0)).build()) {
            // when
            ResponsesResponse response = router.responses(ResponsesRequest.of("gpt-4o", responsesBody()));
            // then
            assertThat(response.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "backup");
            // 20 input tokens at $0.0000025 + 11 output tokens at $0.00001 (azure/gpt-4o)
            assertThat(response.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.00016"));
        }
    }

    @Test
    void givenPrimaryAnswering500_whenRouterSpeechAndTranscription_thenBackupAnswersPricedFromAzureEntries()
            throws Exception {
        // given
        server.enqueue(json(500, "{\"error\":{\"message\":\"server error\",\"type\":\"server_error\"}}", Map.of()));
        backup.enqueue(audio());
        server.enqueue(json(200, "{\"text\":\"hi\",\"duration\":12.5}", Map.of()));
        try (Router router = Router.builder()
                .deployment(deployment("tts", "primary", "azure/my-tts", "azure/tts-1", server))
                .deployment(deployment("tts-backup", "backup", "azure/my-tts", "azure/tts-1", backup))
                .deployment(deployment("stt", "whisper", "azure/my-whisper", "azure/whisper-1", server))
                .fallbackPolicy(f -> f.fallbacks("tts", "tts-backup"))
                .retryPolicy(r -> r.numRetries(0)).build()) {
            // when
            SpeechResponse speech = router.speech(SpeechRequest.builder("tts", "Today is a wonderful day!", "alloy")
                    .build());
            TranscriptionResponse transcription = router.transcription(TranscriptionRequest.builder("stt", MP3,
                    "a.mp3").responseFormat(TranscriptionFormat.VERBOSE_JSON).build());
            // then
            assertThat(speech.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("primary", "backup");
            // 25 characters at azure/tts-1's $0.000015
            assertThat(speech.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.000375"));
            // 12.5 seconds at azure/whisper-1's $0.0001
            assertThat(transcription.cost().totalUsd().orElseThrow()).isEqualByComparingTo(new BigDecimal("0.00125"));
        }
    }

    private Deployment deployment(String group, String id, String route, String baseModel, MockWebServer at) {
        return Deployment.builder(group, route).id(id).provider(azure()).baseModel(baseModel)
                .apiBase(at.url("/").toString()).apiKey(Secret.of(KEY)).build();
    }
}
