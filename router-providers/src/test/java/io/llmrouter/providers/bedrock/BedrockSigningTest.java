package io.llmrouter.providers.bedrock;

import static io.llmrouter.providers.bedrock.BedrockTestSupport.CLOCK;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SESSION_TOKEN;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SONNET;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * Exact SigV4 headers for requests to the real regional endpoints, with fixed credentials and
 * clock: an OkHttp interceptor captures each request before it leaves the process and answers it,
 * so nothing goes over the network and the {@code Host} is the real one.
 *
 * <p>Expected values: the fixture corpus's DERIVED Converse vector (botocore's {@code SigV4Auth},
 * also checked at test time against {@code sigv4/derived-converse/} when the corpus is present),
 * and for the session-token case a value computed with an independent SigV4 implementation (a
 * short Python script using {@code hmac}/{@code hashlib}) that reproduces that derived vector.
 */
class BedrockSigningTest {

    private static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";

    /** AWS's tool-use example (Bedrock user guide, tool-use-inference-call.html). */
    private static final String TOP_SONG_SCHEMA = """
            {"type":"object","properties":{"sign":{"type":"string","description":"The call sign for the radio \
            station for which you want the most popular song. Example calls signs are WZPZ and WKRP."}},\
            "required":["sign"]}""";

    private static final String DERIVED_CONVERSE_AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/"
            + "us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, "
            + "Signature=1e74f7ad19cdf25eb28b915de25faf256f1ff5f3e8583a42c484b2f6887c5943";

    private static final String SESSION_TOKEN_AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/"
            + "us-west-2/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, "
            + "Signature=296d3c3f16eb01ad68a743f42c193064323aabbce20e36fc158e9e3bf082fe13";

    private static final String ANSWER = """
            {"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},"stopReason":"end_turn",
             "usage":{"inputTokens":3,"outputTokens":1,"totalTokens":4},"metrics":{"latencyMs":100}}""";

    /** Captures requests and answers them without any network traffic. */
    private static final class Capture implements Interceptor {
        final List<Request> requests = new ArrayList<>();
        final List<String> bodies = new ArrayList<>();

        @Override
        public Response intercept(Chain chain) throws IOException {
            Request request = chain.request();
            Buffer buffer = new Buffer();
            if (request.body() != null) {
                request.body().writeTo(buffer);
            }
            synchronized (this) {
                requests.add(request);
                bodies.add(buffer.readUtf8());
            }
            return new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(200).message("OK")
                    .header("x-amzn-requestid", "captured")
                    .body(ResponseBody.create(ANSWER, MediaType.get("application/json"))).build();
        }
    }

    private final Capture capture = new Capture();

    private BedrockProvider provider(BedrockProvider.Builder builder) {
        return builder.httpClient(new OkHttpClient.Builder().addInterceptor(capture).build())
                .environment(ProviderTestKit.environment(Map.of())).clock(CLOCK).build();
    }

