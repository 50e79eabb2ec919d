package io.llmrouter.providers.bedrock;

import static io.llmrouter.providers.bedrock.BedrockTestSupport.ACCESS_KEY_ID;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.CLOCK;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.REQUEST_ID;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SECRET_ACCESS_KEY;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SESSION_TOKEN;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SIGNING_TIME;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SONNET;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SONNET_PATH;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.json;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.resource;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.temporaryCredentials;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
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
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.providers.bedrock.internal.SigV4;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(StartedServers.class)
class BedrockProviderTest {

    private static final String PNG_BASE64 =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private final MockWebServer server = new MockWebServer();

    // ------------------------------------------------------------------------------------ helpers

    private static BedrockProvider provider() {
        return BedrockProvider.builder().environment(ProviderTestKit.environment(Map.of())).clock(CLOCK).build();
    }

    private ProviderCall.Builder call(ChatRequest request) {
        return call(request, SONNET);
    }

    private ProviderCall.Builder call(ChatRequest request, String modelId) {
        return ProviderCall.builder(request)
                .deploymentId("claude-primary")
                .modelGroup("claude")
                .providerRoute("bedrock/" + modelId)
                .apiBase(server.url("/").toString())
                .options(ProviderOptions.empty()
                        .with(BedrockProvider.REGION, "us-east-1")
                        .with(BedrockProvider.CREDENTIALS, temporaryCredentials()))
                .timeout(Duration.ofSeconds(5));
    }

    private ProviderCall call() {
        return call(ChatRequest.ofUser(SONNET, "hello")).build();
    }

