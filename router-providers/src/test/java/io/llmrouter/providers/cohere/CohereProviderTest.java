package io.llmrouter.providers.cohere;

import static io.llmrouter.providers.cohere.CohereTestSupport.CLOCK;
import static io.llmrouter.providers.cohere.CohereTestSupport.NOW;
import static io.llmrouter.providers.cohere.CohereTestSupport.json;
import static io.llmrouter.providers.cohere.CohereTestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.ImageDetail;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.PermissionDeniedException;
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(StartedServers.class)
class CohereProviderTest {

    private static final String KEY = "co-test-SECRET-0123456789abcdef";
    private static final String MODEL = "command-a-03-2025";
    private static final String ERROR_ID = "5d1ea3f0-5d8a-4d36-8c0b-000000000001";

    private final MockWebServer server = new MockWebServer();

    // ------------------------------------------------------------------------------------ helpers

    private String apiBase() {
        return server.url("/").toString();
    }

    private static CohereProvider provider() {
        return CohereProvider.builder().environment(environment(Map.of())).clock(CLOCK).build();
    }

    private ProviderCall.Builder call(ChatRequest request) {
        return ProviderCall.builder(request)
                .deploymentId("cohere-primary")
                .modelGroup("command")
                .providerRoute("cohere/" + request.model())
                .apiBase(apiBase())
                .apiKey(Secret.of(KEY))
                .timeout(Duration.ofSeconds(5));
    }

    private ProviderCall call() {
        return call(ChatRequest.ofUser(MODEL, "hello")).build();
    }