    private static ProviderCall call(ChatRequest request, String modelId, String region, AwsCredentials credentials) {
        return ProviderCall.builder(request).deploymentId("signed").modelGroup("claude")
                .providerRoute("bedrock/" + modelId)
                .options(ProviderOptions.empty().with(BedrockProvider.REGION, region)
                        .with(BedrockProvider.CREDENTIALS, credentials))
                .timeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void givenAwsToolExampleAndTestCredentials_whenSentToUsEast1_thenAuthorizationIsTheDerivedConverseVector()
            throws Exception {
        // given
        ChatRequest request = ChatRequest.builder(HAIKU)
                .addMessage(Message.system("You are a helpful radio assistant."))
                .addMessage(Message.user("What is the most popular song on WZPZ?"))
                .maxTokens(512).temperature(0.5).topP(0.9).stop(List.of("END"))
                .addTool(Tool.builder("top_song").description("Get the most popular song played on a radio station.")
                        .parameters(tree(TOP_SONG_SCHEMA)).build())
                .toolChoice(ToolChoice.auto())
                .build();
        // when
        await(provider(BedrockProvider.builder()).completeAsync(call(request, HAIKU, "us-east-1",
                BedrockTestSupport.credentials())));
        // then
        Request sent = capture.requests.get(0);
        assertThat(sent.url().toString()).isEqualTo("https://bedrock-runtime.us-east-1.amazonaws.com/model/"
                + "anthropic.claude-3-haiku-20240307-v1%3A0/converse");
        assertThat(sent.header("Host")).isEqualTo("bedrock-runtime.us-east-1.amazonaws.com");
        assertThat(sent.header("X-Amz-Date")).isEqualTo("20150830T123600Z");
        assertThat(sent.header("X-Amz-Security-Token")).isNull();
        assertThat(sent.body().contentType()).hasToString("application/json");
        assertThat(sent.header("Authorization")).isEqualTo(DERIVED_CONVERSE_AUTHORIZATION);
        Optional<Path> derived = ProviderTestKit.corpus("bedrock").map(p -> p.resolve("sigv4").resolve("derived-converse"));
        if (derived.isPresent() && Files.isDirectory(derived.get())) {
            assertThat(sent.header("Authorization")).isEqualTo(read(derived.get().resolve("converse.authz")));
            String req = read(derived.get().resolve("converse.req"));
            assertThat(capture.bodies.get(0)).isEqualTo(req.substring(req.indexOf("\n\n") + 2));
        }
    }

    @Test
    void givenTemporaryCredentials_whenSentToUsWest2_thenSignsTheSecurityTokenExactly() throws Exception {
        // when
        await(provider(BedrockProvider.builder()).completeAsync(call(ChatRequest.ofUser(SONNET, "hello"), SONNET,
                "us-west-2", BedrockTestSupport.temporaryCredentials())));
        // then
        Request sent = capture.requests.get(0);
        assertThat(sent.url().toString()).isEqualTo("https://bedrock-runtime.us-west-2.amazonaws.com/model/"
                + "anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
        assertThat(capture.bodies.get(0)).isEqualTo("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hello\"}]}]}");
        assertThat(sent.header("X-Amz-Security-Token")).isEqualTo(SESSION_TOKEN);
        assertThat(sent.header("Authorization")).isEqualTo(SESSION_TOKEN_AUTHORIZATION);
    }

    @Test
    void givenChinaRegion_whenComplete_thenUsesTheAmazonawsComCnEndpoint() throws Exception {
        // when
        await(provider(BedrockProvider.builder()).completeAsync(call(ChatRequest.ofUser(SONNET, "hello"), SONNET,
                "cn-north-1", BedrockTestSupport.credentials())));
        // then
        assertThat(capture.requests.get(0).url().host()).isEqualTo("bedrock-runtime.cn-north-1.amazonaws.com.cn");
        assertThat(capture.requests.get(0).header("Authorization")).contains("/cn-north-1/bedrock/aws4_request");
    }

    @Test
    void givenDefaultEndpointOverride_whenNoApiBase_thenCallsItAndStillSignsForTheRegion() throws Exception {
        // given
        BedrockProvider provider = provider(BedrockProvider.builder()
                .defaultEndpoint("https://vpce-0123-abcd.bedrock-runtime.eu-central-1.vpce.amazonaws.com/"));
        // when
        await(provider.completeAsync(call(ChatRequest.ofUser(SONNET, "hello"), SONNET, "eu-central-1",
                BedrockTestSupport.credentials())));
        // then
        Request sent = capture.requests.get(0);
        assertThat(sent.url().toString()).isEqualTo("https://vpce-0123-abcd.bedrock-runtime.eu-central-1.vpce."
                + "amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
        assertThat(sent.header("Host")).isEqualTo("vpce-0123-abcd.bedrock-runtime.eu-central-1.vpce.amazonaws.com");
        assertThat(sent.header("Authorization")).contains("/eu-central-1/bedrock/aws4_request");
    }

    private static String read(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8);
            return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
