package io.llmrouter.providers.anthropic;

import static io.llmrouter.providers.anthropic.AnthropicTestSupport.CLOCK;
import static io.llmrouter.providers.anthropic.AnthropicTestSupport.NOW;
import static io.llmrouter.providers.anthropic.AnthropicTestSupport.json;
import static io.llmrouter.providers.anthropic.AnthropicTestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.llmrouter.api.Secret;
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
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.PermissionDeniedException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.providers.internal.DefaultHttpClient;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(StartedServers.class)
class AnthropicProviderTest {

    private static final String KEY = "sk-ant-api03-SECRET-0123456789abcdef";
    private static final String MODEL = "claude-sonnet-4-5";

    private final MockWebServer server = new MockWebServer();

    // ------------------------------------------------------------------------------------ helpers

    private String apiBase() {
        return server.url("/anthropic").toString();
    }

    private static AnthropicProvider provider() {
        return AnthropicProvider.builder().clock(CLOCK).build();
    }

    private ProviderCall.Builder call(ChatRequest request) {
        return ProviderCall.builder(request)
                .deploymentId("claude-primary")
                .modelGroup("claude")
                .providerRoute("anthropic/" + MODEL)
                .apiBase(apiBase())
                .apiKey(Secret.of(KEY))
                .timeout(Duration.ofSeconds(5));
    }

    private ProviderCall call() {
        return call(ChatRequest.ofUser(MODEL, "Hello")).build();
    }

