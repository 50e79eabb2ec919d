package io.llmrouter.providers.ollama;

import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.json;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.LongNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolCallDelta;
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import io.llmrouter.testing.RecordingSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The native Ollama adapter against a loopback server, on bodies written from Ollama's docs/api.md. */
@ExtendWith(StartedServers.class)
class OllamaProviderTest {

    private static final String MODEL = "llama3.2";
    /** Always 0: every generated id is 24 'a's. */
    private static final RandomGenerator ZEROS = () -> 0L;
    private static final String IDS = "a".repeat(24);
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private final MockWebServer server = new MockWebServer();

    private static OllamaProvider provider(Map<String, String> env) {
        return OllamaProvider.builder().environment(environment(env)).random(ZEROS)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    private static OllamaProvider provider() {
        return provider(Map.of());
    }

    private ProviderCall.Builder call(ChatRequest request) {
        return ProviderCall.builder(request).deploymentId("local").modelGroup("llama")
                .providerRoute("ollama_chat/" + request.model()).apiBase(server.url("/").toString())
                .timeout(Duration.ofSeconds(5));
    }

    private RecordedRequest sent() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, SECONDS);
        assertThat(request).as("a request reached the server").isNotNull();
        return request;
    }

    private static Tool weatherTool() {
        return Tool.builder("get_weather").description("Get the weather in a given city").parameters(tree("""
                {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""")).build();
    }

    private static MockResponse answer(String text) {
        return json(200, """
                {"model":"llama3.2","created_at":"2025-07-07T20:43:37.688511Z",
                 "message":{"role":"assistant","content":"%s"},"done_reason":"stop","done":true,
                 "total_duration":890771750,"prompt_eval_count":94,"eval_count":11}""".formatted(text), Map.of());
    }

    @Test
    void givenFullRequest_whenComplete_thenPostsExactNativeBodyWithoutAuth() throws Exception {
        // given
        server.enqueue(answer("11 degrees."));
        ChatRequest request = ChatRequest.builder(MODEL)
                .addMessage(Message.developer("Answer in English."))
                .addMessage(Message.user(List.of(TextPart.of("What is in this picture?"),
                        ImagePart.of("data:image/png;base64,iVBORw0KGgo="), TextPart.of("And the weather?"))))
                .addMessage(Message.builder(Role.ASSISTANT).content("").reasoningContent("Need the tool.")
                        .toolCalls(List.of(ToolCall.of("call_1", "get_weather", "{\"city\":\"Toronto\"}"))).build())
                .addMessage(Message.tool("call_1", "11 degrees celsius"))
                .addTool(weatherTool())
                .toolChoice(ToolChoice.auto())
                .responseFormat(ResponseFormat.jsonSchema("weather", tree("""
                        {"type":"object","properties":{"celsius":{"type":"number"}}}""")))
                .temperature(0.2).topP(0.9).maxCompletionTokens(64).stop(List.of("\n\n")).seed(42)
                .presencePenalty(0.1).frequencyPenalty(0.3)
                .putExtraBody("think", com.fasterxml.jackson.databind.node.BooleanNode.FALSE)
                .build();
        ProviderCall call = call(request).options(ProviderOptions.empty().with(OllamaProvider.KEEP_ALIVE, "30m"))
                .build();
        // when
        await(provider().completeAsync(call));
        // then
        RecordedRequest sent = sent();
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/api/chat");
        assertThat(sent.getHeaders().get("Authorization")).isNull();
        assertThat(sent.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"llama3.2",
                 "messages":[
                  {"role":"system","content":"Answer in English."},
                  {"role":"user","content":"What is in this picture?\\nAnd the weather?","images":["iVBORw0KGgo="]},
                  {"role":"assistant","content":"","thinking":"Need the tool.",
                   "tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Toronto"}}}]},
                  {"role":"tool","content":"11 degrees celsius","tool_name":"get_weather"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Get the weather in a given city",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
                 "format":{"type":"object","properties":{"celsius":{"type":"number"}}},
                 "options":{"temperature":0.2,"top_p":0.9,"num_predict":64,"stop":["\\n\\n"],"seed":42,
                   "presence_penalty":0.1,"frequency_penalty":0.3},
                 "keep_alive":"30m","stream":false,"think":false}"""));
    }

    @Test
    void givenJsonObjectFormatAndDeploymentKey_whenComplete_thenFormatJsonAndBearerKey() throws Exception {
        // given
        server.enqueue(answer("{}"));
        ChatRequest request = ChatRequest.builder(MODEL).addMessage(Message.user("json please"))
                .responseFormat(ResponseFormat.jsonObject()).maxTokens(10).build();
        // when
        await(provider().completeAsync(call(request).apiKey(Secret.of("ollama-cloud-SECRET")).build()));
        // then
        RecordedRequest sent = sent();
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer ollama-cloud-SECRET");
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"llama3.2","messages":[{"role":"user","content":"json please"}],"format":"json",
                 "options":{"num_predict":10},"stream":false}"""));
    }

    @Test
    void givenNoApiBase_whenComplete_thenTheEnvironmentBaseIsCalled() throws Exception {
        // given
        server.enqueue(answer("hi"));
        ProviderCall call = ProviderCall.builder(ChatRequest.ofUser(MODEL, "hi")).deploymentId("local")
                .modelGroup("llama").providerRoute("ollama_chat/" + MODEL).timeout(Duration.ofSeconds(5)).build();
        // when
        await(provider(Map.of("OLLAMA_API_BASE", server.url("/").toString())).completeAsync(call));
        // then
        assertThat(sent().getUrl().encodedPath()).isEqualTo("/api/chat");
    }

    @Test
    void givenTheOpenAiRoutesBaseVariableWithV1_whenComplete_thenTheNativePathOnTheServerRoot() throws Exception {
        // given: OLLAMA_API_BASE as written for the ollama/ route
        server.enqueue(answer("hi"));
        ProviderCall call = ProviderCall.builder(ChatRequest.ofUser(MODEL, "hi")).deploymentId("local")
                .modelGroup("llama").providerRoute("ollama_chat/" + MODEL).timeout(Duration.ofSeconds(5)).build();
        // when
        await(provider(Map.of("OLLAMA_API_BASE", server.url("/v1/").toString())).completeAsync(call));
        // then
        assertThat(sent().getUrl().encodedPath()).isEqualTo("/api/chat");
    }

    @Test
    void givenImageByHttpUrl_whenComplete_thenBadRequestBeforeAnyCall() {
        // given
        ChatRequest request = ChatRequest.builder(MODEL).addMessage(Message.user(List.of(TextPart.of("what?"),
                ImagePart.of("https://example.com/cat.png")))).build();
        // when
        Throwable failure = failureOf(provider().completeAsync(call(request).build()));
        // then
        assertThat(failure).isInstanceOf(BadRequestException.class).hasMessageContaining("messages[0].content[1]")
                .hasMessageContaining("data: URL");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenRequiredToolChoice_whenStream_thenBadRequestBeforeAnyCall() {
        // given
        ChatRequest request = ChatRequest.builder(MODEL).addMessage(Message.user("weather?")).addTool(weatherTool())
                .toolChoice(ToolChoice.required()).build();
        RecordingSink sink = new RecordingSink();
        // when
        provider().streamAsync(call(request).build(), sink);
        // then
        assertThat(sink.awaitError()).isInstanceOf(BadRequestException.class).hasMessageContaining("tool_choice");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenNoneToolChoice_whenComplete_thenToolsAreNotSent() throws Exception {
        // given
        server.enqueue(answer("ok"));
        ChatRequest request = ChatRequest.builder(MODEL).addMessage(Message.user("hi")).addTool(weatherTool())
                .toolChoice(ToolChoice.none()).build();
        // when
        await(provider().completeAsync(call(request).build()));
        // then
        assertThat(tree(sent().getBody().utf8()).has("tools")).isFalse();
    }

    @Test
    void givenToolCallsAnswer_whenComplete_thenExactResponseWithGeneratedIdsAndStringArguments() throws Exception {
        // given
        server.enqueue(json(200, """
                {"model":"llama3.2","created_at":"2025-07-07T20:32:53.844124Z",
                 "message":{"role":"assistant","content":"","thinking":"Tokyo twice.",
                  "tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Tokyo","unit":"c"}}},
                   {"function":{"name":"get_weather","arguments":{"city":"Osaka"}}}]},
                 "done_reason":"stop","done":true,"total_duration":3244883583,
                 "prompt_eval_count":169,"eval_count":18}""", Map.of()));
        // when
        ChatResponse response = await(provider().completeAsync(call(ChatRequest.ofUser(MODEL, "weather?")).build()));
        // then
        assertThat(response).isEqualTo(ChatResponse.builder().id("ollama-" + IDS).model(MODEL)
                .created(Instant.parse("2025-07-07T20:32:53Z").getEpochSecond())
                .addChoice(Choice.builder().message(Message.builder(Role.ASSISTANT).content("")
                        .reasoningContent("Tokyo twice.").toolCalls(List.of(
                                ToolCall.of("call_" + IDS, "get_weather", "{\"city\":\"Tokyo\",\"unit\":\"c\"}"),
                                ToolCall.of("call_" + IDS + "_2", "get_weather", "{\"city\":\"Osaka\"}")))
                        .build()).finishReason(FinishReason.TOOL_CALLS).rawFinishReason("stop").build())
                .usage(Usage.of(169, 18)).putExtraField("total_duration", LongNode.valueOf(3244883583L)).build());
    }

    @Test
    void givenLengthAnswerWithoutCounts_whenComplete_thenLengthAndZeroPromptTokens() throws Exception {
        // given: a cached prompt has no prompt_eval_count
        server.enqueue(json(200, """
                {"model":"llama3.2","message":{"role":"assistant","content":"Once upon"},
                 "done_reason":"length","done":true,"eval_count":2}""", Map.of()));
        // when
        ChatResponse response = await(provider().completeAsync(call(ChatRequest.ofUser(MODEL, "story")).build()));
        // then
        assertThat(response.finishReason()).contains(FinishReason.LENGTH);
        assertThat(response.usage()).contains(Usage.of(0, 2));
        assertThat(response.created()).isEqualTo(NOW.getEpochSecond());
    }

    @Test
    void givenMalformedAnswers_whenComplete_thenInvalidProviderResponse() {
        for (String body : List.of("{\"message\":\"text\",\"done\":true}", "{\"done\":true}",
                "{\"message\":{\"content\":\"x\",\"tool_calls\":[{\"function\":{\"arguments\":{}}}]},\"done\":true}",
                "{\"message\":{\"content\":\"x\"},\"eval_count\":\"7\"}", "[1,2]")) {
            server.enqueue(json(200, body, Map.of()));
            assertThat(failureOf(provider().completeAsync(call(ChatRequest.ofUser(MODEL, "hi")).build())))
                    .as(body).isInstanceOf(InvalidProviderResponseException.class);
        }
    }

    @Test
    void givenModelNotPulled_whenComplete_thenNotFoundQuotingOllama() {
        // given
        server.enqueue(json(404, "{\"error\":\"model 'llama3.2' not found\"}", Map.of()));
        // when
        Throwable failure = failureOf(provider().completeAsync(call(ChatRequest.ofUser(MODEL, "hi")).build()));
        // then
        assertThat(failure).isInstanceOf(NotFoundException.class).hasMessageContaining("model 'llama3.2' not found");
        assertThat(((LlmRouterException) failure).isRetryable()).isFalse();
        assertThat(((LlmRouterException) failure).statusCode()).hasValue(404);
    }

    @Test
    void givenToolCallStream_whenStream_thenWholeToolCallThenFinishAndUsage() throws Exception {
        // given
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-ndjson").body("""
                {"model":"llama3.2","created_at":"2025-07-07T20:22:19.184789Z","message":{"role":"assistant","content":"","thinking":"Hmm."},"done":false}
                {"model":"llama3.2","created_at":"2025-07-07T20:22:19.184789Z","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Tokyo"}}}]},"done":false}

                {"model":"llama3.2","created_at":"2025-07-07T20:22:19.19314Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"prompt_eval_count":169,"eval_count":15}
                """).build());
        RecordingSink sink = new RecordingSink();
        // when
        provider().streamAsync(call(ChatRequest.ofUser(MODEL, "weather?")).build(), sink);
        sink.awaitCompleted();
        // then
        String id = "ollama-" + IDS;
        assertThat(sink.chunks()).containsExactly(
                ChatChunk.builder(id, MODEL).role("assistant").reasoning("Hmm.").build(),
                ChatChunk.builder(id, MODEL)
                        .addToolCall(ToolCallDelta.of(0, "call_" + IDS, "get_weather", "{\"city\":\"Tokyo\"}")).build(),
                ChatChunk.builder(id, MODEL).finishReason(FinishReason.TOOL_CALLS).rawFinishReason("stop").build(),
                ChatChunk.builder(id, MODEL).usage(Usage.of(169, 15)).build());
        assertThat(tree(sent().getBody().utf8()).path("stream").booleanValue()).isTrue();
    }

    @Test
    void givenErrorLineAfterText_whenStream_thenRetryableServerFailureAfterTheText() {
        // given
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-ndjson").body("""
                {"model":"llama3.2","message":{"role":"assistant","content":"Yes"},"done":false}
                {"error":"an error was encountered while running the model"}
                """).build());
        RecordingSink sink = new RecordingSink();
        // when
        provider().streamAsync(call(ChatRequest.ofUser(MODEL, "hi")).build(), sink);
        Throwable failure = sink.awaitError();
        // then
        assertThat(sink.texts()).containsExactly("Yes");
        assertThat(failure).isInstanceOf(ProviderServerException.class)
                .hasMessageContaining("an error was encountered while running the model");
        assertThat(((LlmRouterException) failure).isRetryable()).isTrue();
    }

    @Test
    void givenMalformedLine_whenStream_thenInvalidProviderResponse() {
        // given
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-ndjson")
                .body("{\"model\":\"llama3.2\",\"message\":{\"content\":\"Yes\"},\"done\":fal\n").build());
        RecordingSink sink = new RecordingSink();
        // when
        provider().streamAsync(call(ChatRequest.ofUser(MODEL, "hi")).build(), sink);
        // then
        assertThat(sink.awaitError()).isInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("malformed JSON line");
    }

    @Test
    void givenTwoInputs_whenEmbed_thenPostsApiEmbedAndReadsVectorsAndPromptTokens() throws Exception {
        // given
        server.enqueue(json(200, """
                {"model":"all-minilm","embeddings":[[0.010071029,-0.0017594862],[-0.0098027075,0.06042469]],
                 "total_duration":14143917,"load_duration":1019500,"prompt_eval_count":8}""", Map.of()));
        Endpoint endpoint = Endpoint.builder().deploymentId("embed").modelGroup("embeddings")
                .providerRoute("ollama_chat/all-minilm").apiBase(server.url("/").toString())
                .options(ProviderOptions.empty().with(OllamaProvider.KEEP_ALIVE, "0")).build();
        EmbeddingRequest request = EmbeddingRequest.builder("all-minilm").addInput("Why is the sky blue?")
                .addInput("Why is the grass green?").dimensions(2).build();
        // when
        EmbeddingResponse response = await(provider().embedAsync(new EmbeddingCall(request, endpoint)));
        // then
        RecordedRequest sent = sent();
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/api/embed");
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"all-minilm","input":["Why is the sky blue?","Why is the grass green?"],"dimensions":2,
                 "keep_alive":"0"}"""));
        assertThat(response.data()).hasSize(2);
        assertThat(response.data().get(1).vector()).containsExactly(-0.0098027075f, 0.06042469f);
        assertThat(response.usage().map(Usage::promptTokens)).contains(8);
    }
}
