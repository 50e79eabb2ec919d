package io.llmrouter.providers.bedrock;

import static io.llmrouter.providers.bedrock.BedrockTestSupport.ACCESS_KEY_ID;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.CLOCK;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SECRET_ACCESS_KEY;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SESSION_TOKEN;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SONNET;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.temporaryCredentials;
import static io.llmrouter.providers.bedrock.internal.EventStreamEncoder.event;
import static io.llmrouter.providers.bedrock.internal.EventStreamEncoder.exception;
import static io.llmrouter.providers.testsupport.ProviderTestKit.JSON;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolCallDelta;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.providers.bedrock.internal.EventStreamEncoder;
import io.llmrouter.providers.bedrock.internal.EventStreamMessage.HeaderValue;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import io.llmrouter.spi.StreamHandle;
import io.llmrouter.testing.RecordingSink;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link BedrockProvider#streamAsync} against MockWebServer, with ConverseStream answers framed by
 * {@link EventStreamEncoder} in the shapes of the ConverseStream event union (botocore's service
 * model; the corpus's {@code converse-stream-events.jsonl}).
 */
@ExtendWith(StartedServers.class)
class BedrockStreamingTest {

    private static final String STREAM_PATH = "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream";
    private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    /**
     * SigV4 of {@code {"messages":[{"role":"user","content":[{"text":"hello"}]}]}} to
     * {@code converse-stream} in us-west-2 with the test's temporary credentials at 20150830T123600Z,
     * computed with an independent implementation (Python {@code hmac}/{@code hashlib}) that also
     * reproduces {@link BedrockSigningTest}'s Converse vector.
     */
    private static final String STREAM_AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/"
            + "us-west-2/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, "
            + "Signature=c164ac8a0bad9a757cb4305776854b7ac0f1f4ff6b3b0267b9ea83ee03e1c8ae";

    private final MockWebServer server = new MockWebServer();

    // ------------------------------------------------------------------------------------ helpers

    private static BedrockProvider provider() {
        return BedrockProvider.builder().environment(ProviderTestKit.environment(Map.of())).clock(CLOCK).build();
    }

    private ProviderCall.Builder call(ChatRequest request, String modelId) {
        return ProviderCall.builder(request).deploymentId("claude-primary").modelGroup("claude")
                .providerRoute("bedrock/" + modelId).apiBase(server.url("/").toString())
                .options(ProviderOptions.empty().with(BedrockProvider.REGION, "us-east-1")
                        .with(BedrockProvider.CREDENTIALS, temporaryCredentials()))
                .timeout(Duration.ofSeconds(5));
    }

    private ProviderCall call() {
        return call(ChatRequest.builder(SONNET).addMessage(Message.user("hello")).stream(true).build(), SONNET)
                .build();
    }

    private static MockResponse eventStream(byte[]... messages) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", EVENT_STREAM)
                .addHeader("x-amzn-requestid", BedrockTestSupport.REQUEST_ID)
                .body(EventStreamEncoder.stream(messages)).build();
    }

    private RecordingSink stream(ProviderCall call) {
        RecordingSink sink = new RecordingSink();
        provider().streamAsync(call, sink);
        return sink;
    }

    private RecordedRequest sent() throws InterruptedException {
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent).as("request sent").isNotNull();
        return sent;
    }

    private static byte[] messageStart() {
        return event("messageStart", "{\"role\":\"assistant\"}");
    }

    private static byte[] text(int block, String text) {
        return event("contentBlockDelta", "{\"contentBlockIndex\":" + block + ",\"delta\":{\"text\":"
                + JSON.valueToTree(text) + "},\"p\":\"abcdefgh\"}");
    }

    private static byte[] toolStart(int block, String id, String name) {
        return event("contentBlockStart", "{\"contentBlockIndex\":" + block + ",\"start\":{\"toolUse\":{\"toolUseId\":\""
                + id + "\",\"name\":\"" + name + "\"}}}");
    }

    private static byte[] toolInput(int block, String fragment) {
        return event("contentBlockDelta", "{\"contentBlockIndex\":" + block + ",\"delta\":{\"toolUse\":{\"input\":"
                + JSON.valueToTree(fragment) + "}}}");
    }

    private static byte[] blockStop(int block) {
        return event("contentBlockStop", "{\"contentBlockIndex\":" + block + "}");
    }

    private static byte[] messageStop(String stopReason) {
        return event("messageStop", "{\"stopReason\":\"" + stopReason + "\"}");
    }

    private static byte[] metadata(int input, int output) {
        return event("metadata", "{\"usage\":{\"inputTokens\":" + input + ",\"outputTokens\":" + output
                + ",\"totalTokens\":" + (input + output) + "},\"metrics\":{\"latencyMs\":412}}");
    }

    private static ChatChunk.Builder chunk(String id) {
        return ChatChunk.builder(id, SONNET);
    }

    // ------------------------------------------------------------------------------------ request

    @Test
    void givenStreamedCall_whenStreamAsync_thenPostsTheConverseBodyToConverseStreamSignedAndAcceptingEvents()
            throws Exception {
        // given
        server.enqueue(eventStream(messageStart(), text(0, "hi"), blockStop(0), messageStop("end_turn"),
                metadata(3, 1)));
        ChatRequest request = ChatRequest.builder(SONNET).addMessage(Message.system("Be brief."))
                .addMessage(Message.user("hello")).maxTokens(64).stream(true).build();
        // when
        stream(call(request, SONNET).build()).awaitCompleted();
        // then
        RecordedRequest sent = sent();
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getUrl().encodedPath()).isEqualTo(STREAM_PATH);
        assertThat(sent.getHeaders().get("Accept")).isEqualTo(EVENT_STREAM);
        assertThat(sent.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(sent.getHeaders().get("X-Amz-Date")).isEqualTo("20150830T123600Z");
        assertThat(sent.getHeaders().get("X-Amz-Security-Token")).isEqualTo(SESSION_TOKEN);
        assertThat(sent.getHeaders().get("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID + "/20150830/us-east-1/bedrock/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=");
        // the Converse body, unchanged: ConverseStream takes the same request
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"system":[{"text":"Be brief."}],"messages":[{"role":"user","content":[{"text":"hello"}]}],
                 "inferenceConfig":{"maxTokens":64}}"""));
    }

    @ParameterizedTest
    @CsvSource({
        "us.anthropic.claude-3-5-sonnet-20240620-v1:0, /model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream",
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0, "
                + "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.amazon.nova-pro-v1%3A0"
                + "/converse-stream"})
    void givenInferenceProfileOrArn_whenStreamAsync_thenTheModelIdIsOneEncodedPathSegment(String modelId, String path)
            throws Exception {
        // given
        server.enqueue(eventStream(messageStart(), messageStop("end_turn"), metadata(1, 0)));
        // when
        stream(call(ChatRequest.ofUser(modelId, "hello"), modelId).build()).awaitCompleted();
        // then
        assertThat(sent().getUrl().encodedPath()).isEqualTo(path);
    }

    @Test
    void givenRegionalEndpoint_whenStreamAsync_thenSignsConverseStreamExactly() throws Exception {
        // given: an interceptor answers before the network, so the Host is the real regional one
        List<Request> captured = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        Interceptor capture = chain -> {
            Buffer body = new Buffer();
            chain.request().body().writeTo(body);
            captured.add(chain.request());
            bodies.add(body.readUtf8());
            return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(200).message("OK")
                    .body(ResponseBody.create(EventStreamEncoder.stream(messageStart(), messageStop("end_turn"),
                            metadata(1, 1)).readByteString(), MediaType.get(EVENT_STREAM))).build();
        };
        BedrockProvider provider = BedrockProvider.builder()
                .httpClient(new OkHttpClient.Builder().addInterceptor(capture).build())
                .environment(ProviderTestKit.environment(Map.of())).clock(CLOCK).build();
        ProviderCall call = ProviderCall.builder(ChatRequest.ofUser(SONNET, "hello")).deploymentId("signed")
                .modelGroup("claude").providerRoute("bedrock/" + SONNET)
                .options(ProviderOptions.empty().with(BedrockProvider.REGION, "us-west-2")
                        .with(BedrockProvider.CREDENTIALS, temporaryCredentials()))
                .timeout(Duration.ofSeconds(5)).build();
        // when
        RecordingSink sink = new RecordingSink();
        provider.streamAsync(call, sink);
        sink.awaitCompleted();
        // then
        Request sent = captured.get(0);
        assertThat(sent.url()).hasToString("https://bedrock-runtime.us-west-2.amazonaws.com" + STREAM_PATH);
        assertThat(bodies.get(0)).isEqualTo("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hello\"}]}]}");
        assertThat(sent.header("Host")).isEqualTo("bedrock-runtime.us-west-2.amazonaws.com");
        assertThat(sent.header("Accept")).isEqualTo(EVENT_STREAM);
        assertThat(sent.header("Authorization")).isEqualTo(STREAM_AUTHORIZATION);
    }

    @Test
    void givenNoRegion_whenStreamAsync_thenFailsAtOnceWithoutTraffic() throws Exception {
        // given
        ProviderCall call = call().toBuilder().options(ProviderOptions.empty()
                .with(BedrockProvider.CREDENTIALS, temporaryCredentials())).build();
        RecordingSink sink = new RecordingSink();
        // when
        StreamHandle handle = provider().streamAsync(call, sink);
        // then
        assertThat(sink.done()).isCompletedExceptionally();
        assertThat(sink.awaitError()).isExactlyInstanceOf(BadRequestException.class).hasMessageContaining("region");
        assertThat(handle).isSameAs(StreamHandle.NONE);
        assertThat(server.getRequestCount()).isZero();
    }

    // ------------------------------------------------------------------------------------ chunks

    @Test
    void givenTextStream_whenStreamAsync_thenEmitsTextInOrderThenFinishThenUsage() throws Exception {
        // given
        server.enqueue(eventStream(messageStart(), text(0, "Lyon"), text(0, ", "), text(0, ""), text(0, "France."),
                blockStop(0), messageStop("end_turn"), metadata(25, 4)));
        // when
        RecordingSink sink = stream(call()).awaitCompleted();
        // then: nothing for messageStart, empty texts or contentBlockStop; the role rides on the first chunk
        List<ChatChunk> chunks = sink.chunks();
        String id = chunks.get(0).id();
        assertThat(id).startsWith("chatcmpl-");
        assertThat(chunks).containsExactly(
                chunk(id).role("assistant").text("Lyon").build(),
                chunk(id).text(", ").build(),
                chunk(id).text("France.").build(),
                chunk(id).finishReason(FinishReason.STOP).rawFinishReason("end_turn").build(),
                chunk(id).usage(Usage.builder().promptTokens(25).completionTokens(4).build()).build());
        assertThat(sink.accumulated().text()).isEqualTo("Lyon, France.");
    }

    @Test
    void givenTextThenTwoToolUseBlocks_whenStreamAsync_thenInputFragmentsReassembleToEachCallsJsonArguments()
            throws Exception {
        // given: block 0 is text (no start event), blocks 1 and 2 are tool use; input arrives as JSON text pieces
        server.enqueue(eventStream(messageStart(), text(0, "Checking both."), blockStop(0),
                toolStart(1, "tooluse_weather01", "get_weather"),
                toolInput(1, ""), toolInput(1, "{\"city\": \"Ly"), toolInput(1, "on\", \"unit\""),
                toolInput(1, ": \"celsius\"}"), blockStop(1),
                toolStart(2, "tooluse_time02", "get_time"),
                toolInput(2, "{\"tz\":"), toolInput(2, "\"Europe/Paris\"}"), blockStop(2),
                messageStop("tool_use"), metadata(120, 45)));
        // when
        RecordingSink sink = stream(call()).awaitCompleted();
        // then: one opening fragment per call with id and name, index = position among the tool calls
        List<ToolCallDelta> deltas = sink.chunks().stream().flatMap(c -> c.toolCalls().stream()).toList();
        assertThat(deltas).containsExactly(
                ToolCallDelta.of(0, "tooluse_weather01", "get_weather", ""),
                ToolCallDelta.of(0, null, null, "{\"city\": \"Ly"),
                ToolCallDelta.of(0, null, null, "on\", \"unit\""),
                ToolCallDelta.of(0, null, null, ": \"celsius\"}"),
                ToolCallDelta.of(1, "tooluse_time02", "get_time", ""),
                ToolCallDelta.of(1, null, null, "{\"tz\":"),
                ToolCallDelta.of(1, null, null, "\"Europe/Paris\"}"));
        ChatResponse response = sink.accumulated();
        assertThat(response.text()).isEqualTo("Checking both.");
        assertThat(response.toolCalls()).extracting(ToolCall::id, ToolCall::name, ToolCall::arguments).containsExactly(
                tuple("tooluse_weather01", "get_weather", "{\"city\": \"Lyon\", \"unit\": \"celsius\"}"),
                tuple("tooluse_time02", "get_time", "{\"tz\":\"Europe/Paris\"}"));
        assertThat(JSON.readTree(response.toolCalls().get(0).arguments()))
                .isEqualTo(tree("{\"city\":\"Lyon\",\"unit\":\"celsius\"}"));
        assertThat(JSON.readTree(response.toolCalls().get(1).arguments())).isEqualTo(tree("{\"tz\":\"Europe/Paris\"}"));
        assertThat(response.finishReason()).contains(FinishReason.TOOL_CALLS);
        assertThat(response.choices().get(0).rawFinishReason()).isEqualTo("tool_use");
        assertThat(response.usage()).contains(Usage.builder().promptTokens(120).completionTokens(45).build());
    }

    @Test
    void givenToolUseWithoutInput_whenStreamAsync_thenArgumentsAreAnEmptyObject() throws Exception {
        // given
        server.enqueue(eventStream(messageStart(), toolStart(0, "tooluse_now", "current_time"), blockStop(0),
                messageStop("tool_use"), metadata(10, 5)));
        // when
        RecordingSink sink = stream(call()).awaitCompleted();
        // then
        assertThat(sink.accumulated().toolCalls()).containsExactly(ToolCall.of("tooluse_now", "current_time", "{}"));
    }

    @Test
    void givenReasoningDeltasAndUnknownEvents_whenStreamAsync_thenOnlyTheTextIsContent() throws Exception {
        // given: reasoning deltas (Claude extended thinking) and an event type this adapter does not know
        server.enqueue(eventStream(messageStart(),
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"hmm\"}}}"),
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"signature\":\"sig\"}}}"),
                blockStop(0), event("futureEvent", "{\"x\":1}"), text(1, "Answer."), blockStop(1),
                messageStop("end_turn"), metadata(10, 20)));
        // when
        RecordingSink sink = stream(call()).awaitCompleted();
        // then
        assertThat(sink.texts()).containsExactly("Answer.");
        assertThat(sink.chunks().get(0).role()).contains("assistant");
    }

    @Test
    void givenCachedPromptAndGuardrail_whenStreamAsync_thenUsageCountsCacheAndFinishIsContentFilter()
            throws Exception {
        // given
        server.enqueue(eventStream(messageStart(), text(0, "Sorry, I can't help with that."), blockStop(0),
                messageStop("guardrail_intervened"),
                event("metadata", "{\"usage\":{\"inputTokens\":21,\"outputTokens\":9,\"totalTokens\":2078,"
                        + "\"cacheReadInputTokens\":1024,\"cacheWriteInputTokens\":1024},\"metrics\":{\"latencyMs\":9}}")));
        // when
        ChatResponse response = stream(call()).awaitCompleted().accumulated();
        // then
        assertThat(response.finishReason()).contains(FinishReason.CONTENT_FILTER);
        assertThat(response.choices().get(0).rawFinishReason()).isEqualTo("guardrail_intervened");
        assertThat(response.usage()).contains(Usage.builder().promptTokens(2069).completionTokens(9)
                .cachedTokens(1024).cacheCreationTokens(1024).build());
    }

    // ------------------------------------------------------------------------------------ failures in the stream

    @Test
    void givenThrottlingExceptionMidStream_whenStreamAsync_thenTheChunksSoFarThenARetryableRateLimit()
            throws Exception {
        // given
        server.enqueue(eventStream(messageStart(), text(0, "Partial"),
                exception("throttlingException", "{\"message\":\"Too many requests, please wait before trying again.\"}"),
                text(0, " never delivered"), messageStop("end_turn"), metadata(1, 1)));
        // when
        RecordingSink sink = stream(call());
        // then
        Throwable error = sink.awaitError();
        assertThat(error).isExactlyInstanceOf(RateLimitException.class)
                .hasMessageContaining("Too many requests, please wait before trying again.")
                .hasMessageContaining("throttlingException");
        RateLimitException rateLimit = (RateLimitException) error;
        assertThat(rateLimit.isRetryable()).isTrue();
        assertThat(rateLimit.retryAfter()).isEmpty();
        assertThat(rateLimit.provider()).contains("bedrock");
        assertThat(rateLimit.deploymentId()).contains("claude-primary");
        assertThat(sink.texts()).containsExactly("Partial");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "throttlingException         | Too many requests.                     | RateLimitException",
        "modelStreamErrorException   | The model failed while streaming.      | ProviderServerException",
        "internalServerException     | Internal error.                        | ProviderServerException",
        "serviceUnavailableException | Service unavailable, try again later.  | ServiceUnavailableException",
        "validationException         | Malformed input request.               | BadRequestException",
        "validationException         | Input is too long for requested model. | ContextWindowExceededException",
        "modelTimeoutException       | Model timed out.                       | RequestTimeoutException",
        "someNewException            | Something new.                         | ProviderServerException"})
    void givenExceptionMessage_whenStreamAsync_thenFailsWithItsTypedException(String type, String text,
            String exceptionClass) throws Exception {
        // given
        server.enqueue(eventStream(messageStart(), exception(type, "{\"message\":\"" + text + "\"}")));
        // when
        Throwable error = stream(call()).awaitError();
        // then
        Map<String, Class<? extends LlmRouterException>> classes = Map.of(
                "RateLimitException", RateLimitException.class,
                "ProviderServerException", ProviderServerException.class,
                "ServiceUnavailableException", ServiceUnavailableException.class,
                "BadRequestException", BadRequestException.class,
                "ContextWindowExceededException", ContextWindowExceededException.class,
                "RequestTimeoutException", RequestTimeoutException.class);
        assertThat(error).isExactlyInstanceOf(classes.get(exceptionClass)).hasMessageContaining(text)
                .hasMessageContaining("(stream exception " + type + ")");
    }

    @Test
    void givenUnmodeledErrorMessage_whenStreamAsync_thenClassifiedByItsErrorCode() throws Exception {
        // given: :message-type error with :error-code / :error-message headers and no payload
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":message-type", new HeaderValue.StringValue("error"));
        headers.put(":error-code", new HeaderValue.StringValue("ThrottlingException"));
        headers.put(":error-message", new HeaderValue.StringValue("Rate exceeded"));
        server.enqueue(eventStream(messageStart(), EventStreamEncoder.message(headers, new byte[0])));
        // when
        Throwable error = stream(call()).awaitError();
        // then
        assertThat(error).isExactlyInstanceOf(RateLimitException.class).hasMessageContaining("Rate exceeded");
    }

    @Test
    void givenStreamEndingAfterMessageStopWithoutMetadata_whenStreamAsync_thenCompletesWithoutUsage()
            throws Exception {
        // given: the finish arrived, the usage never does
        server.enqueue(eventStream(messageStart(), text(0, "Hi"), blockStop(0), messageStop("end_turn")));
        // when
        RecordingSink sink = stream(call());
        // then: the answer was whole at messageStop (the one end-of-stream rule)
        sink.awaitCompleted();
        assertThat(sink.accumulated().text()).isEqualTo("Hi");
        assertThat(sink.accumulated().finishReason()).contains(FinishReason.STOP);
        assertThat(sink.accumulated().usage()).isEmpty();
    }

    @Test
    void givenStreamEndingMidAnswer_whenStreamAsync_thenInvalidResponse() throws Exception {
        // given
        server.enqueue(eventStream(messageStart(), text(0, "Hi")));
        // when
        Throwable error = stream(call()).awaitError();
        // then
        assertThat(error).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("the stream ended without messageStop");
    }

    @Test
    void givenCorruptedCrc_whenStreamAsync_thenTheChunksSoFarThenInvalidResponse() throws Exception {
        // given: the second text message has a flipped payload bit
        byte[] corrupted = text(0, " world");
        corrupted[corrupted.length - 8] ^= 0x20;
        server.enqueue(eventStream(messageStart(), text(0, "Hello"), corrupted, messageStop("end_turn"),
                metadata(1, 2)));
        // when
        RecordingSink sink = stream(call());
        // then
        assertThat(sink.awaitError()).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("invalid event stream").hasMessageContaining("message CRC32 mismatch");
        assertThat(sink.texts()).containsExactly("Hello");
    }

    @Test
    void givenCorruptedLength_whenStreamAsync_thenInvalidResponse() throws Exception {
        // given: a length byte changed, so the prelude CRC no longer matches
        byte[] corrupted = messageStart();
        corrupted[1] = 0x7F;
        server.enqueue(eventStream(corrupted, messageStop("end_turn"), metadata(1, 2)));
        // when
        Throwable error = stream(call()).awaitError();
        // then
        assertThat(error).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("prelude CRC32 mismatch");
    }

    @Test
    void givenBodyEndingInsideAMessage_whenStreamAsync_thenInvalidResponse() throws Exception {
        // given
        byte[] stop = messageStop("end_turn");
        server.enqueue(eventStream(messageStart(), Arrays.copyOf(stop, stop.length - 3)));
        // when
        Throwable error = stream(call()).awaitError();
        // then
        assertThat(error).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("the stream ended inside a message");
    }

    @Test
    void givenMessagesSplitAcrossSmallChunks_whenStreamAsync_thenDecodesThemAll() throws Exception {
        // given: HTTP chunks of 5 bytes, so every message spans several reads
        Buffer body = EventStreamEncoder.stream(messageStart(), text(0, "split "), text(0, "apart"), blockStop(0),
                messageStop("end_turn"), metadata(2, 2));
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", EVENT_STREAM)
                .chunkedBody(body, 5).build());
        // when
        RecordingSink sink = stream(call()).awaitCompleted();
        // then
        assertThat(sink.texts()).containsExactly("split ", "apart");
    }

    @Test
    void givenMalformedEventPayload_whenStreamAsync_thenInvalidResponseQuotingIt() throws Exception {
        // given
        server.enqueue(eventStream(messageStart(), event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":")));
        // when
        Throwable error = stream(call()).awaitError();
        // then
        assertThat(error).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("malformed JSON in the contentBlockDelta event");
    }

    @Test
    void givenToolInputForABlockThatNeverStarted_whenStreamAsync_thenInvalidResponse() throws Exception {
        // given
        server.enqueue(eventStream(messageStart(), toolInput(3, "{}")));
        // when
        Throwable error = stream(call()).awaitError();
        // then
        assertThat(error).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("content block 3, which did not start as tool use");
    }

    @Test
    void givenMetadataBeforeMessageStop_whenStreamAsync_thenInvalidResponse() throws Exception {
        // given
        server.enqueue(eventStream(messageStart(), text(0, "Hi"), metadata(1, 1)));
        // when
        Throwable error = stream(call()).awaitError();
        // then
        assertThat(error).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("metadata before messageStop");
    }

    // ------------------------------------------------------------------------------------ failures before the stream

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "429 | ThrottlingException         | Too many requests, please wait before trying again. | RateLimitException",
        "400 | ValidationException         | Malformed input request.                            | BadRequestException",
        "503 | ServiceUnavailableException | Service is unavailable.                             | ServiceUnavailableException"})
    void givenErrorStatus_whenStreamAsync_thenTheSameTypedExceptionAsConverse(int status, String type, String text,
            String exceptionClass) throws Exception {
        // given
        server.enqueue(new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .addHeader("x-amzn-errortype", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
                .addHeader("x-amzn-requestid", BedrockTestSupport.REQUEST_ID)
                .body("{\"message\":\"" + text + "\"}").build());
        // when
        Throwable error = stream(call()).awaitError();
        // then
        assertThat(error.getClass().getSimpleName()).isEqualTo(exceptionClass);
        LlmRouterException typed = (LlmRouterException) error;
        assertThat(typed.statusCode()).hasValue(status);
        assertThat(typed.providerRequestId()).contains(BedrockTestSupport.REQUEST_ID);
        assertThat(typed).hasMessageContaining(text).hasMessageNotContaining(SECRET_ACCESS_KEY);
    }

    @Test
    void givenHtmlPageInsteadOfAStream_whenStreamAsync_thenInvalidResponse() throws Exception {
        // given: a proxy's 200 page
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html><body>Gateway login</body></html>").build());
        // when
        Throwable error = stream(call()).awaitError();
        // then
        assertThat(error).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("expected an AWS event stream").hasMessageContaining("Gateway login");
    }

    @Test
    void givenConnectionCutMidStream_whenStreamAsync_thenConnectionError() throws Exception {
        // given: the socket is closed part-way through a body of announced length
        server.enqueue(new MockResponse.Builder(eventStream(messageStart(), text(0, "Hi"), blockStop(0),
                messageStop("end_turn"), metadata(1, 1))).onResponseBody(new SocketEffect.CloseSocket()).build());
        // when
        RecordingSink sink = stream(call());
        // then
        assertThat(sink.awaitError()).isExactlyInstanceOf(ProviderConnectionException.class);
        assertThat(sink.chunks()).noneMatch(c -> c.usage().isPresent());
    }

    @Test
    void givenNothingListening_whenStreamAsync_thenConnectionError() throws Exception {
        // given
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProviderCall call = call().toBuilder().apiBase("http://127.0.0.1:" + port).build();
        // when
        Throwable error = stream(call).awaitError();
        // then
        assertThat(error).isExactlyInstanceOf(ProviderConnectionException.class);
    }

    @Test
    void givenStreamThatStalls_whenTheCallTimesOut_thenRequestTimeout() throws Exception {
        // given: the first text, then silence; the call's timeout bounds the whole stream
        CountDownLatch release = new CountDownLatch(1);
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", EVENT_STREAM)
                .body(new StallingBody(EventStreamEncoder.stream(messageStart(), text(0, "Hi")).readByteArray(),
                        release, new CompletableFuture<>())).build());
        // when
        RecordingSink sink = stream(call().toBuilder().timeout(Duration.ofMillis(300)).build());
        // then
        try {
            assertThat(sink.awaitError()).isExactlyInstanceOf(RequestTimeoutException.class)
                    .hasMessageContaining("no answer in time");
            assertThat(sink.texts()).containsExactly("Hi");
        } finally {
            release.countDown();
        }
    }

    // ------------------------------------------------------------------------------------ cancel

    /** A chunked body that writes {@code head}, waits for {@code release}, then keeps writing text events until the client is gone. */
    private static final class StallingBody implements MockResponseBody {
        private final byte[] head;
        private final CountDownLatch release;
        private final CompletableFuture<IOException> disconnected;

        StallingBody(byte[] head, CountDownLatch release, CompletableFuture<IOException> disconnected) {
            this.head = head;
            this.release = release;
            this.disconnected = disconnected;
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            sink.write(head).flush();
            try {
                if (!release.await(5, SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            byte[] more = text(0, " more");
            try {
                for (int i = 0; i < 100_000; i++) {
                    sink.write(more).flush();
                }
            } catch (IOException e) {
                disconnected.complete(e);
                throw e;
            }
        }
    }

    @Test
    void givenStreamInProgress_whenCancelled_thenClosesTheConnectionAndTheSinkHearsNothingMore() throws Exception {
        // given: a stream that sends its first text, then waits
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<IOException> disconnected = new CompletableFuture<>();
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", EVENT_STREAM)
                .body(new StallingBody(EventStreamEncoder.stream(messageStart(), text(0, "Hello")).readByteArray(),
                        release, disconnected)).build());
        OkHttpClient client = new OkHttpClient.Builder().build();
        CompletableFuture<Void> idle = new CompletableFuture<>();
        client.dispatcher().setIdleCallback(() -> idle.complete(null));
        BedrockProvider provider = BedrockProvider.builder().httpClient(client)
                .environment(ProviderTestKit.environment(Map.of())).clock(CLOCK).build();
        RecordingSink sink = new RecordingSink();
        StreamHandle handle = provider.streamAsync(call(), sink);
        assertThat(sink.first().get(5, SECONDS).text()).contains("Hello");
        // when
        handle.cancel();
        handle.cancel(); // idempotent
        release.countDown();
        // then: the server's writes fail (the client closed the socket), the reading thread ends, silently
        assertThat(disconnected.get(5, SECONDS)).isInstanceOf(IOException.class);
        idle.get(5, SECONDS);
        assertThat(sink.done()).isNotDone();
        assertThat(sink.terminals()).isZero();
        assertThat(sink.chunks()).hasSize(1);
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