    private RecordedRequest sent() throws InterruptedException {
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent).as("request sent").isNotNull();
        return sent;
    }

    private static JsonNode bodyOf(RecordedRequest sent) {
        return tree(sent.getBody().utf8());
    }

    private static JsonNode weatherSchema() {
        return tree("""
                {"type":"object",
                 "properties":{"location":{"type":"string","description":"The city and country, e.g. Paris, France"},
                               "unit":{"type":"string","enum":["celsius","fahrenheit"]}},
                 "required":["location"]}""");
    }

    private static Tool weatherTool() {
        return Tool.builder("get_weather").description("Get the current weather in a given location")
                .parameters(weatherSchema()).build();
    }

    private static Message withExtra(Message m, String name, String json) {
        return m.toBuilder().putExtraField(name, tree(json)).build();
    }

    // ------------------------------------------------------------------------------- request sent

    @Nested
    class RequestSent {

        @Test
        void givenSystemDeveloperAndRepeatedRoles_whenComplete_thenLiftsSystemAndMergesTurns() throws Exception {
            // given
            server.enqueue(json(200, resource("response-text.json")));
            ChatRequest request = ChatRequest.builder(MODEL)
                    .addMessage(Message.system("You are a concise travel assistant."))
                    .addMessage(Message.user("I am planning a trip to Lyon."))
                    .addMessage(Message.user("What should I pack for October?"))
                    .addMessage(Message.developer("Answer in English."))
                    .addMessage(Message.assistant("Layers and an umbrella."))
                    .addMessage(Message.assistant("Comfortable shoes, too."))
                    .addMessage(Message.user("Thanks!"))
                    .temperature(0.3).topP(0.9).maxTokens(512).stop(List.of("END")).user("user-42")
                    .build();
            // when
            await(provider().completeAsync(call(request).build()));
            // then
            RecordedRequest sent = sent();
            assertThat(sent.getMethod()).isEqualTo("POST");
            assertThat(sent.getUrl().encodedPath()).isEqualTo("/anthropic/v1/messages");
            assertThat(sent.getHeaders().get("x-api-key")).isEqualTo(KEY);
            assertThat(sent.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
            assertThat(sent.getHeaders().get("content-type")).isEqualTo("application/json");
            assertThat(sent.getHeaders().get("accept")).isEqualTo("application/json");
            assertThat(sent.getHeaders().get("anthropic-beta")).isNull();
            assertThat(sent.getHeaders().get("Authorization")).isNull();
            assertThat(bodyOf(sent)).isEqualTo(tree(resource("request-system-merge.json")));
        }

        @Test
        void givenToolsChoiceSchemaAndExtraBody_whenComplete_thenSendsAnthropicToolAndOutputShapes() throws Exception {
            // given
            server.enqueue(json(200, resource("response-text.json")));
            JsonNode planSchema = tree("""
                    {"type":"object","properties":{"plan":{"type":"string"}},"required":["plan"],
                     "additionalProperties":false}""");
            ChatRequest request = ChatRequest.builder(MODEL)
                    .addMessage(Message.user("Plan my day in Lyon."))
                    .maxCompletionTokens(2048)
                    .addTool(Tool.builder("get_weather").description("Get the current weather in a given location")
                            .parameters(tree("""
                                    {"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}"""))
                            .strict(true).build())
                    .addTool(Tool.builder("get_time").build())
                    .toolChoice(ToolChoice.function("get_weather"))
                    .parallelToolCalls(false)
                    .responseFormat(ResponseFormat.builder("day_plan").schema(planSchema).strict(true).build())
                    .putExtraBody("top_k", tree("5"))
                    .putExtraBody("output_config", tree("{\"effort\":\"high\"}"))
                    .build();
            // when
            await(provider().completeAsync(call(request).build()));
            // then
            assertThat(bodyOf(sent())).isEqualTo(tree(resource("request-tool-options.json")));
        }

        @Test
        void givenBase64AndHttpsImageParts_whenComplete_thenSendsBase64AndUrlImageSources() throws Exception {
            // given
            server.enqueue(json(200, resource("response-text.json")));
            String png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
            ChatRequest request = ChatRequest.builder(MODEL)
                    .addMessage(Message.user(List.of(
                            TextPart.of("What is the difference between these two images?"),
                            ImagePart.of("data:image/png;base64," + png),
                            ImagePart.of("https://upload.wikimedia.org/wikipedia/commons/a/a7/"
                                    + "Camponotus_flavomarginatus_ant.jpg"))))
                    .build();
            // when
            await(provider().completeAsync(call(request).build()));
            // then
            assertThat(bodyOf(sent())).isEqualTo(tree(resource("request-images.json")));
        }

        @Test
        void givenCacheControlExtraFields_whenComplete_thenSendsSystemBlocksAndBreakpointsOnLastBlocks()
                throws Exception {
            // given
            server.enqueue(json(200, resource("response-cache-usage.json")));
            ChatRequest request = ChatRequest.builder(MODEL)
                    .addMessage(Message.system("You answer questions about the attached contract."))
                    .addMessage(withExtra(Message.system("<contract>The contract starts in May, renews yearly, and "
                            + "ends with 30 days' notice.</contract>"), "cache_control", "{\"type\":\"ephemeral\"}"))
                    .addMessage(withExtra(Message.user("Summarize the key points"), "cache_control",
                            "{\"type\":\"ephemeral\",\"ttl\":\"1h\"}"))
                    .maxTokens(1024)
                    .build();
            // when
            await(provider().completeAsync(call(request).build()));
            // then
            assertThat(bodyOf(sent())).isEqualTo(tree(resource("request-cache-control.json")));
        }

        @Test
        void givenNoOutputLimit_whenComplete_thenSendsDefaultMaxTokens() throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            server.enqueue(json(200, resource("response-text.json")));

            await(provider().completeAsync(call()));
            await(AnthropicProvider.builder().defaultMaxTokens(8192).build().completeAsync(call()));

            assertThat(bodyOf(sent()).get("max_tokens").intValue()).isEqualTo(AnthropicProvider.DEFAULT_MAX_TOKENS)
                    .isEqualTo(4096);
            assertThat(bodyOf(sent()).get("max_tokens").intValue()).isEqualTo(8192);
        }

        @Test
        void givenBothOutputLimits_whenComplete_thenMaxCompletionTokensWins() throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            ChatRequest request = ChatRequest.builder(MODEL).addMessage(Message.user("Hello")).maxTokens(100)
                    .maxCompletionTokens(200).build();

            await(provider().completeAsync(call(request).build()));

            JsonNode body = bodyOf(sent());
            assertThat(body.get("max_tokens").intValue()).isEqualTo(200);
            assertThat(body.has("max_completion_tokens")).isFalse();
        }

        @Test
        void givenBetaOptionAndExtraHeader_whenComplete_thenSendsDeduplicatedBetaAndTheHeader() throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            ProviderCall call = call(ChatRequest.ofUser(MODEL, "Hello"))
                    .options(ProviderOptions.empty().with(AnthropicProvider.BETA,
                            List.of("context-1m-2025-08-07, files-api-2025-04-14", "context-1m-2025-08-07", " ")))
                    .addHeader("x-trace", "t-1")
                    .build();

            await(provider().completeAsync(call));

            RecordedRequest sent = sent();
            assertThat(sent.getHeaders().get("anthropic-beta")).isEqualTo("context-1m-2025-08-07,files-api-2025-04-14");
            assertThat(sent.getHeaders().get("x-trace")).isEqualTo("t-1");
        }

        @ParameterizedTest
        @CsvSource({
                "/gw, /gw/v1/messages",
                "/gw/, /gw/v1/messages",
                "/gw/v1, /gw/v1/messages",
                "/gw/v1/messages, /gw/v1/messages"})
        void givenApiBaseForms_whenComplete_thenPostsToItsMessagesPath(String base, String path) throws Exception {
            server.enqueue(json(200, resource("response-text.json")));

            await(provider().completeAsync(call(ChatRequest.ofUser(MODEL, "Hello")).apiBase(server.url(base)
                    .toString()).build()));

            assertThat(sent().getUrl().encodedPath()).isEqualTo(path);
        }

        @Test
        void givenParallelToolCallsFalseWithoutToolChoice_whenComplete_thenSendsAutoWithParallelDisabled()
                throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            ChatRequest request = ChatRequest.builder(MODEL).addMessage(Message.user("Weather?")).addTool(weatherTool())
                    .parallelToolCalls(false).build();

            await(provider().completeAsync(call(request).build()));

            assertThat(bodyOf(sent()).get("tool_choice"))
                    .isEqualTo(tree("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
        }

        @ParameterizedTest
        @CsvSource({"AUTO, {\"type\":\"auto\"}", "REQUIRED, {\"type\":\"any\"}", "NONE, {\"type\":\"none\"}"})
        void mapsToolChoiceModes(ToolChoice.Mode mode, String expected) throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            ToolChoice choice = switch (mode) {
                case AUTO -> ToolChoice.auto();
                case REQUIRED -> ToolChoice.required();
                default -> ToolChoice.none();
            };
            ChatRequest request = ChatRequest.builder(MODEL).addMessage(Message.user("Weather?")).addTool(weatherTool())
                    .toolChoice(choice).build();

            await(provider().completeAsync(call(request).build()));

            assertThat(bodyOf(sent()).get("tool_choice")).isEqualTo(tree(expected));
        }

        @Test
        void givenAssistantMessageFromAThinkingAnswer_whenSentBack_thenReplaysThinkingBlocksFirst() throws Exception {
            // given: an answer with thinking blocks, then the conversation continued with it
            server.enqueue(json(200, resource("response-thinking.json")));
            server.enqueue(json(200, resource("response-text.json")));
            ChatResponse first = await(provider().completeAsync(call(ChatRequest.ofUser(MODEL,
                    "Are there infinitely many primes?")).build()));
            ChatRequest followUp = ChatRequest.builder(MODEL)
                    .addMessage(Message.user("Are there infinitely many primes?"))
                    .addMessage(first.choices().get(0).message())
                    .addMessage(Message.user("Prove it briefly."))
                    .build();
            sent();
            // when
            await(provider().completeAsync(call(followUp).build()));
            // then
            JsonNode assistant = bodyOf(sent()).get("messages").get(1);
            JsonNode answerBlocks = tree(resource("response-thinking.json")).get("content");
            assertThat(assistant.get("role").textValue()).isEqualTo("assistant");
            assertThat(assistant.get("content")).isEqualTo(answerBlocks);
        }

        @Test
        void givenToolMessageFollowedByUserText_whenComplete_thenOneUserTurnWithResultsFirst() throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            ChatRequest request = ChatRequest.builder(MODEL)
                    .addMessage(Message.user("Weather in Paris?"))
                    .addMessage(Message.builder(Role.ASSISTANT).content("")
                            .addToolCall(ToolCall.of("toolu_1", "get_weather", "")).build())
                    .addMessage(Message.tool("toolu_1", "18°C"))
                    .addMessage(Message.user("Answer in Fahrenheit."))
                    .addTool(weatherTool())
                    .build();

            await(provider().completeAsync(call(request).build()));

            JsonNode messages = bodyOf(sent()).get("messages");
            assertThat(messages).hasSize(3);
            assertThat(messages.get(1)).isEqualTo(tree("""
                    {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}]}"""));
            assertThat(messages.get(2)).isEqualTo(tree("""
                    {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18°C"},
                                              {"type":"text","text":"Answer in Fahrenheit."}]}"""));
        }

        static Stream<Object[]> unsupportedRequests() {
            UnaryOperator<ChatRequest.Builder> none = b -> b;
            return Stream.of(
                    new Object[] {"temperature above 1", (UnaryOperator<ChatRequest.Builder>) b -> b.temperature(1.5),
                            "temperature 1.5 is above Anthropic's maximum 1.0"},
                    new Object[] {"n above 1", (UnaryOperator<ChatRequest.Builder>) b -> b.n(2), "n 2"},
                    new Object[] {"seed", (UnaryOperator<ChatRequest.Builder>) b -> b.seed(7), "seed"},
                    new Object[] {"presence penalty", (UnaryOperator<ChatRequest.Builder>) b -> b.presencePenalty(0.5),
                            "presence_penalty"},
                    new Object[] {"frequency penalty",
                            (UnaryOperator<ChatRequest.Builder>) b -> b.frequencyPenalty(0.5), "frequency_penalty"},
                    new Object[] {"json_object",
                            (UnaryOperator<ChatRequest.Builder>) b -> b.responseFormat(ResponseFormat.jsonObject()),
                            "json_object"},
                    new Object[] {"invalid tool-call arguments", (UnaryOperator<ChatRequest.Builder>) b -> b
                            .addMessage(Message.assistantToolCalls(List.of(ToolCall.of("toolu_1", "f", "{\"a\":"))))
                            .addMessage(Message.tool("toolu_1", "ok")),
                            "messages[1].tool_calls[0].function.arguments is not valid JSON"},
                    new Object[] {"array tool-call arguments", (UnaryOperator<ChatRequest.Builder>) b -> b
                            .addMessage(Message.assistantToolCalls(List.of(ToolCall.of("toolu_1", "f", "[1]"))))
                            .addMessage(Message.tool("toolu_1", "ok")),
                            "messages[1].tool_calls[0].function.arguments must be a JSON object"},
                    new Object[] {"ftp image URL", (UnaryOperator<ChatRequest.Builder>) b -> b
                            .messages(List.of(Message.user(List.of(ImagePart.of("ftp://example.com/a.png"))))),
                            "messages[0].content[0].image_url.url"},
                    new Object[] {"data URL without base64", (UnaryOperator<ChatRequest.Builder>) b -> b
                            .messages(List.of(Message.user(List.of(ImagePart.of("data:image/png,abc"))))),
                            "data:<media type>;base64,<data>"},
                    new Object[] {"only a system message", (UnaryOperator<ChatRequest.Builder>) b -> b
                            .messages(List.of(Message.system("Be brief."))), "at least one user or assistant message"},
                    new Object[] {"cache_control that is not an object", (UnaryOperator<ChatRequest.Builder>) b -> b
                            .messages(List.of(withExtra(Message.user("Hi"), "cache_control", "\"ephemeral\""))),
                            "messages[0].cache_control must be an object"},
                    new Object[] {"nothing unsupported (control)", none, null});
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("unsupportedRequests")
        void givenRequestAnthropicCannotHonour_whenComplete_thenBadRequestBeforeAnyCall(String name,
                UnaryOperator<ChatRequest.Builder> change, String message) throws Exception {
            ChatRequest request = change.apply(ChatRequest.builder(MODEL).addMessage(Message.user("Hello"))).build();
            if (message == null) {
                server.enqueue(json(200, resource("response-text.json")));
                assertThat(await(provider().completeAsync(call(request).build())).text()).isNotEmpty();
                return;
            }

            Throwable failure = failureOf(provider().completeAsync(call(request).build()));

            assertThat(failure).isExactlyInstanceOf(BadRequestException.class)
                    .hasMessageStartingWith("anthropic: cannot send the request: ").hasMessageContaining(message);
            assertThat(((LlmRouterException) failure).deploymentId()).contains("claude-primary");
            assertThat(server.getRequestCount()).isZero();
        }
    }

    // ------------------------------------------------------------------------------------- keys

    @Nested
    class Keys {

        @Test
        void givenNoDeploymentKeyOnDefaultBase_whenComplete_thenSendsAnthropicApiKeyFromEnvironment() throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            AnthropicProvider provider = AnthropicProvider.builder().defaultApiBase(apiBase())
                    .environment(Map.of("ANTHROPIC_API_KEY", "sk-ant-from-env-0123456789")::get).build();
            ProviderCall call = ProviderCall.builder(ChatRequest.ofUser(MODEL, "Hello")).deploymentId("claude-primary")
                    .modelGroup("claude").providerRoute("anthropic/" + MODEL).build();

            await(provider.completeAsync(call));

            RecordedRequest sent = sent();
            assertThat(sent.getUrl().encodedPath()).isEqualTo("/anthropic/v1/messages");
            assertThat(sent.getHeaders().get("x-api-key")).isEqualTo("sk-ant-from-env-0123456789");
        }

        @Test
        void givenNoKeyAnywhere_whenComplete_thenAuthenticationBeforeAnyRequest() {
            AnthropicProvider provider = AnthropicProvider.builder().defaultApiBase(apiBase())
                    .environment(Map.<String, String>of()::get).build();
            ProviderCall call = ProviderCall.builder(ChatRequest.ofUser(MODEL, "Hello")).deploymentId("claude-primary")
                    .modelGroup("claude").providerRoute("anthropic/" + MODEL).build();

            Throwable failure = failureOf(provider.completeAsync(call));

            assertThat(failure).isExactlyInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("ANTHROPIC_API_KEY");
            assertThat(((LlmRouterException) failure).statusCode()).isEmpty();
            assertThat(server.getRequestCount()).isZero();
        }

        @Test
        void givenDeploymentKeyFromUnsetVariable_whenComplete_thenAuthenticationNamingItBeforeAnyRequest() {
            ProviderCall call = call(ChatRequest.ofUser(MODEL, "Hello"))
                    .apiKey(Secret.fromEnv("TEAM_CLAUDE_KEY", Map.<String, String>of()::get)).build();

            Throwable failure = failureOf(provider().completeAsync(call));

            assertThat(failure).isExactlyInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("TEAM_CLAUDE_KEY is not set");
            assertThat(server.getRequestCount()).isZero();
        }

        @Test
        void givenGatewayApiBaseWithoutKey_whenComplete_thenSendsNoKeyFromTheEnvironment() throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            AnthropicProvider provider = AnthropicProvider.builder()
                    .environment(Map.of("ANTHROPIC_API_KEY", "sk-ant-from-env-0123456789")::get).build();
            ProviderCall call = ProviderCall.builder(ChatRequest.ofUser(MODEL, "Hello")).deploymentId("gw")
                    .modelGroup("claude").providerRoute("anthropic/" + MODEL).apiBase(apiBase()).build();

            await(provider.completeAsync(call));

            assertThat(sent().getHeaders().get("x-api-key")).isNull();
        }

        @Test
        void rejectsNullCallAtOnce() {
            assertThatThrownBy(() -> provider().completeAsync(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("call");
        }

        @Test
        void rejectsInvalidBuilderSettings() {
            assertThatThrownBy(() -> AnthropicProvider.builder().defaultApiBase("api.anthropic.com"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultApiBase");
            assertThatThrownBy(() -> AnthropicProvider.builder().defaultMaxTokens(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultMaxTokens");
        }

        @Test
        void givenErrorBodyEchoingTheKey_whenMapped_thenKeyAppearsNowhere() {
            server.enqueue(json(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                    + "\"message\":\"invalid x-api-key " + KEY + "\"},\"request_id\":\"req_1\"}"));
            server.enqueue(new MockResponse.Builder().code(502).addHeader("Content-Type", "text/html")
                    .body("<html>x-api-key was " + KEY + "</html>").build());
            server.enqueue(json(200, "{\"id\":\"msg_1\",\"note\":\"" + KEY + "\", \"content\": [ "));
            ProviderCall call = call();
            AnthropicProvider provider = provider();

            Throwable auth = failureOf(provider.completeAsync(call));
            Throwable html = failureOf(provider.completeAsync(call));
            Throwable malformed = failureOf(provider.completeAsync(call));

            assertThat(auth).isExactlyInstanceOf(AuthenticationException.class).hasMessageContaining("invalid x-api-key");
            assertThat(html).isExactlyInstanceOf(ProviderServerException.class);
            assertThat(malformed).isExactlyInstanceOf(InvalidProviderResponseException.class);
            for (Throwable failure : List.of(auth, html, malformed)) {
                for (Throwable t = failure; t != null; t = t.getCause()) {
                    assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY).doesNotContain("SECRET");
                    assertThat(t.toString()).doesNotContain(KEY).doesNotContain("SECRET");
                }
                assertThat(((LlmRouterException) failure).context().toString()).doesNotContain("SECRET");
            }
            assertThat(call.toString()).doesNotContain("SECRET");
            assertThat(provider.toString()).doesNotContain("SECRET");
        }
    }

    // ---------------------------------------------------------------------------------- answers

    @Nested
    class Answers {

        @Test
        void givenTextAnswer_whenComplete_thenReturnsExactNormalizedResponse() throws Exception {
            server.enqueue(json(200, resource("response-text.json")));

            ChatResponse response = await(provider().completeAsync(call()));

            assertThat(response).isEqualTo(ChatResponse.builder()
                    .id("msg_01XFDUDYJgAACzvnptvVoYEL")
                    .model("claude-sonnet-4-5-20250929")
                    .created(NOW.getEpochSecond())
                    .addChoice(Choice.builder().index(0).message(Message.assistant("Hello! How can I help you today?"))
                            .finishReason(FinishReason.STOP).rawFinishReason("end_turn").build())
                    .usage(Usage.of(12, 10))
                    .putExtraField("anthropic_usage", tree("{\"input_tokens\":12,\"output_tokens\":10}"))
                    .build());
        }

        @Test
        void givenToolRoundTrip_whenSecondCallCarriesToolResults_thenSendsToolUseAndOneResultTurnAndReturnsAnswer()
                throws Exception {
            // given: the model asks for two tool calls
            server.enqueue(json(200, resource("response-tool-use.json")));
            server.enqueue(json(200, resource("response-final-answer.json")));
            AnthropicProvider provider = provider();
            Message question = Message.user("What is the weather in Paris and in Lyon?");
            ChatRequest first = ChatRequest.builder(MODEL).addMessage(question).addTool(weatherTool()).maxTokens(1024)
                    .build();

            // when: the first call
            ChatResponse toolUse = await(provider.completeAsync(call(first).build()));

            // then: tool calls with the input serialized in received key order
            assertThat(bodyOf(sent())).isEqualTo(tree(resource("request-tool-call-1.json")));
            Message assistant = toolUse.choices().get(0).message();
            assertThat(assistant).isEqualTo(Message.builder(Role.ASSISTANT)
                    .content("I'll check the current weather in both cities for you.")
                    .addToolCall(ToolCall.of("toolu_01A09q90qw90lq917835lq9", "get_weather",
                            "{\"location\":\"Paris, France\",\"unit\":\"celsius\"}"))
                    .addToolCall(ToolCall.of("toolu_01B8ZkKx5RkVzgq1Yb5pGx3T", "get_weather",
                            "{\"unit\":\"celsius\",\"location\":\"Lyon, France\"}"))
                    .build());
            assertThat(toolUse.finishReason()).contains(FinishReason.TOOL_CALLS);
            assertThat(toolUse.choices().get(0).rawFinishReason()).isEqualTo("tool_use");
            assertThat(toolUse.usage()).contains(Usage.of(412, 118).toBuilder().serviceTier("standard").build());
            assertThat(toolUse.serviceTier()).contains("standard");

            // when: the tool results go back
            ChatRequest second = first.toBuilder()
                    .addMessage(assistant)
                    .addMessage(Message.tool("toolu_01A09q90qw90lq917835lq9", "18°C, sunny"))
                    .addMessage(Message.tool("toolu_01B8ZkKx5RkVzgq1Yb5pGx3T", "15°C, cloudy"))
                    .build();
            ChatResponse answer = await(provider.completeAsync(call(second).build()));

            // then: one assistant turn with tool_use blocks, one user turn with both results
            assertThat(bodyOf(sent())).isEqualTo(tree(resource("request-tool-call-2.json")));
            assertThat(answer.text()).isEqualTo("It is 18°C and sunny in Paris, and 15°C and cloudy in Lyon.");
            assertThat(answer.toolCalls()).isEmpty();
            assertThat(answer.finishReason()).contains(FinishReason.STOP);
            assertThat(answer.usage()).contains(Usage.of(583, 27).toBuilder().serviceTier("standard").build());
        }

        @Test
        void givenThinkingAnswer_whenComplete_thenThinkingIsReasoningAndBlocksAreKeptInExtraFields() throws Exception {
            server.enqueue(json(200, resource("response-thinking.json")));

            ChatResponse response = await(provider().completeAsync(call()));

            Message message = response.choices().get(0).message();
            JsonNode blocks = tree(resource("response-thinking.json")).get("content");
            ArrayNode thinking = ProviderTestKit.JSON.createArrayNode().add(blocks.get(0)).add(blocks.get(1));
            assertThat(message.text()).isEqualTo("Yes: there are infinitely many prime numbers.");
            assertThat(message.reasoningContent())
                    .contains("Let me analyze this step by step. Suppose there were finitely many primes...");
            assertThat(message.extraFields()).containsExactly(Map.entry("thinking_blocks", thinking));
            assertThat(response.usage()).contains(Usage.builder().promptTokens(45).completionTokens(312)
                    .reasoningTokens(280).build());
        }

        @Test
        void givenRefusal_whenComplete_thenContentFilterWithRawReasonAndStopDetails() throws Exception {
            server.enqueue(json(200, resource("response-refusal.json")));

            ChatResponse response = await(provider().completeAsync(call()));

            Choice choice = response.choices().get(0);
            assertThat(choice.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
            assertThat(choice.rawFinishReason()).isEqualTo("refusal");
            assertThat(choice.message().text()).isEqualTo("I can't help with that.");
            assertThat(choice.extraFields()).containsOnlyKeys("stop_details");
            assertThat(choice.extraFields().get("stop_details").get("category").textValue()).isEqualTo("cyber");
        }

        @Test
        void givenCacheReadsAndWrites_whenComplete_thenPromptIncludesThemAndBothAreReported() throws Exception {
            server.enqueue(json(200, resource("response-cache-usage.json")));

            ChatResponse response = await(provider().completeAsync(call()));

            assertThat(response.usage()).contains(Usage.builder()
                    .promptTokens(21 + 188 + 188086)
                    .completionTokens(393)
                    .totalTokens(21 + 188 + 188086 + 393)
                    .cachedTokens(188086)
                    .cacheCreationTokens(188)
                    .serviceTier("standard")
                    .build());
            assertThat(response.extraFields().get("anthropic_usage").get("cache_creation"))
                    .isEqualTo(tree("{\"ephemeral_5m_input_tokens\":188,\"ephemeral_1h_input_tokens\":0}"));
        }

        @ParameterizedTest
        @CsvSource({
                "end_turn, STOP",
                "stop_sequence, STOP",
                "pause_turn, STOP",
                "max_tokens, LENGTH",
                "model_context_window_exceeded, LENGTH",
                "tool_use, TOOL_CALLS",
                "refusal, CONTENT_FILTER",
                "some_future_reason, OTHER"})
        void mapsStopReasonAndKeepsTheRawValue(String stopReason, FinishReason expected) throws Exception {
            server.enqueue(json(200, """
                    {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                     "content":[{"type":"text","text":"Hi"}],"stop_reason":"%s","stop_sequence":null,
                     "usage":{"input_tokens":1,"output_tokens":1}}""".formatted(stopReason)));

            ChatResponse response = await(provider().completeAsync(call()));

            assertThat(response.choices().get(0).finishReason()).isEqualTo(expected);
            assertThat(response.choices().get(0).rawFinishReason()).isEqualTo(stopReason);
        }

        @Test
        void givenStopSequenceAnswer_whenComplete_thenMatchedSequenceIsAChoiceExtraField() throws Exception {
            server.enqueue(json(200, """
                    {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                     "content":[{"type":"text","text":"One, two"}],"stop_reason":"stop_sequence","stop_sequence":"three",
                     "usage":{"input_tokens":5,"output_tokens":3}}"""));

            ChatResponse response = await(provider().completeAsync(call()));

            assertThat(response.choices().get(0).extraFields()).containsExactly(
                    Map.entry("stop_sequence", TextNode.valueOf("three")));
        }

        @Test
        void givenToolUseOnlyAnswer_whenComplete_thenMessageHasNoContentAndEmptyInputIsAnEmptyObject()
                throws Exception {
            server.enqueue(json(200, """
                    {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                     "content":[{"type":"tool_use","id":"toolu_9","name":"get_time","input":{}}],
                     "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":3}}"""));

            ChatResponse response = await(provider().completeAsync(call()));

            Message message = response.choices().get(0).message();
            assertThat(message.hasContent()).isFalse();
            assertThat(message.toolCalls()).containsExactly(ToolCall.of("toolu_9", "get_time", "{}"));
        }
    }

    // ----------------------------------------------------------------------------------- errors

    record ErrorCase(String name, int status, String body, String contentType, Map<String, String> headers,
            Class<? extends LlmRouterException> type, boolean retryable, Optional<Duration> retryAfter) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String envelope(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message
                + "\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}";
    }

    private static ErrorCase jsonError(String name, int status, String type, String message,
            Class<? extends LlmRouterException> kind, boolean retryable) {
        return new ErrorCase(name, status, envelope(type, message), "application/json", Map.of(), kind, retryable,
                Optional.empty());
    }

    static Stream<ErrorCase> errorTable() {
        return Stream.of(
                jsonError("400 invalid_request_error", 400, "invalid_request_error", "max_tokens: Field required",
                        BadRequestException.class, false),
                jsonError("400 prompt is too long", 400, "invalid_request_error",
                        "prompt is too long: 201234 tokens > 200000 maximum", ContextWindowExceededException.class,
                        false),
                jsonError("400 input length and max_tokens exceed context limit", 400, "invalid_request_error",
                        "input length and `max_tokens` exceed context limit: 195000 + 8192 > 200000, decrease input"
                                + " length or `max_tokens` and try again",
                        ContextWindowExceededException.class, false),
                jsonError("401 authentication_error", 401, "authentication_error", "invalid x-api-key",
                        AuthenticationException.class, false),
                jsonError("402 billing_error", 402, "billing_error", "Your credit balance is too low.",
                        RateLimitException.class, false),
                jsonError("403 permission_error", 403, "permission_error",
                        "Your API key does not have permission to use the specified resource.",
                        PermissionDeniedException.class, false),
                jsonError("404 not_found_error", 404, "not_found_error", "model: claude-nope",
                        NotFoundException.class, false),
                jsonError("413 request_too_large", 413, "request_too_large",
                        "Request exceeds the maximum allowed number of bytes.", BadRequestException.class, false),
                new ErrorCase("413 HTML page from the edge", 413,
                        "<html><head><title>413 Request Entity Too Large</title></head><body>cloudflare</body></html>",
                        "text/html", Map.of(), BadRequestException.class, false, Optional.empty()),
                new ErrorCase("429 rate_limit_error with retry-after", 429,
                        envelope("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"),
                        "application/json", Map.of("retry-after", "7"), RateLimitException.class, true,
                        Optional.of(Duration.ofSeconds(7))),
                jsonError("429 rate_limit_error without retry-after", 429, "rate_limit_error", "Rate limited",
                        RateLimitException.class, true),
                jsonError("500 api_error", 500, "api_error", "Internal server error", ProviderServerException.class,
                        true),
                jsonError("504 timeout_error", 504, "timeout_error", "Request timeout",
                        RequestTimeoutException.class, true),
                jsonError("529 overloaded_error", 529, "overloaded_error", "Overloaded",
                        ServiceUnavailableException.class, true),
                new ErrorCase("529 with an empty body", 529, "", "application/json", Map.of(),
                        ServiceUnavailableException.class, true, Optional.empty()),
                new ErrorCase("503 HTML page", 503, "<html><body>Service Unavailable</body></html>", "text/html",
                        Map.of(), ServiceUnavailableException.class, true, Optional.empty()),
                new ErrorCase("502 plain text", 502, "Bad Gateway", "text/plain", Map.of(),
                        ProviderServerException.class, true, Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorTable")
    void mapsHttpErrorToTypedException(ErrorCase c) {
        MockResponse.Builder response = new MockResponse.Builder().code(c.status())
                .addHeader("Content-Type", c.contentType()).addHeader("request-id", "req_header_42").body(c.body());
        c.headers().forEach(response::addHeader);
        server.enqueue(response.build());

        Throwable failure = failureOf(provider().completeAsync(call()));

        assertThat(failure).isExactlyInstanceOf(c.type()).hasMessageStartingWith("anthropic: ");
        LlmRouterException e = (LlmRouterException) failure;
        assertThat(e.statusCode()).hasValue(c.status());
        assertThat(e.isRetryable()).isEqualTo(c.retryable());
        assertThat(e.providerRequestId()).contains("req_header_42");
        assertThat(e.provider()).contains("anthropic");
        assertThat(e.deploymentId()).contains("claude-primary");
        assertThat(e.model()).contains(MODEL);
        if (e instanceof RateLimitException rate) {
            assertThat(rate.retryAfter()).isEqualTo(c.retryAfter());
        }
    }

    @Test
    void givenEnvelopeWithoutRequestIdHeader_whenMapped_thenRequestIdComesFromTheBodyAndMessageQuotesType() {
        server.enqueue(new MockResponse.Builder().code(529).addHeader("Content-Type", "application/json")
                .body(envelope("overloaded_error", "Overloaded")).build());

        Throwable failure = failureOf(provider().completeAsync(call()));

        assertThat(failure).isExactlyInstanceOf(ServiceUnavailableException.class)
                .hasMessage("anthropic: Overloaded (HTTP 529, type=overloaded_error)");
        assertThat(((LlmRouterException) failure).providerRequestId()).contains("req_011CSHoEeqs5C35K2UUqR7Fy");
    }

    @Test
    void givenErrorEnvelopeInA200_whenComplete_thenTypedByItsErrorType() {
        server.enqueue(json(200, envelope("overloaded_error", "Overloaded")));

        Throwable failure = failureOf(provider().completeAsync(call()));

        assertThat(failure).isExactlyInstanceOf(ServiceUnavailableException.class);
        assertThat(((LlmRouterException) failure).statusCode()).hasValue(200);
    }

    static Stream<String> malformedBodies() {
        return Stream.of(
                "{\"id\":\"msg_1\",",
                "[]",
                "{\"type\":\"message\",\"model\":\"m\",\"content\":[],\"stop_reason\":\"end_turn\"}",
                "{\"type\":\"message\",\"id\":\"msg_1\",\"model\":\"m\",\"content\":\"hi\",\"stop_reason\":\"end_turn\"}",
                "{\"type\":\"message\",\"id\":\"msg_1\",\"model\":\"m\",\"content\":[]}",
                "{\"type\":\"completion\",\"id\":\"msg_1\",\"model\":\"m\",\"content\":[],\"stop_reason\":\"end_turn\"}",
                "{\"type\":\"message\",\"id\":\"msg_1\",\"model\":\"m\",\"stop_reason\":\"tool_use\",\"content\":"
                        + "[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":\"{}\"}]}",
                "{\"type\":\"message\",\"id\":\"msg_1\",\"model\":\"m\",\"stop_reason\":\"end_turn\",\"content\":[],"
                        + "\"usage\":{\"input_tokens\":-1,\"output_tokens\":1}}");
    }

    @ParameterizedTest
    @MethodSource("malformedBodies")
    void givenMalformedAnswerWith200_whenComplete_thenInvalidProviderResponse(String body) {
        server.enqueue(json(200, body));

        Throwable failure = failureOf(provider().completeAsync(call()));

        assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageStartingWith("anthropic: invalid response (HTTP 200): ");
        assertThat(((LlmRouterException) failure).isRetryable()).isTrue();
        assertThat(((LlmRouterException) failure).providerRequestId()).contains("req_test_0123");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html><body>Gateway login</body></html>", "   "})
    void givenHtmlOrBlankAnswerWith200_whenComplete_thenInvalidProviderResponse(String body) {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html").body(body).build());

        Throwable failure = failureOf(provider().completeAsync(call()));

        assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining(body.isBlank() ? "empty body" : "HTML page");
    }

    // ------------------------------------------------------------------------------ transport


    @Test
    void givenFactoryMadeProvider_thenItSendsWithTheSharedDefaultClient() {
        assertThat(new AnthropicProviderFactory().create().httpClient()).isSameAs(DefaultHttpClient.shared());
    }
}