    private RecordedRequest sent() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, SECONDS);
        assertThat(request).as("a request reached the server").isNotNull();
        return request;
    }

    private JsonNode sentBody() throws InterruptedException {
        return tree(sent().getBody().utf8());
    }

    private static Tool weatherTool() {
        return Tool.builder("get_weather").description("Current weather for a city").parameters(tree("""
                {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""")).build();
    }

    private static ChatResponse expectedResponse(String id, Message message, FinishReason finish, String raw,
            Usage usage, Map<String, JsonNode> extraFields) {
        return ChatResponse.builder().id(id).model(MODEL).created(NOW.getEpochSecond())
                .addChoice(Choice.builder().message(message).finishReason(finish).rawFinishReason(raw).build())
                .usage(usage).extraFields(extraFields).build();
    }

    // ------------------------------------------------------------------------------- request sent

    @Nested
    class RequestSent {

        @Test
        void givenFullRequest_whenComplete_thenPostsExactJsonAndHeaders() throws Exception {
            // given
            server.enqueue(json(200, resource("chat-response-text.json")));
            ChatRequest request = ChatRequest.builder(MODEL)
                    .addMessage(Message.system("You are a concise travel assistant."))
                    .addMessage(Message.developer("Answer in English."))
                    .addMessage(Message.builder(Role.USER).content("What is the weather in Lyon?").name("ana").build())
                    .addTool(weatherTool())
                    .toolChoice(ToolChoice.required())
                    .temperature(0.2)
                    .topP(0.9)
                    .maxTokens(256)
                    .stop(List.of("\n\n", "END"))
                    .seed(42)
                    .frequencyPenalty(0.1)
                    .presencePenalty(0.2)
                    .user("user-1234")
                    .putMetadata("team", "travel")
                    .parallelToolCalls(true)
                    .putExtraBody("k", IntNode.valueOf(40))
                    .putExtraBody("safety_mode", TextNode.valueOf("STRICT"))
                    .build();
            ProviderCall call = call(request)
                    .options(ProviderOptions.empty().with(CohereProvider.CLIENT_NAME, "travel-app"))
                    .addHeader("X-Trace", "t-1")
                    .build();
            // when
            await(provider().completeAsync(call));
            // then
            RecordedRequest sent = sent();
            assertThat(sent.getMethod()).isEqualTo("POST");
            assertThat(sent.getUrl().encodedPath()).isEqualTo("/v2/chat");
            assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
            assertThat(sent.getHeaders().get("Content-Type")).isEqualTo("application/json");
            assertThat(sent.getHeaders().get("Accept")).isEqualTo("application/json");
            assertThat(sent.getHeaders().get("User-Agent")).isEqualTo("llmrouter/0.1.0");
            assertThat(sent.getHeaders().get("X-Client-Name")).isEqualTo("travel-app");
            assertThat(sent.getHeaders().get("X-Trace")).isEqualTo("t-1");
            assertThat(tree(sent.getBody().utf8())).isEqualTo(tree(resource("request-full.json")));
        }

        @Test
        void givenNoApiBase_whenComplete_thenPostsToBuilderDefaultBase() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));
            CohereProvider provider = CohereProvider.builder().environment(environment(Map.of())).clock(CLOCK)
                    .defaultApiBase(server.url("/gateway/").toString()).build();
            ProviderCall call = ProviderCall.builder(ChatRequest.ofUser(MODEL, "hello")).deploymentId("d")
                    .modelGroup("command").providerRoute("cohere/" + MODEL).apiKey(Secret.of(KEY)).build();

            await(provider.completeAsync(call));

            assertThat(sent().getUrl().encodedPath()).isEqualTo("/gateway/v2/chat");
        }

        @Test
        void givenMinimalRequest_whenComplete_thenSendsOnlyModelMessagesAndStreamFalse() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));

            await(provider().completeAsync(call()));

            assertThat(sentBody()).isEqualTo(tree("""
                    {"model":"command-a-03-2025","messages":[{"role":"user","content":"hello"}],"stream":false}"""));
        }

        @Test
        void givenImageParts_whenComplete_thenSendsImageUrlPartsAndNormalizesTheAnswer() throws Exception {
            // given
            server.enqueue(json(200, resource("chat-response-image.json")));
            ChatRequest request = ChatRequest.builder("command-a-vision-07-2025")
                    .addMessage(Message.user(List.of(TextPart.of("Where was this photo taken?"),
                            ImagePart.of("https://example.com/lyon.jpg", ImageDetail.HIGH),
                            ImagePart.of("data:image/png;base64,iVBORw0KGgo="))))
                    .maxCompletionTokens(300)
                    .build();
            // when
            ChatResponse response = await(provider().completeAsync(call(request).build()));
            // then
            assertThat(sentBody()).isEqualTo(tree(resource("request-image.json")));
            assertThat(response.model()).isEqualTo("command-a-vision-07-2025");
            assertThat(response.text()).isEqualTo(
                    "The photo shows the Basilica of Notre-Dame de Fourvière above the old town of Lyon.");
            assertThat(response.usage()).contains(Usage.of(1125, 21));
        }

        @Test
        void givenTopPOfOne_whenComplete_thenSendsPClampedTo099() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));

            await(provider().completeAsync(call(ChatRequest.builder(MODEL).addMessage(Message.user("hi")).topP(1.0)
                    .build()).build()));

            assertThat(sentBody().get("p").doubleValue()).isEqualTo(0.99);
        }

        @Test
        void givenTopPOfZero_whenComplete_thenSendsPRaisedTo001() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));

            await(provider().completeAsync(call(ChatRequest.builder(MODEL).addMessage(Message.user("hi")).topP(0.0)
                    .build()).build()));

            JsonNode body = sentBody();
            assertThat(body.get("p").doubleValue()).isEqualTo(0.01);
            assertThat(body.has("top_p")).isFalse();
        }

        @Test
        void givenBothTokenLimits_whenComplete_thenMaxTokensWins() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));

            await(provider().completeAsync(call(ChatRequest.builder(MODEL).addMessage(Message.user("hi"))
                    .maxTokens(100).maxCompletionTokens(200).build()).build()));

            JsonNode body = sentBody();
            assertThat(body.get("max_tokens").intValue()).isEqualTo(100);
            assertThat(body.has("max_completion_tokens")).isFalse();
        }

        @Test
        void givenToolChoiceNone_whenComplete_thenSendsNone() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));

            await(provider().completeAsync(call(ChatRequest.builder(MODEL).addMessage(Message.user("hi"))
                    .addTool(weatherTool()).toolChoice(ToolChoice.none()).build()).build()));

            assertThat(sentBody().get("tool_choice").textValue()).isEqualTo("NONE");
        }

        @Test
        void givenToolChoiceAuto_whenComplete_thenOmitsToolChoice() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));

            await(provider().completeAsync(call(ChatRequest.builder(MODEL).addMessage(Message.user("hi"))
                    .addTool(weatherTool()).toolChoice(ToolChoice.auto()).build()).build()));

            JsonNode body = sentBody();
            assertThat(body.has("tool_choice")).isFalse();
            assertThat(body.get("tools")).hasSize(1);
        }

        @Test
        void givenNamedFunctionChoice_whenComplete_thenSendsOnlyThatToolAndRequired() throws Exception {
            // given
            server.enqueue(json(200, resource("chat-response-text.json")));
            Tool clock = Tool.builder("get_time").description("Local time").build();
            ChatRequest request = ChatRequest.builder(MODEL).addMessage(Message.user("hi"))
                    .addTool(clock).addTool(weatherTool()).toolChoice(ToolChoice.function("get_weather")).build();
            // when
            await(provider().completeAsync(call(request).build()));
            // then
            JsonNode body = sentBody();
            assertThat(body.get("tool_choice").textValue()).isEqualTo("REQUIRED");
            assertThat(body.get("tools")).hasSize(1);
            assertThat(body.at("/tools/0/function/name").textValue()).isEqualTo("get_weather");
        }

        @Test
        void givenStrictTool_whenComplete_thenTurnsOnStrictTools() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));
            Tool strict = weatherTool().toBuilder().strict(true).build();

            await(provider().completeAsync(call(ChatRequest.builder(MODEL).addMessage(Message.user("hi"))
                    .addTool(strict).build()).build()));

            JsonNode body = sentBody();
            assertThat(body.get("strict_tools").booleanValue()).isTrue();
            assertThat(body.at("/tools/0/function").has("strict")).isFalse();
        }

        @Test
        void givenJsonSchemaFormat_whenComplete_thenSendsJsonObjectWithSchema() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));
            JsonNode schema = tree("""
                    {"type":"object","properties":{"summary":{"type":"string"}},"required":["summary"]}""");

            await(provider().completeAsync(call(ChatRequest.builder(MODEL).addMessage(Message.user("hi"))
                    .responseFormat(ResponseFormat.builder("answer").schema(schema).strict(true).build())
                    .build()).build()));

            assertThat(sentBody().get("response_format")).isEqualTo(tree("""
                    {"type":"json_object","json_schema":{"type":"object","properties":{"summary":{"type":"string"}},
                     "required":["summary"]}}"""));
        }

        @Test
        void givenJsonObjectFormat_whenComplete_thenSendsJsonObject() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));

            await(provider().completeAsync(call(ChatRequest.builder(MODEL).addMessage(Message.user("hi"))
                    .responseFormat(ResponseFormat.jsonObject()).build()).build()));

            assertThat(sentBody().get("response_format")).isEqualTo(tree("{\"type\":\"json_object\"}"));
        }

        @Test
        void givenTextFormat_whenComplete_thenSendsNoResponseFormat() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));

            await(provider().completeAsync(call(ChatRequest.builder(MODEL).addMessage(Message.user("hi"))
                    .responseFormat(ResponseFormat.text()).build()).build()));

            assertThat(sentBody().has("response_format")).isFalse();
        }

        @Test
        void givenStreamTrue_whenComplete_thenStillSendsStreamFalse() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));

            await(provider().completeAsync(call(ChatRequest.builder(MODEL).addMessage(Message.user("hi"))
                    .stream(true).build()).build()));

            JsonNode body = sentBody();
            assertThat(body.get("stream").booleanValue()).isFalse();
            assertThat(body.has("stream_options")).isFalse();
        }

        @Test
        void givenAssistantRefusalOnly_whenComplete_thenSendsRefusalAsContent() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));
            Message refusal = Message.builder(Role.ASSISTANT).refusal("I can't help with that.").build();

            await(provider().completeAsync(call(ChatRequest.builder(MODEL).addMessage(Message.user("hi"))
                    .addMessage(refusal).addMessage(Message.user("ok")).build()).build()));

            assertThat(sentBody().at("/messages/1")).isEqualTo(tree("""
                    {"role":"assistant","content":"I can't help with that."}"""));
        }
    }

    // ---------------------------------------------------------------- requests refused before any call

    @Nested
    class RefusedBeforeTheCall {

        private void assertRefused(ChatRequest request, String messageFragment) {
            Throwable failure = failureOf(provider().completeAsync(call(request).build()));

            assertThat(failure).isExactlyInstanceOf(BadRequestException.class).hasMessageContaining(messageFragment)
                    .hasMessageStartingWith("cohere: cannot send the request");
            assertThat(((LlmRouterException) failure).isRetryable()).isFalse();
            assertThat(((LlmRouterException) failure).deploymentId()).contains("cohere-primary");
            assertThat(server.getRequestCount()).isZero();
        }

        @Test
        void rejectsTemperatureAboveOne() {
            assertRefused(ChatRequest.builder(MODEL).addMessage(Message.user("hi")).temperature(1.5).build(),
                    "temperature 1.5 is above Cohere's maximum of 1.0");
        }

        @Test
        void rejectsMoreThanFiveStopSequences() {
            assertRefused(ChatRequest.builder(MODEL).addMessage(Message.user("hi"))
                    .stop(List.of("a", "b", "c", "d", "e", "f")).build(), "stop has 6 sequences");
        }

        @Test
        void rejectsSeveralChoices() {
            assertRefused(ChatRequest.builder(MODEL).addMessage(Message.user("hi")).n(2).build(), "n 2");
        }

        @Test
        void rejectsForcedFunctionMissingFromTools() {
            assertRefused(ChatRequest.builder(MODEL).addMessage(Message.user("hi")).addTool(weatherTool())
                    .toolChoice(ToolChoice.function("get_time")).build(), "'get_time'");
        }

        @Test
        void acceptsTemperatureOfExactlyOne() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));

            await(provider().completeAsync(call(ChatRequest.builder(MODEL).addMessage(Message.user("hi"))
                    .temperature(1.0).build()).build()));

            assertThat(sentBody().get("temperature").doubleValue()).isEqualTo(1.0);
        }
    }

    // ------------------------------------------------------------------------------------ API key

    @Nested
    class ApiKey {

        /** A call to the provider's default base, with no key of its own. */
        private ProviderCall callWithoutKey() {
            return ProviderCall.builder(ChatRequest.ofUser(MODEL, "hello")).deploymentId("cohere-primary")
                    .modelGroup("command").providerRoute("cohere/" + MODEL).build();
        }

        /** A provider whose default base is the mock server, reading {@code env}. */
        private CohereProvider providerWith(Map<String, String> env) {
            return CohereProvider.builder().environment(environment(env)).defaultApiBase(apiBase()).build();
        }

        private String authorizationSentWith(Map<String, String> env) throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));
            await(providerWith(env).completeAsync(callWithoutKey()));
            return sent().getHeaders().get("Authorization");
        }

        @Test
        void givenNoDeploymentKey_whenCohereApiKeySet_thenSendsIt() throws Exception {
            assertThat(authorizationSentWith(Map.of("COHERE_API_KEY", "from-cohere-env")))
                    .isEqualTo("Bearer from-cohere-env");
        }

        @Test
        void givenNoDeploymentKey_whenOnlyCoApiKeySet_thenSendsIt() throws Exception {
            assertThat(authorizationSentWith(Map.of("CO_API_KEY", "from-co-env"))).isEqualTo("Bearer from-co-env");
        }

        @Test
        void givenBothVariables_whenComplete_thenCohereApiKeyWins() throws Exception {
            assertThat(authorizationSentWith(Map.of("COHERE_API_KEY", "first", "CO_API_KEY", "second")))
                    .isEqualTo("Bearer first");
        }

        @Test
        void givenDeploymentApiBaseEqualToTheDefault_whenNoDeploymentKey_thenEnvironmentKeySent() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));

            await(providerWith(Map.of("CO_API_KEY", "from-co-env"))
                    .completeAsync(callWithoutKey().toBuilder().apiBase(apiBase()).build()));

            assertThat(sent().getHeaders().get("Authorization")).isEqualTo("Bearer from-co-env");
        }

        @Test
        void givenDeploymentKey_whenVariablesSet_thenDeploymentKeyWins() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));

            await(providerWith(Map.of("COHERE_API_KEY", "from-env"))
                    .completeAsync(callWithoutKey().toBuilder().apiKey(Secret.of(KEY)).build()));

            assertThat(sent().getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        }

        @Test
        void givenApiBaseElsewhereWithoutKey_whenVariableSet_thenEnvironmentKeyIsNotSentThere() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));
            ProviderCall call = callWithoutKey().toBuilder().apiBase(apiBase()).build();

            await(CohereProvider.builder().environment(environment(Map.of("COHERE_API_KEY", "must-stay-home"))).build()
                    .completeAsync(call));

            assertThat(sent().getHeaders().get("Authorization")).isNull();
        }

        @Test
        void givenNoKeyAnywhere_whenComplete_thenAuthenticationExceptionBeforeAnyRequest() {
            Throwable failure = failureOf(providerWith(Map.of()).completeAsync(callWithoutKey()));

            assertThat(failure).isExactlyInstanceOf(AuthenticationException.class)
                    .hasMessage("cohere: no API key: none of the environment variables COHERE_API_KEY, CO_API_KEY "
                            + "is set and the deployment has no apiKey");
            assertThat(((LlmRouterException) failure).deploymentId()).contains("cohere-primary");
            assertThat(server.getRequestCount()).isZero();
        }

        @Test
        void givenDeploymentKeyFromUnsetVariable_whenComplete_thenAuthenticationExceptionNamingIt() {
            ProviderCall call = callWithoutKey().toBuilder()
                    .apiKey(Secret.fromEnv("MY_COHERE_KEY", environment(Map.of()))).build();

            Throwable failure = failureOf(providerWith(Map.of("COHERE_API_KEY", "unused")).completeAsync(call));

            assertThat(failure).isExactlyInstanceOf(AuthenticationException.class)
                    .hasMessage("cohere: no API key: environment variable MY_COHERE_KEY is not set");
            assertThat(server.getRequestCount()).isZero();
        }
    }

    // ------------------------------------------------------------------------------------ answers

    @Nested
    class Answers {

        @Test
        void givenTextAnswer_whenComplete_thenExactNormalizedResponse() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json")));

            ChatResponse response = await(provider().completeAsync(call()));

            assertThat(response).isEqualTo(expectedResponse("5a50480a-cf52-46f0-af01-53d18539bd31",
                    Message.assistant("Lyon sits where the Rhône and the Saône meet, and it is known for its "
                            + "traboules."),
                    FinishReason.STOP, "COMPLETE", Usage.of(12, 17),
                    Map.of("usage_tokens", tree("{\"input_tokens\":78,\"output_tokens\":17}"))));
            assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(29);
            assertThat(response.object()).isEqualTo("chat.completion");
        }

        @Test
        void givenToolCallAnswer_whenComplete_thenExactNormalizedResponse() throws Exception {
            server.enqueue(json(200, resource("chat-response-tool-calls.json")));

            ChatResponse response = await(provider().completeAsync(call()));

            String plan = "I will look up the current weather in Lyon, then answer.";
            Message message = Message.builder(Role.ASSISTANT)
                    .addToolCall(ToolCall.of("get_weather_6zv8xq2r0c1m", "get_weather", "{\"city\":\"Lyon\"}"))
                    .reasoningContent(plan)
                    .putExtraField("tool_plan", TextNode.valueOf(plan))
                    .build();
            assertThat(response).isEqualTo(expectedResponse("b7e1c2a4-0f7d-4a57-9a0e-3c4f5d6e7f80", message,
                    FinishReason.TOOL_CALLS, "TOOL_CALL", Usage.of(41, 23),
                    Map.of("usage_tokens", tree("{\"input_tokens\":1003,\"output_tokens\":61}"))));
            assertThat(response.text()).isEmpty();
        }

        @Test
        void givenFloatTokenCounts_whenComplete_thenIntegerUsageAndLengthFinish() throws Exception {
            server.enqueue(json(200, resource("chat-response-float-usage.json")));

            ChatResponse response = await(provider().completeAsync(call()));

            assertThat(response.usage()).contains(Usage.of(18, 6));
            assertThat(response.finishReason()).contains(FinishReason.LENGTH);
            assertThat(response.choices().get(0).rawFinishReason()).isEqualTo("MAX_TOKENS");
            assertThat(response.extraFields().get("usage_tokens"))
                    .isEqualTo(tree("{\"input_tokens\":1661.0,\"output_tokens\":19.0}"));
        }

        @Test
        void givenThinkingContent_whenComplete_thenReasoningKeptOutOfTheText() throws Exception {
            server.enqueue(json(200, resource("chat-response-thinking.json")));

            ChatResponse response = await(provider().completeAsync(call()));

            Message message = response.choices().get(0).message();
            assertThat(message.text()).isEqualTo("Paris.");
            assertThat(message.extraFields()).isEmpty();
            assertThat(message.reasoningContent().orElseThrow())
                    .isEqualTo("The user wants a one-word answer; the capital of France is Paris.");
        }

        @Test
        void givenCitations_whenComplete_thenKeptOnTheMessage() throws Exception {
            server.enqueue(json(200, resource("chat-response-after-tool-result.json")));

            ChatResponse response = await(provider().completeAsync(call()));

            JsonNode citations = response.choices().get(0).message().extraFields().get("citations");
            assertThat(citations).hasSize(1);
            assertThat(citations.at("/0/sources/0/id").textValue()).isEqualTo("get_weather_6zv8xq2r0c1m:0");
        }

        @Test
        void givenStopSequenceFinish_whenComplete_thenStopWithRawKept() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json").replace("\"COMPLETE\"", "\"STOP_SEQUENCE\"")));

            ChatResponse response = await(provider().completeAsync(call()));

            assertThat(response.finishReason()).contains(FinishReason.STOP);
            assertThat(response.choices().get(0).rawFinishReason()).isEqualTo("STOP_SEQUENCE");
        }

        @Test
        void givenUnknownFinish_whenComplete_thenOtherWithRawKept() throws Exception {
            server.enqueue(json(200, resource("chat-response-text.json").replace("\"COMPLETE\"", "\"SOMETHING_NEW\"")));

            ChatResponse response = await(provider().completeAsync(call()));

            assertThat(response.finishReason()).contains(FinishReason.OTHER);
            assertThat(response.choices().get(0).rawFinishReason()).isEqualTo("SOMETHING_NEW");
        }

        @Test
        void givenObjectArgumentsAndUnknownTopLevelField_whenComplete_thenCompactStringAndExtraField()
                throws Exception {
            server.enqueue(json(200, """
                    {"id":"x-1","message":{"role":"assistant","tool_calls":[{"id":"lookup_1","type":"function",
                     "function":{"name":"lookup","arguments":{"q":"cat","n":2}}}]},"finish_reason":"TOOL_CALL",
                     "logprobs":[{"token_ids":[1,2],"logprobs":[-0.1,-0.2]}]}"""));

            ChatResponse response = await(provider().completeAsync(call()));

            assertThat(response.toolCalls()).containsExactly(ToolCall.of("lookup_1", "lookup", "{\"q\":\"cat\",\"n\":2}"));
            assertThat(response.usage()).isEmpty();
            assertThat(response.extraFields()).containsOnlyKeys("logprobs");
        }

        @Test
        void givenFinishError_whenComplete_thenProviderServerExceptionNotAPartialAnswer() {
            server.enqueue(json(200, resource("chat-response-finish-error.json")));

            Throwable failure = failureOf(provider().completeAsync(call()));

            assertThat(failure).isExactlyInstanceOf(ProviderServerException.class)
                    .hasMessage("cohere: the generation failed with finish_reason ERROR (HTTP 200)");
            LlmRouterException e = (LlmRouterException) failure;
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.statusCode()).hasValue(200);
            assertThat(e.providerRequestId()).contains("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
        }

        @Test
        void givenFinishTimeout_whenComplete_thenRequestTimeoutException() {
            server.enqueue(json(200, resource("chat-response-finish-error.json").replace("\"ERROR\"", "\"TIMEOUT\"")));

            Throwable failure = failureOf(provider().completeAsync(call()));

            assertThat(failure).isExactlyInstanceOf(RequestTimeoutException.class);
            assertThat(((LlmRouterException) failure).isRetryable()).isTrue();
        }

        static Stream<String[]> malformedAnswers() {
            return Stream.of(
                    new String[] {"not JSON", "{\"id\":", "not valid JSON"},
                    new String[] {"array", "[]", "$: expected an object"},
                    new String[] {"no id", "{\"message\":{\"content\":[]},\"finish_reason\":\"COMPLETE\"}",
                            "id: expected a string, was missing"},
                    new String[] {"no message", "{\"id\":\"a\",\"finish_reason\":\"COMPLETE\"}",
                            "message: expected an object, was missing"},
                    new String[] {"content not an array", "{\"id\":\"a\",\"message\":{\"content\":\"hi\"},"
                            + "\"finish_reason\":\"COMPLETE\"}", "message.content: expected an array, was a string"},
                    new String[] {"usage as text", "{\"id\":\"a\",\"message\":{\"content\":[]},\"finish_reason\":"
                            + "\"COMPLETE\",\"usage\":{\"billed_units\":{\"input_tokens\":\"5\"}}}",
                            "usage.billed_units.input_tokens: expected a number, was a string"},
                    new String[] {"tool call without name", "{\"id\":\"a\",\"message\":{\"tool_calls\":[{\"id\":\"c\","
                            + "\"function\":{\"arguments\":\"{}\"}}]},\"finish_reason\":\"TOOL_CALL\"}",
                            "message.tool_calls[0].function.name: expected a string, was missing"});
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("malformedAnswers")
        void givenMalformed200_whenComplete_thenInvalidProviderResponse(String name, String body, String problem) {
            server.enqueue(json(200, body));

            Throwable failure = failureOf(provider().completeAsync(call()));

            assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                    .hasMessageStartingWith("cohere: invalid response (HTTP 200): ").hasMessageContaining(problem);
            assertThat(((LlmRouterException) failure).isRetryable()).isTrue();
        }

        @Test
        void givenHtml200_whenComplete_thenInvalidProviderResponse() {
            server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                    .body("<html><body>Gateway login</body></html>").build());

            Throwable failure = failureOf(provider().completeAsync(call()));

            assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                    .hasMessageContaining("HTML page");
        }

        @Test
        void givenEmpty200_whenComplete_thenInvalidProviderResponse() {
            server.enqueue(new MockResponse.Builder().code(200).build());

            Throwable failure = failureOf(provider().completeAsync(call()));

            assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                    .hasMessageContaining("empty body");
        }
    }

    // ----------------------------------------------------------------------- tool-call round trip

    @Test
    void givenToolCallThenToolResult_whenSecondTurnSent_thenToolPlanCallsAndResultGoBackAndFinalAnswerReturned()
            throws Exception {
        // given: turn 1 asks, Cohere answers with a tool call
        server.enqueue(json(200, resource("chat-response-tool-calls.json")));
        server.enqueue(json(200, resource("chat-response-after-tool-result.json")));
        CohereProvider provider = provider();
        ChatRequest first = ChatRequest.builder(MODEL).addMessage(Message.user("What is the weather in Lyon?"))
                .addTool(weatherTool()).build();
        ChatResponse toolTurn = await(provider.completeAsync(call(first).build()));
        assertThat(toolTurn.finishReason()).contains(FinishReason.TOOL_CALLS);
        ToolCall toolCall = toolTurn.toolCalls().get(0);
        List<Message> conversation = new ArrayList<>(first.messages());
        conversation.add(toolTurn.choices().get(0).message());
        conversation.add(Message.tool(toolCall.id(), "{\"temperature_c\":21,\"sky\":\"sunny\"}"));
        // when: turn 2 sends the assistant turn back with the tool result
        ChatResponse answer = await(provider.completeAsync(call(first.toBuilder().messages(conversation).build())
                .build()));
        // then
        sent();
        assertThat(sentBody()).isEqualTo(tree(resource("request-tool-result.json")));
        assertThat(answer.text()).isEqualTo("It is 21°C and sunny in Lyon.");
        assertThat(answer.finishReason()).contains(FinishReason.STOP);
        assertThat(answer.usage()).contains(Usage.of(88, 11));
    }

    // ------------------------------------------------------------------------------------- errors

    record ErrorCase(String name, int status, String body, Map<String, String> headers,
            Class<? extends LlmRouterException> type, boolean retryable, Duration retryAfter) {

        static ErrorCase of(String name, int status, String body, Class<? extends LlmRouterException> type,
                boolean retryable) {
            return new ErrorCase(name, status, body, Map.of(), type, retryable, null);
        }

        ErrorCase withHeaders(Map<String, String> headers, Duration retryAfter) {
            return new ErrorCase(name, status, body, headers, type, retryable, retryAfter);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static String envelope(String message) {
        return "{\"id\":\"" + ERROR_ID + "\",\"message\":" + TextNode.valueOf(message) + "}";
    }

    static Stream<ErrorCase> errorTable() {
        String rateLimit = envelope("You are using a Trial key, which is limited to 10 API calls / minute.");
        return Stream.of(
                ErrorCase.of("400", 400, envelope("invalid request: message must be at least 1 token long."),
                        BadRequestException.class, false),
                ErrorCase.of("400 too many tokens", 400, envelope("too many tokens: total number of tokens in the "
                        + "prompt cannot exceed 128000 - received 131072. Try using a shorter prompt."),
                        ContextWindowExceededException.class, false),
                ErrorCase.of("401", 401, envelope("invalid api token"), AuthenticationException.class, false),
                ErrorCase.of("402", 402, envelope("Please add or update your payment method."),
                        RateLimitException.class, false),
                ErrorCase.of("403", 403, envelope("You do not have access to this model."),
                        PermissionDeniedException.class, false),
                ErrorCase.of("404", 404, envelope("model 'command-z' not found"), NotFoundException.class, false),
                ErrorCase.of("422", 422, envelope("invalid value for temperature"), BadRequestException.class, false),
                ErrorCase.of("429", 429, rateLimit, RateLimitException.class, true),
                ErrorCase.of("429 retry-after", 429, rateLimit, RateLimitException.class, true)
                        .withHeaders(Map.of("retry-after", "7"), Duration.ofSeconds(7)),
                ErrorCase.of("429 monthly trial limit", 429, envelope("You are using a Trial key, which is limited "
                        + "to 1000 API calls / month."), RateLimitException.class, false),
                ErrorCase.of("498 blocked output", 498, envelope("blocked output: please adjust your prompt"),
                        ContentPolicyViolationException.class, false),
                ErrorCase.of("499 cancelled", 499, envelope("request cancelled"), ProviderConnectionException.class,
                        true),
                ErrorCase.of("500", 500, envelope("internal server error"), ProviderServerException.class, true),
                ErrorCase.of("501", 501, envelope("not implemented"), ProviderServerException.class, true),
                ErrorCase.of("502 HTML from a proxy", 502, "<html><head><title>502 Bad Gateway</title></head></html>",
                        ProviderServerException.class, true),
                ErrorCase.of("503", 503, envelope("service unavailable"), ServiceUnavailableException.class, true),
                ErrorCase.of("504", 504, envelope("gateway timeout"), RequestTimeoutException.class, true),
                ErrorCase.of("500 empty body", 500, "", ProviderServerException.class, true),
                ErrorCase.of("400 message only", 400, "{\"message\":\"invalid request\"}", BadRequestException.class,
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorTable")
    void mapsHttpErrorToTypedException(ErrorCase c) {
        // given
        MockResponse.Builder response = new MockResponse.Builder().code(c.status()).body(c.body());
        response.addHeader("Content-Type", c.body().startsWith("<") ? "text/html" : "application/json");
        c.headers().forEach(response::addHeader);
        server.enqueue(response.build());
        // when
        Throwable failure = failureOf(provider().completeAsync(call()));
        // then
        assertThat(server.getRequestCount()).as("the HTTP client must not retry on its own").isEqualTo(1);
        assertThat(failure).isExactlyInstanceOf(c.type()).hasMessageStartingWith("cohere: ");
        LlmRouterException e = (LlmRouterException) failure;
        assertThat(e.statusCode()).hasValue(c.status());
        assertThat(e.isRetryable()).isEqualTo(c.retryable());
        assertThat(e.provider()).contains("cohere");
        assertThat(e.deploymentId()).contains("cohere-primary");
        assertThat(e.model()).contains(MODEL);
        if (c.body().contains(ERROR_ID)) {
            assertThat(e.providerRequestId()).contains(ERROR_ID);
        }
        if (e instanceof RateLimitException r) {
            assertThat(r.retryAfter()).isEqualTo(Optional.ofNullable(c.retryAfter()));
        }
    }

    @Test
    void givenErrorEnvelope_whenMapped_thenMessageQuotesCohereAndStatus() {
        server.enqueue(json(404, envelope("model 'command-z' not found")));

        Throwable failure = failureOf(provider().completeAsync(call()));

        assertThat(failure).hasMessage("cohere: model 'command-z' not found (HTTP 404)");
    }

    // ---------------------------------------------------------------------------------- transport

    @Test
    void givenCallInFlight_whenFutureCancelled_thenHttpCallIsCancelled() throws Exception {
        // given
        CountDownLatch cancelled = new CountDownLatch(1);
        OkHttpClient client = DefaultHttpClient.create().newBuilder().eventListener(new EventListener() {
            @Override
            public void canceled(Call call) {
                cancelled.countDown();
            }
        }).build();
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        CompletableFuture<ChatResponse> future = CohereProvider.builder().httpClient(client).build()
                .completeAsync(call(ChatRequest.ofUser(MODEL, "hello")).timeout(Duration.ofSeconds(30)).build());
        assertThat(server.takeRequest(5, SECONDS)).isNotNull();
        // when
        boolean didCancel = future.cancel(true);
        // then
        assertThat(didCancel).isTrue();
        assertThat(cancelled.await(5, SECONDS)).as("OkHttp call cancelled").isTrue();
        assertThatThrownBy(() -> future.get(5, SECONDS)).isInstanceOf(CancellationException.class);
    }

    @Test
    void givenNullCall_whenComplete_thenNullPointerExceptionAtOnce() {
        assertThatThrownBy(() -> provider().completeAsync(null)).isInstanceOf(NullPointerException.class);
    }

    // ------------------------------------------------------------------------------------ secrets

    @Test
    void givenErrorBodyEchoingTheKey_whenMapped_thenKeyAppearsNowhere() throws Exception {
        // given: a 401 whose body quotes the key in full, as a misbehaving proxy might
        server.enqueue(json(401, envelope("invalid api token " + KEY + " (header: Bearer " + KEY + ")")));
        ProviderCall call = call();
        CohereProvider provider = provider();
        // when
        Throwable failure = failureOf(provider.completeAsync(call));
        // then
        assertThat(sent().getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(failure).isExactlyInstanceOf(AuthenticationException.class);
        assertThat(failure.getMessage()).doesNotContain("SECRET").contains("invalid api token");
        assertThat(failure.toString()).doesNotContain("SECRET");
        assertThat(call.toString()).doesNotContain("SECRET");
        assertThat(provider.toString()).doesNotContain("SECRET");
    }

    @Test
    void givenMalformedAnswerEchoingTheKey_whenMapped_thenKeyAppearsNowhere() {
        server.enqueue(json(200, "{\"id\":\"" + KEY + "\",\"message\":\"" + KEY + "\"}"));

        Throwable failure = failureOf(provider().completeAsync(call()));

        assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class);
        assertThat(failure.getMessage()).doesNotContain("SECRET");
    }

    @Test
    void rejectsDefaultApiBaseThatIsNotAUrl() {
        assertThatThrownBy(() -> CohereProvider.builder().defaultApiBase("api.cohere.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultApiBase");
    }
}
