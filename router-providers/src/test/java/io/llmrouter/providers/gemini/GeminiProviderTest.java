package io.llmrouter.providers.gemini;

import static io.llmrouter.providers.gemini.GeminiTestSupport.KEY;
import static io.llmrouter.providers.gemini.GeminiTestSupport.NOW;
import static io.llmrouter.providers.gemini.GeminiTestSupport.ZERO_ID;
import static io.llmrouter.providers.gemini.GeminiTestSupport.call;
import static io.llmrouter.providers.gemini.GeminiTestSupport.json;
import static io.llmrouter.providers.gemini.GeminiTestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.ImageDetail;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
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
import io.llmrouter.api.json.OpenAiJson;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.ProviderCall;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(StartedServers.class)
class GeminiProviderTest {

    private final MockWebServer server = new MockWebServer();

    private GeminiProvider provider() {
        return GeminiTestSupport.provider(server);
    }

    private static ProviderCall hello() {
        return call(ChatRequest.ofUser("gemini-2.0-flash", "hello")).build();
    }

    private JsonNode sentBody() throws InterruptedException {
        return tree(server.takeRequest(5, SECONDS).getBody().utf8());
    }

    private static ChatRequest fullRequest() {
        JsonNode toolSchema = tree("""
                {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");
        JsonNode answerSchema = tree("""
                {"type":"object","properties":{"summary":{"type":"string"}},"required":["summary"],
                 "additionalProperties":false}""");
        String png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKm"
                + "MIQAAAABJRU5ErkJggg==";
        return ChatRequest.builder("gemini-2.0-flash")
                .addMessage(Message.system("You are a concise travel assistant."))
                .addMessage(Message.user("Hi!"))
                .addMessage(Message.developer("Answer in English."))
                .addMessage(Message.user(List.of(TextPart.of("Where was this photo taken?"),
                        ImagePart.of(png, ImageDetail.HIGH),
                        ImagePart.of("https://example.com/photos/lyon.JPG?size=large"))))
                .addMessage(Message.assistant("It looks like Lyon."))
                .addMessage(Message.assistant("Shall I check the weather there?"))
                .addMessage(Message.user("Yes please."))
                .temperature(0.2)
                .topP(0.9)
                .maxTokens(256)
                .maxCompletionTokens(512)
                .stop(List.of("END", "STOP"))
                .n(2)
                .seed(42)
                .presencePenalty(0.5)
                .frequencyPenalty(-0.25)
                .user("end-user-1")
                .parallelToolCalls(false)
                .addTool(Tool.builder("get_weather").description("Current weather for a city").parameters(toolSchema)
                        .build())
                .toolChoice(ToolChoice.function("get_weather"))
                .responseFormat(ResponseFormat.builder("weather_answer").schema(answerSchema).strict(true).build())
                .putExtraBody("safetySettings", tree("""
                        [{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","threshold":"BLOCK_ONLY_HIGH"}]"""))
                .putExtraBody("generationConfig", tree("""
                        {"topK":40,"thinkingConfig":{"thinkingBudget":0}}"""))
                .build();
    }

    // ------------------------------------------------------------------------------- request sent

    @Nested
    class RequestSent {

        @Test
        void givenFullRequest_whenComplete_thenPostsExactUrlHeadersAndJson() throws Exception {
            // given
            server.enqueue(json(200, resource("response-text.json")));
            ProviderCall call = call(fullRequest()).addHeader("X-Team", "travel").build();
            // when
            await(provider().completeAsync(call));
            // then
            RecordedRequest sent = server.takeRequest(5, SECONDS);
            assertThat(sent.getMethod()).isEqualTo("POST");
            assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");
            assertThat(sent.getUrl().query()).isNull();
            assertThat(sent.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
            assertThat(sent.getHeaders().get("Authorization")).isNull();
            assertThat(sent.getHeaders().get("Content-Type")).isEqualTo("application/json");
            assertThat(sent.getHeaders().get("Accept")).isEqualTo("application/json");
            assertThat(sent.getHeaders().get("User-Agent")).isEqualTo("llmrouter/0.1.0");
            assertThat(sent.getHeaders().get("X-Team")).isEqualTo("travel");
            assertThat(tree(sent.getBody().utf8())).isEqualTo(tree(resource("request-full.json")));
        }

        @Test
        void givenSystemMessagesAndRepeatedRoles_whenComplete_thenSystemInstructionAndMergedTurns() throws Exception {
            // given
            server.enqueue(json(200, resource("response-text.json")));
            ChatRequest request = ChatRequest.builder("gemini-2.0-flash")
                    .addMessage(Message.system("Be brief."))
                    .addMessage(Message.user("One."))
                    .addMessage(Message.user("Two."))
                    .addMessage(Message.assistant("Three."))
                    .addMessage(Message.system("Use metric units."))
                    .addMessage(Message.assistant("Four."))
                    .addMessage(Message.user("Five."))
                    .build();
            // when
            await(provider().completeAsync(call(request).build()));
            // then
            assertThat(sentBody()).isEqualTo(tree("""
                    {"systemInstruction":{"parts":[{"text":"Be brief."},{"text":"Use metric units."}]},
                     "contents":[
                       {"role":"user","parts":[{"text":"One."},{"text":"Two."}]},
                       {"role":"model","parts":[{"text":"Three."},{"text":"Four."}]},
                       {"role":"user","parts":[{"text":"Five."}]}]}"""));
        }

        @Test
        void givenJsonObjectFormatAndMaxTokens_whenComplete_thenJsonMimeTypeWithoutSchema() throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            ChatRequest request = ChatRequest.builder("gemini-2.0-flash").addMessage(Message.user("List 3 colours."))
                    .maxTokens(100).responseFormat(ResponseFormat.jsonObject()).build();

            await(provider().completeAsync(call(request).build()));

            assertThat(sentBody()).isEqualTo(tree("""
                    {"contents":[{"role":"user","parts":[{"text":"List 3 colours."}]}],
                     "generationConfig":{"maxOutputTokens":100,"responseMimeType":"application/json"}}"""));
        }

        static Stream<Arguments> toolChoices() {
            return Stream.of(
                    Arguments.of(ToolChoice.none(), "{\"mode\":\"NONE\"}"),
                    Arguments.of(ToolChoice.auto(), "{\"mode\":\"AUTO\"}"),
                    Arguments.of(ToolChoice.required(), "{\"mode\":\"ANY\"}"),
                    Arguments.of(ToolChoice.function("lookup"), "{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"lookup\"]}"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("toolChoices")
        void givenToolChoice_whenComplete_thenFunctionCallingConfigMode(ToolChoice choice, String expected)
                throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            ChatRequest request = ChatRequest.builder("gemini-2.0-flash").addMessage(Message.user("hi"))
                    .addTool(Tool.function("lookup", tree("{\"type\":\"object\"}"))).toolChoice(choice).build();

            await(provider().completeAsync(call(request).build()));

            assertThat(sentBody().path("toolConfig").path("functionCallingConfig")).isEqualTo(tree(expected));
        }

        @Test
        void givenModelWithModelsPrefixAndDeploymentBase_whenComplete_thenPathUsesBareModelId() throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            ProviderCall call = call(ChatRequest.ofUser("models/gemini-2.5-flash", "hi"))
                    .apiBase(server.url("/proxy/v1beta/").toString()).build();

            await(GeminiProvider.create().completeAsync(call));

            assertThat(server.takeRequest(5, SECONDS).getUrl().encodedPath())
                    .isEqualTo("/proxy/v1beta/models/gemini-2.5-flash:generateContent");
        }

        @Test
        void givenNoDeploymentKey_whenComplete_thenSendsGeminiApiKeyFromEnvironment() throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            GeminiProvider provider = GeminiProvider.builder().defaultApiBase(server.url("/v1beta").toString())
                    .environment(Map.of("GEMINI_API_KEY", "gemini-env-key-1", "GOOGLE_API_KEY", "google-env-key-2")::get)
                    .build();

            await(provider.completeAsync(keyless()));

            assertThat(server.takeRequest(5, SECONDS).getHeaders().get("x-goog-api-key")).isEqualTo("gemini-env-key-1");
        }

        @Test
        void givenOnlyGoogleApiKeyInEnvironment_whenComplete_thenSendsIt() throws Exception {
            server.enqueue(json(200, resource("response-text.json")));
            GeminiProvider provider = GeminiProvider.builder().defaultApiBase(server.url("/v1beta").toString())
                    .environment(Map.of("GEMINI_API_KEY", " ", "GOOGLE_API_KEY", "google-env-key-2")::get).build();

            await(provider.completeAsync(keyless()));

            assertThat(server.takeRequest(5, SECONDS).getHeaders().get("x-goog-api-key")).isEqualTo("google-env-key-2");
        }

        @Test
        void givenDeploymentApiBaseElsewhereWithoutKey_whenComplete_thenEnvironmentKeyIsNotSentThere()
                throws Exception {
            // given: the one rule of every adapter, the environment's key only goes to the vendor's base
            server.enqueue(json(200, resource("response-text.json")));
            GeminiProvider provider = GeminiProvider.builder()
                    .environment(Map.of("GEMINI_API_KEY", "must-stay-home")::get).build();
            ProviderCall call = keyless().toBuilder().apiBase(server.url("/gateway/v1beta").toString()).build();
            // when
            await(provider.completeAsync(call));
            // then
            assertThat(server.takeRequest(5, SECONDS).getHeaders().get("x-goog-api-key")).isNull();
        }

        private ProviderCall keyless() {
            return ProviderCall.builder(ChatRequest.ofUser("gemini-2.0-flash", "hi")).deploymentId("flash")
                    .modelGroup("flash").providerRoute("gemini/gemini-2.0-flash").timeout(Duration.ofSeconds(5)).build();
        }

        @Test
        void givenNoKeyAnywhere_whenComplete_thenAuthenticationNamingVariablesBeforeAnyRequest() {
            // given
            GeminiProvider provider = provider();
            // when
            Throwable failure = failureOf(provider.completeAsync(keyless()));
            // then
            assertThat(failure).isExactlyInstanceOf(AuthenticationException.class)
                    .hasMessage("gemini: no API key: none of the environment variables GEMINI_API_KEY, GOOGLE_API_KEY "
                            + "is set and the deployment has no apiKey");
            assertThat(((LlmRouterException) failure).deploymentId()).contains("flash");
            assertThat(((LlmRouterException) failure).provider()).contains("gemini");
            assertThat(server.getRequestCount()).isZero();
        }

        @Test
        void givenUnsetEnvironmentSecret_whenComplete_thenAuthenticationNamingTheVariable() {
            ProviderCall call = call(ChatRequest.ofUser("gemini-2.0-flash", "hi"))
                    .apiKey(Secret.fromEnv("LLMROUTER_TEST_UNSET_GEMINI_KEY", name -> null)).build();

            Throwable failure = failureOf(provider().completeAsync(call));

            assertThat(failure).isExactlyInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("LLMROUTER_TEST_UNSET_GEMINI_KEY");
            assertThat(server.getRequestCount()).isZero();
        }

        static Stream<Arguments> untranslatableRequests() {
            ToolCall lookup = ToolCall.of("call_1", "lookup", "{\"q\":\"cat\"}");
            return Stream.of(
                    Arguments.of("tool result for an unknown id", ChatRequest.builder("gemini-2.0-flash")
                            .addMessage(Message.user("hi"))
                            .addMessage(Message.assistantToolCalls(List.of(lookup)))
                            .addMessage(Message.tool("call_9", "{}")).build(),
                            "messages[2]: tool_call_id 'call_9' matches no tool call"),
                    Arguments.of("tool result before its call", ChatRequest.builder("gemini-2.0-flash")
                            .addMessage(Message.user("hi"))
                            .addMessage(Message.tool("call_1", "{}"))
                            .addMessage(Message.assistantToolCalls(List.of(lookup))).build(),
                            "messages[1]: tool_call_id 'call_1'"),
                    Arguments.of("arguments not JSON", ChatRequest.builder("gemini-2.0-flash")
                            .addMessage(Message.user("hi"))
                            .addMessage(Message.assistantToolCalls(List.of(ToolCall.of("c", "lookup", "{\"q\":")))).build(),
                            "messages[1].tool_calls[0].function.arguments: not valid JSON"),
                    Arguments.of("arguments not an object", ChatRequest.builder("gemini-2.0-flash")
                            .addMessage(Message.user("hi"))
                            .addMessage(Message.assistantToolCalls(List.of(ToolCall.of("c", "lookup", "[1,2]")))).build(),
                            "messages[1].tool_calls[0].function.arguments: expected a JSON object, was array"),
                    Arguments.of("data URL without base64", ChatRequest.builder("gemini-2.0-flash")
                            .addMessage(Message.user(List.of(ImagePart.of("data:image/svg+xml,<svg/>")))).build(),
                            "messages[0].content[0].image_url: a data: URL must be data:<mime type>;base64,<data>"),
                    Arguments.of("only a system message", ChatRequest.builder("gemini-2.0-flash")
                            .addMessage(Message.system("Be brief.")).build(),
                            "messages: no user, assistant or tool message"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("untranslatableRequests")
        void givenUntranslatableRequest_whenComplete_thenBadRequestBeforeAnyRequest(String name, ChatRequest request,
                String message) {
            Throwable failure = failureOf(provider().completeAsync(call(request).build()));

            assertThat(failure).isExactlyInstanceOf(BadRequestException.class)
                    .hasMessageStartingWith("gemini: cannot send the request: " + message);
            assertThat(((LlmRouterException) failure).isRetryable()).isFalse();
            assertThat(((LlmRouterException) failure).deploymentId()).contains("flash");
            assertThat(server.getRequestCount()).isZero();
        }

        @Test
        void rejectsNullCallAtOnce() {
            assertThatThrownBy(() -> provider().completeAsync(null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        void rejectsRelativeDefaultApiBase() {
            assertThatThrownBy(() -> GeminiProvider.builder().defaultApiBase("generativelanguage.googleapis.com"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultApiBase");
        }
    }

    // ------------------------------------------------------------------------ normalized response

    @Nested
    class ResponseNormalized {

        @Test
        void givenTextAnswer_whenComplete_thenExactOpenAiShapedResponse() throws Exception {
            // given
            server.enqueue(json(200, resource("response-text.json")));
            // when
            ChatResponse response = await(provider().completeAsync(hello()));
            // then
            assertThat(tree(OpenAiJson.responseToJson(response))).isEqualTo(tree("""
                    {"id":"resp-llmrouter-text-1","object":"chat.completion","created":%d,
                     "model":"gemini-2.0-flash-001",
                     "choices":[{"index":0,
                       "message":{"role":"assistant",
                         "content":"Lyon is known for its cuisine, its traboules and the Fête des Lumières.",
                         "refusal":null},
                       "logprobs":null,"finish_reason":"stop",
                       "safetyRatings":[{"category":"HARM_CATEGORY_HARASSMENT","probability":"NEGLIGIBLE"}],
                       "avgLogprobs":-0.21}],
                     "usage":{"prompt_tokens":31,"completion_tokens":17,"total_tokens":48,
                       "prompt_tokens_details":{"cached_tokens":0},
                       "completion_tokens_details":{"reasoning_tokens":0}}}""".formatted(NOW.getEpochSecond())));
            assertThat(response.choices().get(0).rawFinishReason()).isEqualTo("STOP");
        }

        @Test
        void givenFunctionCalls_whenComplete_thenToolCallsWithGeneratedIdsAndCompactArguments() throws Exception {
            server.enqueue(json(200, resource("response-function-call.json")));

            ChatResponse response = await(provider().completeAsync(hello()));

            assertThat(response.text()).isEmpty();
            assertThat(response.finishReason()).contains(FinishReason.TOOL_CALLS);
            assertThat(response.choices().get(0).rawFinishReason()).isEqualTo("STOP");
            assertThat(response.toolCalls()).containsExactly(
                    ToolCall.of("call_" + ZERO_ID, "get_weather", "{\"city\":\"Lyon\",\"unit\":\"celsius\"}"),
                    ToolCall.of("call_" + ZERO_ID + "_2", "get_local_time", "{\"city\":\"Lyon\"}"));
            assertThat(response.usage()).contains(Usage.builder().promptTokens(64).completionTokens(22)
                    .totalTokens(86).build());
        }

        @Test
        void givenThoughtsAndCachedContent_whenComplete_thenReasoningKeptApartAndUsageDetailed() throws Exception {
            // given
            server.enqueue(json(200, resource("response-thinking-cached.json")));
            // when
            ChatResponse response = await(provider().completeAsync(hello()));
            // then
            assertThat(response.text()).isEqualTo("Revenue grew 12% year over year.");
            assertThat(response.choices().get(0).message().reasoningContent().orElseThrow()).isEqualTo("**Summarizing the report**\n\nThe user wants the key figure from the "
                            + "cached report.");
            // prompt = 4096 + 12 tool-use; completion = 9 + 120 thoughts; total as stated
            assertThat(response.usage()).contains(Usage.builder().promptTokens(4108).completionTokens(129)
                    .totalTokens(4237).cachedTokens(4000).reasoningTokens(120).build());
            assertThat(response.id()).isEqualTo("resp-llmrouter-thinking-1");
            assertThat(response.model()).isEqualTo("gemini-2.5-flash");
        }

        @Test
        void givenSafetyFinish_whenComplete_thenContentFilterWithPartialTextAndRatings() throws Exception {
            server.enqueue(json(200, resource("response-finish-safety.json")));

            ChatResponse response = await(provider().completeAsync(hello()));

            assertThat(response.text()).isEqualTo("Here is how to pick a");
            assertThat(response.finishReason()).contains(FinishReason.CONTENT_FILTER);
            assertThat(response.choices().get(0).rawFinishReason()).isEqualTo("SAFETY");
            assertThat(response.choices().get(0).extraFields().get("safetyRatings").get(0).get("blocked").asBoolean())
                    .isTrue();
            // no responseId: one is generated
            assertThat(response.id()).isEqualTo("gemini-" + ZERO_ID);
        }

        @Test
        void givenBlockedPrompt_whenComplete_thenNormalResponseWithContentFilterAndEmptyContent() throws Exception {
            server.enqueue(json(200, resource("response-prompt-blocked.json")));

            ChatResponse response = await(provider().completeAsync(hello()));

            assertThat(response.choices()).hasSize(1);
            assertThat(response.text()).isEmpty();
            assertThat(response.toolCalls()).isEmpty();
            assertThat(response.finishReason()).contains(FinishReason.CONTENT_FILTER);
            assertThat(response.choices().get(0).rawFinishReason())
                    .isEqualTo("promptFeedback.blockReason=PROHIBITED_CONTENT");
            assertThat(response.extraFields().get("promptFeedback").get("blockReason").asText())
                    .isEqualTo("PROHIBITED_CONTENT");
            assertThat(response.usage()).contains(Usage.builder().promptTokens(9).totalTokens(9).build());
        }

        static Stream<Arguments> finishReasons() {
            return Stream.of(
                    Arguments.of("STOP", FinishReason.STOP),
                    Arguments.of("MAX_TOKENS", FinishReason.LENGTH),
                    Arguments.of("SAFETY", FinishReason.CONTENT_FILTER),
                    Arguments.of("RECITATION", FinishReason.CONTENT_FILTER),
                    Arguments.of("BLOCKLIST", FinishReason.CONTENT_FILTER),
                    Arguments.of("PROHIBITED_CONTENT", FinishReason.CONTENT_FILTER),
                    Arguments.of("SPII", FinishReason.CONTENT_FILTER),
                    Arguments.of("IMAGE_SAFETY", FinishReason.CONTENT_FILTER),
                    Arguments.of("IMAGE_PROHIBITED_CONTENT", FinishReason.CONTENT_FILTER),
                    Arguments.of("IMAGE_RECITATION", FinishReason.CONTENT_FILTER),
                    Arguments.of("LANGUAGE", FinishReason.STOP),
                    Arguments.of("OTHER", FinishReason.STOP),
                    Arguments.of("MALFORMED_FUNCTION_CALL", FinishReason.STOP),
                    Arguments.of("UNEXPECTED_TOOL_CALL", FinishReason.STOP),
                    Arguments.of("TOO_MANY_TOOL_CALLS", FinishReason.STOP),
                    Arguments.of("NO_IMAGE", FinishReason.STOP),
                    Arguments.of("IMAGE_OTHER", FinishReason.STOP),
                    Arguments.of("FINISH_REASON_UNSPECIFIED", FinishReason.STOP),
                    Arguments.of("SOMETHING_NEW", FinishReason.STOP));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @MethodSource("finishReasons")
        void mapsFinishReasonKeepingTheRawValue(String raw, FinishReason expected) throws Exception {
            server.enqueue(json(200, """
                    {"candidates":[{"content":{"role":"model","parts":[{"text":"x"}]},"finishReason":"%s"}]}"""
                    .formatted(raw)));

            ChatResponse response = await(provider().completeAsync(hello()));

            assertThat(response.finishReason()).contains(expected);
            assertThat(response.choices().get(0).rawFinishReason()).isEqualTo(raw);
            assertThat(response.model()).as("no modelVersion: the requested model").isEqualTo("gemini-2.0-flash");
            assertThat(response.usage()).isEmpty();
        }

        @Test
        void givenSeveralCandidates_whenComplete_thenOneChoicePerCandidateByIndex() throws Exception {
            server.enqueue(json(200, """
                    {"candidates":[
                      {"index":1,"content":{"role":"model","parts":[{"text":"B"}]},"finishReason":"MAX_TOKENS"},
                      {"index":0,"content":{"role":"model","parts":[{"text":"A"}]},"finishReason":"STOP"}]}"""));

            ChatResponse response = await(provider().completeAsync(hello()));

            assertThat(response.choices()).extracting(c -> c.index() + ":" + c.message().text() + ":"
                    + c.finishReason().wireValue()).containsExactly("0:A:stop", "1:B:length");
        }

        @Test
        void givenCandidateWithoutContent_whenComplete_thenEmptyText() throws Exception {
            server.enqueue(json(200, "{\"candidates\":[{\"finishReason\":\"RECITATION\",\"index\":0}]}"));

            ChatResponse response = await(provider().completeAsync(hello()));

            assertThat(response.text()).isEmpty();
            assertThat(response.finishReason()).contains(FinishReason.CONTENT_FILTER);
        }

        @Test
        void givenTextAnswer_whenCompleteSynchronously_thenSameResponse() {
            server.enqueue(json(200, resource("response-text.json")));

            ChatResponse response = provider().complete(hello());

            assertThat(response.text()).startsWith("Lyon is known");
        }
    }

    // ------------------------------------------------------------------------------ HTTP errors

    /** One row of the status → exception table. */
    record ErrorCase(String file, int status, Class<? extends LlmRouterException> type, boolean retryable,
            Optional<Duration> retryAfter) {

        static ErrorCase of(String file, int status, Class<? extends LlmRouterException> type, boolean retryable) {
            return new ErrorCase(file, status, type, retryable, Optional.empty());
        }

        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<ErrorCase> errorTable() {
        return Stream.of(
                ErrorCase.of("error-400-api-key-invalid.json", 400, AuthenticationException.class, false),
                ErrorCase.of("error-400-context-window.json", 400, ContextWindowExceededException.class, false),
                ErrorCase.of("error-400-invalid-argument.json", 400, BadRequestException.class, false),
                ErrorCase.of("error-400-failed-precondition.json", 400, BadRequestException.class, false),
                ErrorCase.of("error-401-unauthenticated.json", 401, AuthenticationException.class, false),
                ErrorCase.of("error-403-permission-denied.json", 403, PermissionDeniedException.class, false),
                ErrorCase.of("error-404-not-found.json", 404, NotFoundException.class, false),
                new ErrorCase("error-429-retry-info.json", 429, RateLimitException.class, true,
                        Optional.of(Duration.ofMillis(12_500))),
                new ErrorCase("error-429-per-day.json", 429, RateLimitException.class, false,
                        Optional.of(Duration.ofHours(1))),
                ErrorCase.of("error-429-no-details.json", 429, RateLimitException.class, true),
                ErrorCase.of("error-500-internal.json", 500, ProviderServerException.class, true),
                ErrorCase.of("error-503-unavailable.json", 503, ServiceUnavailableException.class, true),
                ErrorCase.of("error-504-deadline-exceeded.json", 504, RequestTimeoutException.class, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorTable")
    void mapsHttpErrorToTypedException(ErrorCase c) {
        // given
        server.enqueue(json(c.status(), resource(c.file())));
        // when
        Throwable failure = failureOf(provider().completeAsync(hello()));
        // then
        assertThat(server.getRequestCount()).as("the HTTP client must not retry on its own").isEqualTo(1);
        assertThat(failure).isExactlyInstanceOf(c.type());
        LlmRouterException e = (LlmRouterException) failure;
        assertThat(e.statusCode()).hasValue(c.status());
        assertThat(e.isRetryable()).isEqualTo(c.retryable());
        assertThat(e.provider()).contains("gemini");
        assertThat(e.deploymentId()).contains("flash");
        assertThat(e.model()).contains("gemini-2.0-flash");
        assertThat(e.getMessage()).startsWith("gemini: ").contains("(HTTP " + c.status() + ", status=")
                .hasSizeLessThan(500);
        if (e instanceof RateLimitException rate) {
            assertThat(rate.retryAfter()).isEqualTo(c.retryAfter());
        }
    }

    @Test
    void givenQuotaError_whenMapped_thenMessageQuotesMessageStatusAndQuota() {
        server.enqueue(json(429, resource("error-429-retry-info.json")));

        Throwable failure = failureOf(provider().completeAsync(hello()));

        assertThat(failure).hasMessage("gemini: You exceeded your current quota, please check your plan and billing "
                + "details. (HTTP 429, status=RESOURCE_EXHAUSTED, "
                + "quota=GenerateRequestsPerMinutePerProjectPerModel-FreeTier)");
    }

    @Test
    void givenRetryDelayInObjectFormOrHeaderOnly_whenMapped_thenRetryAfterRead() {
        server.enqueue(json(429, """
                {"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED","details":[
                  {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":{"seconds":"3","nanos":500000000}}]}}"""));
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
                .addHeader("Retry-After", "7").body(resource("error-429-no-details.json")).build());

        Throwable objectForm = failureOf(provider().completeAsync(hello()));
        Throwable headerOnly = failureOf(provider().completeAsync(hello()));

        assertThat(((RateLimitException) objectForm).retryAfter()).contains(Duration.ofMillis(3500));
        assertThat(((RateLimitException) headerOnly).retryAfter()).contains(Duration.ofSeconds(7));
    }

    static Stream<Arguments> rawErrorBodies() {
        return Stream.of(
                Arguments.of(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>",
                        ProviderServerException.class, "gemini: HTTP 502 with an HTML page: <html>"),
                Arguments.of(503, "text/plain", "", ServiceUnavailableException.class,
                        "gemini: HTTP 503 with an empty body"),
                Arguments.of(500, "text/plain", "upstream connect error", ProviderServerException.class,
                        "gemini: HTTP 500 with a non-JSON body: upstream connect error"),
                Arguments.of(400, "application/json", "{\"error\":\"bad\"}", BadRequestException.class,
                        "gemini: HTTP 400 with an unexpected body: {\"error\":\"bad\"}"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rawErrorBodies")
    void givenErrorWithoutGoogleEnvelope_whenMapped_thenTypedByStatusWithShortExcerpt(int status, String contentType,
            String body, Class<? extends LlmRouterException> type, String message) {
        server.enqueue(new MockResponse.Builder().code(status).addHeader("Content-Type", contentType).body(body)
                .build());

        Throwable failure = failureOf(provider().completeAsync(hello()));

        assertThat(failure).isExactlyInstanceOf(type).hasMessageStartingWith(message);
        assertThat(((LlmRouterException) failure).statusCode()).hasValue(status);
    }

    // -------------------------------------------------------------------- invalid 2xx answers

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("{\"candidates\":[{\"content\":", "$: not valid JSON"),
                Arguments.of("[]", "$: expected an object"),
                Arguments.of("{}", "candidates: no candidates, and no promptFeedback.blockReason"),
                Arguments.of("{\"candidates\":{}}", "candidates: expected an array, was an object"),
                Arguments.of("{\"candidates\":[{\"content\":{\"parts\":\"x\"}}]}",
                        "candidates[0].content.parts: expected an array, was a string"),
                Arguments.of("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":7}]}}]}",
                        "candidates[0].content.parts[0].text: expected a string, was a number"),
                Arguments.of("{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"args\":{}}}]}}]}",
                        "candidates[0].content.parts[0].functionCall.name: missing"),
                Arguments.of("{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\","
                        + "\"args\":\"{}\"}}]}}]}", "candidates[0].content.parts[0].functionCall.args: expected an "
                        + "object, was a string"),
                Arguments.of("{\"candidates\":[{\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":-1}}",
                        "usageMetadata.promptTokenCount: expected a non-negative integer, was -1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void givenMalformedAnswerWith200_whenComplete_thenInvalidProviderResponseNamingThePath(String body,
            String problem) {
        server.enqueue(json(200, body));

        Throwable failure = failureOf(provider().completeAsync(hello()));

        assertThat(failure).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageStartingWith("gemini: invalid response (HTTP 200): ")
                .hasMessageContaining(problem);
        LlmRouterException e = (LlmRouterException) failure;
        assertThat(e.statusCode()).hasValue(200);
        assertThat(e.deploymentId()).contains("flash");
        assertThat(e.isRetryable()).isTrue();
    }

    @Test
    void givenHtmlOrEmptyBodyWith200_whenComplete_thenInvalidProviderResponse() {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<!DOCTYPE html><html><body>Sign in</body></html>").build());
        server.enqueue(json(200, ""));

        assertThat(failureOf(provider().completeAsync(hello()))).isExactlyInstanceOf(
                InvalidProviderResponseException.class).hasMessageContaining("HTML page");
        assertThat(failureOf(provider().completeAsync(hello()))).isExactlyInstanceOf(
                InvalidProviderResponseException.class).hasMessageContaining("empty body");
    }

    // ------------------------------------------------------------------------------ transport

    // -------------------------------------------------------------------------------- secrets

    @Test
    void givenAnswersEchoingTheKey_whenMapped_thenKeyAppearsInNoMessageContextOrUrl() throws Exception {
        // given
        String echo = """
                {"error":{"code":400,"message":"API key not valid: %s","status":"INVALID_ARGUMENT",
                 "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"},
                            {"@type":"type.googleapis.com/google.rpc.DebugInfo","detail":"key=%s"}]}}"""
                .formatted(KEY, KEY);
        server.enqueue(json(400, echo));
        server.enqueue(json(200, "{\"candidates\": [ \"" + KEY + "\""));
        server.enqueue(new MockResponse.Builder().code(502).addHeader("Content-Type", "text/html")
                .body("<html>x-goog-api-key: " + KEY + "</html>").build());
        ProviderCall call = hello();
        GeminiProvider provider = provider();
        // when
        List<Throwable> failures = List.of(failureOf(provider.completeAsync(call)),
                failureOf(provider.completeAsync(call)), failureOf(provider.completeAsync(call)));
        // then
        assertThat(failures.get(0)).isExactlyInstanceOf(AuthenticationException.class)
                .hasMessageContaining("API key not valid: ****");
        for (Throwable failure : failures) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY).doesNotContain("AIza");
                assertThat(t.toString()).doesNotContain(KEY);
            }
            assertThat(((LlmRouterException) failure).context().toString()).doesNotContain(KEY);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(server.takeRequest(5, SECONDS).getUrl().toString()).doesNotContain(KEY).doesNotContain("key=");
        }
        assertThat(call.toString()).doesNotContain(KEY);
        assertThat(provider.toString()).doesNotContain(KEY);
    }
}