    private RecordedRequest takeRequest() throws InterruptedException {
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent).as("request sent").isNotNull();
        return sent;
    }

    private JsonNode sentBody() throws InterruptedException {
        return tree(takeRequest().getBody().utf8());
    }

    private static Tool weatherTool() {
        return Tool.builder("get_weather").description("Current weather for a city").parameters(tree("""
                {"type":"object","properties":{"city":{"type":"string"},
                 "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}"""))
                .build();
    }

    private static String converseAnswer(String stopReason) {
        return """
                {"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},"stopReason":"%s",
                 "usage":{"inputTokens":3,"outputTokens":1,"totalTokens":4},"metrics":{"latencyMs":100}}"""
                .formatted(stopReason);
    }

    /**
     * Checks the {@code Authorization} header against a signature recomputed from what went over
     * the wire (method, encoded path, the signed headers as received, body) with the fixed
     * credentials and clock; SigV4 itself is checked against AWS's test suite in {@code SigV4Test}.
     */
    static void assertSignedWithSigV4(RecordedRequest sent, String accessKeyId, String secretAccessKey,
            String region, boolean withToken, String... extraSignedHeaders) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String name : extraSignedHeaders) {
            headers.add(Map.entry(name, sent.getHeaders().get(name)));
        }
        headers.add(Map.entry("content-type", sent.getHeaders().get("Content-Type")));
        headers.add(Map.entry("host", sent.getHeaders().get("Host")));
        headers.add(Map.entry("x-amz-date", sent.getHeaders().get("X-Amz-Date")));
        if (withToken) {
            headers.add(Map.entry("x-amz-security-token", sent.getHeaders().get("X-Amz-Security-Token")));
        }
        SigV4.Signature expected = SigV4.sign(new SigV4.Request("POST", sent.getUrl().encodedPath(), "", headers,
                sent.getBody().toByteArray()), new SigV4.Signer(accessKeyId, secretAccessKey, region, "bedrock"),
                SIGNING_TIME);
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo(expected.authorization());
    }

    // ------------------------------------------------------------------------------- request sent

    @Nested
    class RequestSent {

        @Test
        void givenFullRequest_whenComplete_thenPostsExactConverseJsonToEncodedModelPathWithSigV4Headers()
                throws Exception {
            // given
            server.enqueue(json(200, resource("converse-response-text.json")));
            ChatRequest request = ChatRequest.builder(SONNET)
                    .addMessage(Message.system("You are a concise travel assistant."))
                    .addMessage(Message.developer("Answer in English."))
                    .addMessage(Message.user(List.of(TextPart.of("Where was this photo taken?"),
                            ImagePart.of("data:image/png;base64," + PNG_BASE64))))
                    .maxTokens(300)
                    .temperature(0.2)
                    .topP(0.9)
                    .stop(List.of("END"))
                    .addTool(weatherTool())
                    .toolChoice(ToolChoice.function("get_weather"))
                    .putMetadata("team", "travel")
                    .putExtraBody("top_k", IntNode.valueOf(50))
                    .putExtraBody("guardrailConfig", tree("""
                            {"guardrailIdentifier":"gr-travel","guardrailVersion":"1","trace":"enabled"}"""))
                    .build();
            // when
            await(provider().completeAsync(call(request).build()));
            // then
            RecordedRequest sent = takeRequest();
            assertThat(sent.getMethod()).isEqualTo("POST");
            assertThat(sent.getUrl().encodedPath()).isEqualTo(SONNET_PATH);
            assertThat(sent.getHeaders().get("Content-Type")).isEqualTo("application/json");
            assertThat(sent.getHeaders().get("Accept")).isEqualTo("application/json");
            assertThat(sent.getHeaders().get("User-Agent")).isEqualTo("llmrouter/0.1.0");
            assertThat(sent.getHeaders().get("X-Amz-Date")).isEqualTo("20150830T123600Z");
            assertThat(sent.getHeaders().get("X-Amz-Security-Token")).isEqualTo(SESSION_TOKEN);
            assertThat(sent.getHeaders().get("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
                    + "20150830/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date;"
                    + "x-amz-security-token, Signature=");
            assertSignedWithSigV4(sent, ACCESS_KEY_ID, SECRET_ACCESS_KEY, "us-east-1", true);
            assertThat(tree(sent.getBody().utf8())).isEqualTo(tree(resource("converse-request-full.json")));
        }

        @Test
        void givenLongTermCredentials_whenComplete_thenSignsWithoutSecurityToken() throws Exception {
            // given
            server.enqueue(json(200, converseAnswer("end_turn")));
            ProviderCall call = call(ChatRequest.ofUser(SONNET, "hello"))
                    .options(ProviderOptions.empty().with(BedrockProvider.REGION, "eu-west-3")
                            .with(BedrockProvider.CREDENTIALS, BedrockTestSupport.credentials()))
                    .build();
            // when
            await(provider().completeAsync(call));
            // then
            RecordedRequest sent = takeRequest();
            assertThat(sent.getHeaders().get("X-Amz-Security-Token")).isNull();
            assertThat(sent.getHeaders().get("Authorization")).contains("/20150830/eu-west-3/bedrock/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date, ");
            assertSignedWithSigV4(sent, ACCESS_KEY_ID, SECRET_ACCESS_KEY, "eu-west-3", false);
        }

        @Test
        void givenDeploymentHeaders_whenComplete_thenSendsAndSignsThemButKeepsTheAdaptersOwnHeaders()
                throws Exception {
            // given
            server.enqueue(json(200, converseAnswer("end_turn")));
            ProviderCall call = call(ChatRequest.ofUser(SONNET, "hello"))
                    .addHeader("X-Amzn-Bedrock-Trace", "ENABLED")
                    .addHeader("X-Amz-Date", "19990101T000000Z")
                    .addHeader("User-Agent", "my-app/1.0")
                    .build();
            // when
            await(provider().completeAsync(call));
            // then
            RecordedRequest sent = takeRequest();
            assertThat(sent.getHeaders().get("X-Amzn-Bedrock-Trace")).isEqualTo("ENABLED");
            assertThat(sent.getHeaders().get("X-Amz-Date")).isEqualTo("20150830T123600Z");
            assertThat(sent.getHeaders().get("User-Agent")).isEqualTo("my-app/1.0");
            assertThat(sent.getHeaders().get("Authorization")).contains("SignedHeaders=content-type;host;x-amz-date;"
                    + "x-amz-security-token;x-amzn-bedrock-trace, ");
            assertSignedWithSigV4(sent, ACCESS_KEY_ID, SECRET_ACCESS_KEY, "us-east-1", true, "x-amzn-bedrock-trace");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "us.anthropic.claude-3-5-sonnet-20240620-v1:0 | /model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse",
            "amazon.nova-pro-v1:0 | /model/amazon.nova-pro-v1%3A0/converse",
            "meta.llama3-1-70b-instruct-v1:0 | /model/meta.llama3-1-70b-instruct-v1%3A0/converse",
            "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0"
                    + " | /model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.amazon.nova-lite-v1%3A0/converse"
        })
        void givenModelId_whenComplete_thenSendsItAsOneEncodedPathSegmentAndAnswersWithIt(String modelId, String path)
                throws Exception {
            // given
            server.enqueue(json(200, converseAnswer("end_turn")));
            // when
            ChatResponse response = await(provider().completeAsync(call(ChatRequest.ofUser(modelId, "hi"), modelId)
                    .build()));
            // then
            RecordedRequest sent = takeRequest();
            assertThat(sent.getUrl().encodedPath()).isEqualTo(path);
            assertSignedWithSigV4(sent, ACCESS_KEY_ID, SECRET_ACCESS_KEY, "us-east-1", true);
            assertThat(response.model()).isEqualTo(modelId);
        }

        static Stream<Arguments> toolChoices() {
            return Stream.of(
                    Arguments.of(ToolChoice.auto(), "{\"auto\":{}}"),
                    Arguments.of(ToolChoice.required(), "{\"any\":{}}"),
                    Arguments.of(ToolChoice.function("get_weather"), "{\"tool\":{\"name\":\"get_weather\"}}"));
        }

        @ParameterizedTest
        @MethodSource("toolChoices")
        void givenToolChoice_whenComplete_thenSendsConverseToolChoice(ToolChoice choice, String expected)
                throws Exception {
            // given
            server.enqueue(json(200, converseAnswer("end_turn")));
            ChatRequest request = ChatRequest.builder(SONNET).addMessage(Message.user("weather?"))
                    .addTool(weatherTool()).toolChoice(choice).build();
            // when
            await(provider().completeAsync(call(request).build()));
            // then
            assertThat(sentBody().path("toolConfig").path("toolChoice")).isEqualTo(tree(expected));
        }

        @Test
        void givenToolChoiceNone_whenNoToolHistory_thenOmitsToolConfig() throws Exception {
            // given
            server.enqueue(json(200, converseAnswer("end_turn")));
            ChatRequest request = ChatRequest.builder(SONNET).addMessage(Message.user("weather?"))
                    .addTool(weatherTool()).toolChoice(ToolChoice.none()).build();
            // when
            await(provider().completeAsync(call(request).build()));
            // then
            assertThat(sentBody().has("toolConfig")).isFalse();
        }

        @Test
        void givenToolChoiceNone_whenHistoryHasToolBlocks_thenKeepsToolsWithoutChoice() throws Exception {
            // given
            server.enqueue(json(200, converseAnswer("end_turn")));
            ChatRequest request = ChatRequest.builder(SONNET).addMessage(Message.user("weather?"))
                    .addMessage(Message.assistantToolCalls(List.of(ToolCall.of("tooluse_1", "get_weather",
                            "{\"city\":\"Lyon\"}"))))
                    .addMessage(Message.tool("tooluse_1", "sunny"))
                    .addTool(weatherTool()).toolChoice(ToolChoice.none()).build();
            // when
            await(provider().completeAsync(call(request).build()));
            // then
            JsonNode toolConfig = sentBody().path("toolConfig");
            assertThat(toolConfig.path("tools")).hasSize(1);
            assertThat(toolConfig.has("toolChoice")).isFalse();
        }

        @Test
        void givenJsonSchemaResponseFormat_whenComplete_thenSendsOutputConfigWithTheSchemaAsAString()
                throws Exception {
            // given
            server.enqueue(json(200, converseAnswer("end_turn")));
            JsonNode schema = tree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
            ChatRequest request = ChatRequest.builder(SONNET).addMessage(Message.user("Where?"))
                    .responseFormat(ResponseFormat.builder("place").schema(schema).description("A place").build())
                    .build();
            // when
            await(provider().completeAsync(call(request).build()));
            // then
            JsonNode jsonSchema = sentBody().path("outputConfig").path("textFormat");
            assertThat(jsonSchema.path("type").asText()).isEqualTo("json_schema");
            JsonNode definition = jsonSchema.path("structure").path("jsonSchema");
            assertThat(definition.path("schema").isTextual()).isTrue();
            assertThat(tree(definition.path("schema").asText())).isEqualTo(schema);
            assertThat(definition.path("name").asText()).isEqualTo("place");
            assertThat(definition.path("description").asText()).isEqualTo("A place");
        }

        @Test
        void givenParametersConverseLacks_whenComplete_thenSendsOnlyInferenceConfigAndMaxCompletionTokensWins()
                throws Exception {
            // given
            server.enqueue(json(200, converseAnswer("end_turn")));
            ChatRequest request = ChatRequest.builder(SONNET).addMessage(Message.user("hi"))
                    .maxTokens(100).maxCompletionTokens(200).seed(7L).presencePenalty(0.5).frequencyPenalty(0.5)
                    .user("user-1").parallelToolCalls(false).n(1).build();
            // when
            await(provider().completeAsync(call(request).build()));
            // then
            assertThat(sentBody()).isEqualTo(tree("""
                    {"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"maxTokens":200}}"""));
        }

        @Test
        void givenConsecutiveSameRoleMessages_whenComplete_thenMergesThemIntoAlternatingTurns() throws Exception {
            // given
            server.enqueue(json(200, converseAnswer("end_turn")));
            ChatRequest request = ChatRequest.builder(SONNET)
                    .addMessage(Message.user("Weather in Lyon"))
                    .addMessage(Message.user("and in Paris?"))
                    .addMessage(Message.assistantToolCalls(List.of(
                            ToolCall.of("tooluse_lyon", "get_weather", "{\"city\":\"Lyon\"}"),
                            ToolCall.of("tooluse_paris", "get_weather", ""))))
                    .addMessage(Message.tool("tooluse_lyon", "{\"temperature_c\":21}"))
                    .addMessage(Message.builder(Role.TOOL).toolCallId("tooluse_paris").content("station offline")
                            .putExtraField("status", TextNode.valueOf("error")).build())
                    .addMessage(Message.user("Thanks!"))
                    .addTool(weatherTool())
                    .build();
            // when
            await(provider().completeAsync(call(request).build()));
            // then
            assertThat(sentBody().path("messages")).isEqualTo(tree("""
                    [{"role":"user","content":[{"text":"Weather in Lyon"},{"text":"and in Paris?"}]},
                     {"role":"assistant","content":[
                       {"toolUse":{"toolUseId":"tooluse_lyon","name":"get_weather","input":{"city":"Lyon"}}},
                       {"toolUse":{"toolUseId":"tooluse_paris","name":"get_weather","input":{}}}]},
                     {"role":"user","content":[
                       {"toolResult":{"toolUseId":"tooluse_lyon","content":[{"json":{"temperature_c":21}}]}},
                       {"toolResult":{"toolUseId":"tooluse_paris","content":[{"text":"station offline"}],
                                      "status":"error"}},
                       {"text":"Thanks!"}]}]"""));
        }

        @Test
        void givenAdditionalModelRequestFieldsInExtraBody_whenComplete_thenMergesWithOtherModelFields()
                throws Exception {
            // given
            server.enqueue(json(200, converseAnswer("end_turn")));
            ChatRequest request = ChatRequest.builder(SONNET).addMessage(Message.user("hi"))
                    .putExtraBody("additionalModelRequestFields", tree("{\"thinking\":{\"type\":\"enabled\","
                            + "\"budget_tokens\":1024}}"))
                    .putExtraBody("top_k", IntNode.valueOf(40))
                    .putExtraBody("performanceConfig", tree("{\"latency\":\"optimized\"}"))
                    .build();
            // when
            await(provider().completeAsync(call(request).build()));
            // then
            JsonNode body = sentBody();
            assertThat(body.path("additionalModelRequestFields")).isEqualTo(tree(
                    "{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"top_k\":40}"));
            assertThat(body.path("performanceConfig")).isEqualTo(tree("{\"latency\":\"optimized\"}"));
        }

        static Stream<Arguments> unsupportedRequests() {
            return Stream.of(
                    Arguments.of("https image URL", ChatRequest.builder(SONNET).addMessage(Message.user(List.of(
                            TextPart.of("What is this?"), ImagePart.of("https://example.com/cat.png")))).build(),
                            "https URLs are not supported"),
                    Arguments.of("svg data URL", ChatRequest.builder(SONNET).addMessage(Message.user(List.of(
                            ImagePart.of("data:image/svg+xml;base64,PHN2Zz4=")))).build(), "image/svg+xml"),
                    Arguments.of("n > 1", ChatRequest.builder(SONNET).addMessage(Message.user("hi")).n(2).build(),
                            "n=2"),
                    Arguments.of("invalid tool arguments", ChatRequest.builder(SONNET).addMessage(Message.user("hi"))
                            .addMessage(Message.assistantToolCalls(List.of(ToolCall.of("tooluse_1", "get_weather",
                                    "{\"city\":")))).addMessage(Message.tool("tooluse_1", "sunny")).build(),
                            "not valid JSON"),
                    Arguments.of("json_object", ChatRequest.builder(SONNET).addMessage(Message.user("hi"))
                            .responseFormat(ResponseFormat.jsonObject()).build(), "json_object"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("unsupportedRequests")
        void givenRequestConverseCannotExpress_whenComplete_thenBadRequestBeforeAnyCall(String what,
                ChatRequest request, String messagePart) {
            // when
            Throwable failure = failureOf(provider().completeAsync(call(request).build()));
            // then
            assertThat(failure).isExactlyInstanceOf(BadRequestException.class).hasMessageContaining(messagePart);
            assertThat(((LlmRouterException) failure).deploymentId()).contains("claude-primary");
            assertThat(server.getRequestCount()).isZero();
        }
    }

    // ------------------------------------------------------------------------------ response read

    @Nested
    class ResponseRead {

        @Test
        void givenTextBlocks_whenComplete_thenConcatenatesTextAndKeepsOtherFields() throws Exception {
            // given
            server.enqueue(json(200, resource("converse-response-text.json")));
            // when
            ChatResponse response = await(provider().completeAsync(call()));
            // then
            assertThat(response.id()).isEqualTo(REQUEST_ID);
            assertThat(response.model()).isEqualTo(SONNET);
            assertThat(response.created()).isEqualTo(SIGNING_TIME.getEpochSecond());
            Choice choice = response.choices().get(0);
            assertThat(choice.message()).isEqualTo(Message.assistant("Lyon, France."));
            assertThat(choice.finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(choice.rawFinishReason()).isEqualTo("end_turn");
            assertThat(response.usage()).contains(Usage.of(1612, 4));
            assertThat(response.extraFields()).containsOnlyKeys("metrics", "additionalModelResponseFields");
            assertThat(response.extraFields().get("metrics")).isEqualTo(tree("{\"latencyMs\":904}"));
        }

        @Test
        void givenCacheReadAndWriteTokens_whenComplete_thenPromptIncludesBothAndCachedIsTheRead() throws Exception {
            // given
            server.enqueue(json(200, resource("converse-response-cached.json")));
            // when
            ChatResponse response = await(provider().completeAsync(call()));
            // then
            assertThat(response.usage()).contains(Usage.builder().promptTokens(12 + 2048 + 1008).completionTokens(9)
                    .totalTokens(3077).cachedTokens(2048).cacheCreationTokens(1008).build());
        }

        @Test
        void givenGuardrailIntervened_whenComplete_thenContentFilterWithTheGuardrailMessageAndTrace()
                throws Exception {
            // given
            server.enqueue(json(200, resource("converse-response-guardrail.json")));
            // when
            ChatResponse response = await(provider().completeAsync(call()));
            // then
            assertThat(response.finishReason()).contains(FinishReason.CONTENT_FILTER);
            assertThat(response.choices().get(0).rawFinishReason()).isEqualTo("guardrail_intervened");
            assertThat(response.text()).isEqualTo("Sorry, I can't help with that request.");
            assertThat(response.extraFields().get("trace").path("guardrail").path("inputAssessment").has("gr-travel"))
                    .isTrue();
        }

        @Test
        void givenReasoningBlock_whenComplete_thenExcludedFromTextAndKeptInMessageExtraFields() throws Exception {
            // given
            server.enqueue(json(200, resource("converse-response-reasoning.json")));
            // when
            ChatResponse response = await(provider().completeAsync(call()));
            // then
            Message message = response.choices().get(0).message();
            assertThat(message.text()).isEqualTo("51");
            assertThat(message.reasoningContent().orElseThrow())
                    .isEqualTo("The user wants a number. 17 * 3 = 51.");
            assertThat(message.extraFields().get("reasoning_blocks").get(0).path("reasoningText").path("signature")
                    .asText()).isEqualTo("EqQBCkgIARABGAIiQL1example");
        }

        @ParameterizedTest
        @CsvSource({
            "end_turn, STOP", "stop_sequence, STOP", "max_tokens, LENGTH", "model_context_window_exceeded, LENGTH",
            "tool_use, TOOL_CALLS", "guardrail_intervened, CONTENT_FILTER", "content_filtered, CONTENT_FILTER",
            "malformed_model_output, STOP", "malformed_tool_use, STOP", "some_future_reason, OTHER"
        })
        void givenStopReason_whenComplete_thenMapsFinishReasonAndKeepsRawValue(String stopReason, FinishReason finish)
                throws Exception {
            // given
            server.enqueue(json(200, converseAnswer(stopReason)));
            // when
            ChatResponse response = await(provider().completeAsync(call()));
            // then
            assertThat(response.finishReason()).contains(finish);
            assertThat(response.choices().get(0).rawFinishReason()).isEqualTo(stopReason);
        }

        @Test
        void givenNoRequestIdHeader_whenComplete_thenGeneratesAChatCompletionId() throws Exception {
            // given
            server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .body(converseAnswer("end_turn")).build());
            // when
            ChatResponse response = await(provider().completeAsync(call()));
            // then
            assertThat(response.id()).startsWith("chatcmpl-").hasSizeGreaterThan("chatcmpl-".length() + 30);
        }
    }

    // ------------------------------------------------------------------------------ tool round trip

    @Nested
    class ToolRoundTrip {

        @Test
        void givenToolUseAnswer_whenToolResultSentBack_thenSecondRequestCarriesToolUseAndToolResultAndFinalAnswerIsText()
                throws Exception {
            // given
            server.enqueue(json(200, resource("converse-response-tool-use.json")));
            server.enqueue(json(200, resource("converse-response-final.json")));
            BedrockProvider provider = provider();
            ChatRequest first = ChatRequest.builder(SONNET).addMessage(Message.user("What is the weather in Lyon?"))
                    .addTool(weatherTool()).toolChoice(ToolChoice.auto()).build();

            // when: the model asks for the tool
            ChatResponse toolUse = await(provider.completeAsync(call(first).build()));

            // then
            assertThat(tree(takeRequest().getBody().utf8())).isEqualTo(tree(resource("converse-request-tools.json")));
            assertThat(toolUse.finishReason()).contains(FinishReason.TOOL_CALLS);
            assertThat(toolUse.text()).isEqualTo("I'll look up the current weather in Lyon.");
            assertThat(toolUse.toolCalls()).containsExactly(ToolCall.of("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
                    "get_weather", "{\"city\":\"Lyon\",\"unit\":\"celsius\"}"));
            assertThat(toolUse.usage()).contains(Usage.of(398, 74));

            // when: the tool's result goes back with the assistant turn
            ChatRequest second = first.toBuilder()
                    .addMessage(toolUse.choices().get(0).message())
                    .addMessage(Message.tool("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
                            "{\"temperature_c\":21,\"conditions\":\"sunny\"}"))
                    .build();
            ChatResponse answer = await(provider.completeAsync(call(second).build()));

            // then
            assertThat(tree(takeRequest().getBody().utf8()))
                    .isEqualTo(tree(resource("converse-request-tool-result.json")));
            assertThat(answer.text()).isEqualTo("It is 21 °C and sunny in Lyon.");
            assertThat(answer.finishReason()).contains(FinishReason.STOP);
            assertThat(answer.toolCalls()).isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------- errors

    @Nested
    class Errors {

        static Stream<Arguments> errorTable() {
            return Stream.of(
                    Arguments.of(400, "ValidationException", "Malformed input request: #/messages: expected minimum"
                            + " item count: 1", BadRequestException.class, false),
                    Arguments.of(400, "ValidationException", "Input is too long for requested model.",
                            ContextWindowExceededException.class, false),
                    Arguments.of(400, "ValidationException", "prompt is too long: 215734 tokens > 200000 maximum",
                            ContextWindowExceededException.class, false),
                    Arguments.of(400, "ValidationException", "input length and `max_tokens` exceed context limit:"
                            + " 196000 + 8192 > 200000", ContextWindowExceededException.class, false),
                    Arguments.of(400, "ServiceQuotaExceededException", "Your request exceeds the service quota for"
                            + " your account.", RateLimitException.class, false),
                    Arguments.of(403, "AccessDeniedException", "You don't have access to the model with the"
                            + " specified model ID.", PermissionDeniedException.class, false),
                    Arguments.of(403, "UnrecognizedClientException", "The security token included in the request is"
                            + " invalid.", AuthenticationException.class, false),
                    Arguments.of(403, "InvalidSignatureException", "The request signature we calculated does not"
                            + " match the signature you provided.", AuthenticationException.class, false),
                    Arguments.of(403, "ExpiredTokenException", "The security token included in the request is"
                            + " expired", AuthenticationException.class, false),
                    Arguments.of(404, "ResourceNotFoundException", "Could not resolve the foundation model from the"
                            + " provided model identifier.", NotFoundException.class, false),
                    Arguments.of(408, "ModelTimeoutException", "Model has timed out in processing the request.",
                            RequestTimeoutException.class, true),
                    Arguments.of(424, "ModelErrorException", "The model returned an error.",
                            ProviderServerException.class, true),
                    Arguments.of(429, "ThrottlingException", "Too many requests, please wait before trying again.",
                            RateLimitException.class, true),
                    Arguments.of(429, "ModelNotReadyException", "The model is not ready to serve inference"
                            + " requests.", RateLimitException.class, true),
                    Arguments.of(500, "InternalServerException", "An internal server error occurred.",
                            ProviderServerException.class, true),
                    Arguments.of(503, "ServiceUnavailableException", "Service unavailable. Try your request again.",
                            ServiceUnavailableException.class, true));
        }

        @ParameterizedTest(name = "{0} {1}: {3}")
        @MethodSource("errorTable")
        void givenBedrockError_whenComplete_thenTypedExceptionWithStatusRequestIdAndRetryability(int status,
                String type, String message, Class<? extends LlmRouterException> expected, boolean retryable) {
            // given
            server.enqueue(new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                    .addHeader("x-amzn-errortype", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
                    .addHeader("x-amzn-requestid", REQUEST_ID)
                    .body("{\"message\":\"" + message.replace("\"", "\\\"") + "\"}").build());
            // when
            Throwable failure = failureOf(provider().completeAsync(call()));
            // then
            assertThat(failure).isExactlyInstanceOf(expected);
            LlmRouterException e = (LlmRouterException) failure;
            assertThat(e.statusCode()).hasValue(status);
            assertThat(e.isRetryable()).isEqualTo(retryable);
            assertThat(e.providerRequestId()).contains(REQUEST_ID);
            assertThat(e.provider()).contains("bedrock");
            assertThat(e.model()).contains(SONNET);
            assertThat(e.getMessage()).contains(message).contains("type=" + type).contains("HTTP " + status);
            if (e instanceof RateLimitException rate) {
                assertThat(rate.retryAfter()).isEmpty();
            }
        }

        @Test
        void givenErrorTypeOnlyInBody_whenComplete_thenClassifiedByDunderType() {
            // given
            server.enqueue(json(403, """
                    {"__type":"com.amazon.coral.service#UnrecognizedClientException",
                     "Message":"The security token included in the request is invalid."}"""));
            // when
            Throwable failure = failureOf(provider().completeAsync(call()));
            // then
            assertThat(failure).isExactlyInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("The security token included in the request is invalid.");
        }

        @Test
        void givenHtmlErrorPage_whenComplete_thenServerErrorQuotingAnExcerpt() {
            // given
            server.enqueue(new MockResponse.Builder().code(502).addHeader("Content-Type", "text/html")
                    .body("<html><body><h1>502 Bad Gateway</h1></body></html>").build());
            // when
            Throwable failure = failureOf(provider().completeAsync(call()));
            // then
            assertThat(failure).isExactlyInstanceOf(ProviderServerException.class)
                    .hasMessageContaining("HTML page").hasMessageContaining("502 Bad Gateway");
        }

        @Test
        void givenEmptyErrorBody_whenComplete_thenClassifiedByStatus() {
            // given
            server.enqueue(new MockResponse.Builder().code(503).build());
            // when
            Throwable failure = failureOf(provider().completeAsync(call()));
            // then
            assertThat(failure).isExactlyInstanceOf(ServiceUnavailableException.class)
                    .hasMessageContaining("empty body");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "<html>maintenance</html> | HTML page",
            "{\"output\": | malformed JSON",
            "'' | empty body",
            "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[]}}} | stopReason is missing",
            "{\"stopReason\":\"end_turn\"} | output.message.content is missing"
        })
        void givenInvalid200Answer_whenComplete_thenInvalidProviderResponse(String body, String problem) {
            // given
            server.enqueue(json(200, body));
            // when
            Throwable failure = failureOf(provider().completeAsync(call()));
            // then
            assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                    .hasMessageContaining(problem);
            assertThat(((LlmRouterException) failure).providerRequestId()).contains(REQUEST_ID);
        }

        @Test
        void givenNothingListening_whenComplete_thenProviderConnectionException() throws IOException {
            // given
            String closedBase;
            try (MockWebServer closed = new MockWebServer()) {
                closed.start();
                closedBase = closed.url("/").toString();
            }
            ProviderCall call = call(ChatRequest.ofUser(SONNET, "hi")).apiBase(closedBase).build();
            // when
            Throwable failure = failureOf(provider().completeAsync(call));
            // then
            assertThat(failure).isExactlyInstanceOf(ProviderConnectionException.class);
            assertThat(failure.getCause()).isInstanceOf(IOException.class);
        }

        @Test
        void givenAnswerEchoingTheCredentials_whenError_thenMessageNeverContainsThem() {
            // given
            server.enqueue(new MockResponse.Builder().code(400)
                    .addHeader("x-amzn-errortype", "ValidationException:http://internal.amazon.com/coral/")
                    .body("{\"message\":\"bad token " + SESSION_TOKEN + " for key " + SECRET_ACCESS_KEY + "\"}")
                    .build());
            // when
            Throwable failure = failureOf(provider().completeAsync(call()));
            // then
            assertThat(failure).isExactlyInstanceOf(BadRequestException.class);
            assertThat(failure.getMessage()).doesNotContain(SESSION_TOKEN).doesNotContain(SECRET_ACCESS_KEY)
                    .contains("****");
            assertThat(failure.toString()).doesNotContain(SESSION_TOKEN).doesNotContain(SECRET_ACCESS_KEY);
        }

        @Test
        void givenInvalid200EchoingTheCredentials_whenComplete_thenMessageNeverContainsThem() {
            // given
            server.enqueue(json(200, "<html>" + SECRET_ACCESS_KEY + "</html>"));
            // when
            Throwable failure = failureOf(provider().completeAsync(call()));
            // then
            assertThat(failure.getMessage()).doesNotContain(SECRET_ACCESS_KEY);
        }
    }

    @Test
    void sendsTheBodyAsUtf8Json() throws Exception {
        // given
        server.enqueue(json(200, converseAnswer("end_turn")));
        // when
        await(provider().completeAsync(call(ChatRequest.ofUser(SONNET, "Grüße, 東京")).build()));
        // then
        RecordedRequest sent = takeRequest();
        assertThat(new String(sent.getBody().toByteArray(), StandardCharsets.UTF_8)).contains("Grüße, 東京");
    }
}
