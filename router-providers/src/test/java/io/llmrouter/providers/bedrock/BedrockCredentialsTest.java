package io.llmrouter.providers.bedrock;

import static io.llmrouter.providers.bedrock.BedrockTestSupport.ACCESS_KEY_ID;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.CLOCK;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SECRET_ACCESS_KEY;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SESSION_TOKEN;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SONNET;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.SONNET_PATH;
import static io.llmrouter.providers.bedrock.BedrockTestSupport.json;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Region and credential resolution, Bedrock API keys, and secrets kept out of messages. */
@ExtendWith(StartedServers.class)
class BedrockCredentialsTest {

    private static final String API_KEY = "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlLWtleS0wMTIzNDU2Nzg5";
    private static final String ENV_BEARER = "ABSKZW52LWJlYXJlci10b2tlbi1leGFtcGxlLTAxMjM0NTY3ODk=";
    private static final String ANSWER = """
            {"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},"stopReason":"end_turn",
             "usage":{"inputTokens":3,"outputTokens":1,"totalTokens":4},"metrics":{"latencyMs":100}}""";

    private final MockWebServer server = new MockWebServer();

    private static BedrockProvider provider(Map<String, String> env) {
        return BedrockProvider.builder().environment(ProviderTestKit.environment(env)).clock(CLOCK).build();
    }

    private ProviderCall.Builder call(ProviderOptions options) {
        return ProviderCall.builder(ChatRequest.ofUser(SONNET, "hello")).deploymentId("claude-primary")
                .modelGroup("claude").providerRoute("bedrock/" + SONNET).apiBase(server.url("/").toString())
                .options(options).timeout(Duration.ofSeconds(5));
    }

    private static ProviderOptions region() {
        return ProviderOptions.empty().with(BedrockProvider.REGION, "us-east-1");
    }

    private RecordedRequest completeAndTake(BedrockProvider provider, ProviderCall call) throws Exception {
        server.enqueue(json(200, ANSWER));
        await(provider.completeAsync(call));
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent).isNotNull();
        return sent;
    }

    // ------------------------------------------------------------------------------------ region

    @Test
    void givenNoRegionAnywhere_whenComplete_thenBadRequestNamingTheOptionAndVariablesBeforeAnyCall() {
        // when
        Throwable failure = failureOf(provider(Map.of()).completeAsync(call(ProviderOptions.empty()
                .with(BedrockProvider.CREDENTIALS, BedrockTestSupport.credentials())).build()));
        // then
        assertThat(failure).isExactlyInstanceOf(BadRequestException.class)
                .hasMessageContaining("bedrock.region").hasMessageContaining("AWS_REGION")
                .hasMessageContaining("AWS_DEFAULT_REGION");
        assertThat(((LlmRouterException) failure).deploymentId()).contains("claude-primary");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenRegionOnlyInAwsDefaultRegion_whenComplete_thenSignsForIt() throws Exception {
        // given
        BedrockProvider provider = provider(Map.of("AWS_DEFAULT_REGION", "ap-northeast-1",
                "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY));
        // when
        RecordedRequest sent = completeAndTake(provider, call(ProviderOptions.empty()).build());
        // then
        assertThat(sent.getHeaders().get("Authorization")).contains("/20150830/ap-northeast-1/bedrock/aws4_request");
    }

    @Test
    void givenAwsRegionAndAwsDefaultRegion_whenComplete_thenAwsRegionWinsAndTheOptionBeatsBoth() throws Exception {
        // given
        BedrockProvider provider = provider(Map.of("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "us-east-2",
                "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY));
        // when
        RecordedRequest fromEnv = completeAndTake(provider, call(ProviderOptions.empty()).build());
        RecordedRequest fromOption = completeAndTake(provider, call(ProviderOptions.empty()
                .with(BedrockProvider.REGION, "ca-central-1")).build());
        // then
        assertThat(fromEnv.getHeaders().get("Authorization")).contains("/eu-west-1/bedrock/");
        assertThat(fromOption.getHeaders().get("Authorization")).contains("/ca-central-1/bedrock/");
    }

    @Test
    void givenRegionWithUrlCharacters_whenComplete_thenBadRequestBeforeAnyCall() {
        // when
        Throwable failure = failureOf(provider(Map.of()).completeAsync(call(ProviderOptions.empty()
                .with(BedrockProvider.REGION, "us-east-1.evil.example/x")
                .with(BedrockProvider.CREDENTIALS, BedrockTestSupport.credentials())).build()));
        // then
        assertThat(failure).isExactlyInstanceOf(BadRequestException.class).hasMessageContaining("invalid AWS region");
        assertThat(server.getRequestCount()).isZero();
    }

    // ------------------------------------------------------------------------------- credentials

    @Test
    void givenNoCredentialsAnywhere_whenComplete_thenAuthenticationNamingEverySourceBeforeAnyCall() {
        // when
        Throwable failure = failureOf(provider(Map.of()).completeAsync(call(region()).build()));
        // then
        assertThat(failure).isExactlyInstanceOf(AuthenticationException.class)
                .hasMessageContaining("apiKey").hasMessageContaining("bedrock.credentials")
                .hasMessageContaining("AWS_BEARER_TOKEN_BEDROCK").hasMessageContaining("AWS_ACCESS_KEY_ID")
                .hasMessageContaining("AWS_SECRET_ACCESS_KEY");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenAccessKeyIdWithoutSecretInEnvironment_whenComplete_thenAuthenticationSayingWhichIsMissing() {
        // when
        Throwable failure = failureOf(provider(Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID))
                .completeAsync(call(region()).build()));
        // then
        assertThat(failure).isExactlyInstanceOf(AuthenticationException.class)
                .hasMessageContaining("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenEnvironmentCredentialsWithSessionToken_whenComplete_thenSignsWithTheToken() throws Exception {
        // given
        BedrockProvider provider = provider(Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY, "AWS_SESSION_TOKEN", SESSION_TOKEN));
        // when
        RecordedRequest sent = completeAndTake(provider, call(region()).build());
        // then
        assertThat(sent.getUrl().encodedPath()).isEqualTo(SONNET_PATH);
        assertThat(sent.getHeaders().get("X-Amz-Security-Token")).isEqualTo(SESSION_TOKEN);
        BedrockProviderTest.assertSignedWithSigV4(sent, ACCESS_KEY_ID, SECRET_ACCESS_KEY, "us-east-1", true);
    }

    @Test
    void givenCredentialsSupplier_whenTwoCalls_thenAsksItForEachCall() throws Exception {
        // given
        AtomicInteger asked = new AtomicInteger();
        AwsCredentialsSupplier rotating = () -> AwsCredentials.of("ASIAROTATED" + asked.incrementAndGet(),
                Secret.of(SECRET_ACCESS_KEY), Secret.of(SESSION_TOKEN));
        ProviderCall call = call(region().with(BedrockProvider.CREDENTIALS, rotating)).build();
        BedrockProvider provider = provider(Map.of());
        // when
        RecordedRequest first = completeAndTake(provider, call);
        RecordedRequest second = completeAndTake(provider, call);
        // then
        assertThat(first.getHeaders().get("Authorization")).contains("Credential=ASIAROTATED1/");
        assertThat(second.getHeaders().get("Authorization")).contains("Credential=ASIAROTATED2/");
        BedrockProviderTest.assertSignedWithSigV4(second, "ASIAROTATED2", SECRET_ACCESS_KEY, "us-east-1", true);
    }

    @Test
    void givenFailingCredentialsSupplier_whenComplete_thenAuthenticationWithCauseButWithoutItsMessage() {
        // given
        AwsCredentialsSupplier failing = () -> {
            throw new IllegalStateException("vault answered with " + SECRET_ACCESS_KEY);
        };
        // when
        Throwable failure = failureOf(provider(Map.of()).completeAsync(call(region()
                .with(BedrockProvider.CREDENTIALS, failing)).build()));
        // then
        assertThat(failure).isExactlyInstanceOf(AuthenticationException.class)
                .hasMessageContaining("IllegalStateException").hasCauseInstanceOf(IllegalStateException.class);
        assertThat(failure.getMessage()).doesNotContain(SECRET_ACCESS_KEY);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void givenSecretKeyFromUnsetVariable_whenComplete_thenAuthenticationNamingTheVariable() {
        // given
        AwsCredentials credentials = AwsCredentials.of(ACCESS_KEY_ID,
                Secret.fromEnv("TEAM_BEDROCK_SECRET", ProviderTestKit.environment(Map.of())));
        // when
        Throwable failure = failureOf(provider(Map.of()).completeAsync(call(region()
                .with(BedrockProvider.CREDENTIALS, credentials)).build()));
        // then
        assertThat(failure).isExactlyInstanceOf(AuthenticationException.class)
                .hasMessageContaining("environment variable TEAM_BEDROCK_SECRET is not set");
        assertThat(server.getRequestCount()).isZero();
    }

    // ------------------------------------------------------------------------------ bearer keys

    @Test
    void givenDeploymentApiKey_whenComplete_thenSendsBearerAndNoSigV4Headers() throws Exception {
        // when
        RecordedRequest sent = completeAndTake(provider(Map.of()), call(region()).apiKey(Secret.of(API_KEY)).build());
        // then
        assertThat(sent.getUrl().encodedPath()).isEqualTo(SONNET_PATH);
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(sent.getHeaders().get("X-Amz-Date")).isNull();
        assertThat(sent.getHeaders().get("X-Amz-Security-Token")).isNull();
        assertThat(sent.getHeaders().get("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void givenBearerTokenInEnvironment_whenNoDeploymentCredentials_thenSendsItAsBearer() throws Exception {
        // given
        BedrockProvider provider = provider(Map.of("AWS_BEARER_TOKEN_BEDROCK", ENV_BEARER,
                "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY));
        // when
        RecordedRequest sent = completeAndTake(provider, call(region()).build());
        // then: the API key variable beats the access key variables
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + ENV_BEARER);
    }

    @Test
    void givenApiKeyAndCredentialsOption_whenComplete_thenTheApiKeyWins() throws Exception {
        // when
        RecordedRequest sent = completeAndTake(provider(Map.of()), call(region()
                .with(BedrockProvider.CREDENTIALS, BedrockTestSupport.credentials())).apiKey(Secret.of(API_KEY))
                .build());
        // then
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
    }

    @Test
    void givenCredentialsOptionAndBearerTokenInEnvironment_whenComplete_thenTheDeploymentsCredentialsWin()
            throws Exception {
        // when
        RecordedRequest sent = completeAndTake(provider(Map.of("AWS_BEARER_TOKEN_BEDROCK", ENV_BEARER)),
                call(region().with(BedrockProvider.CREDENTIALS, BedrockTestSupport.credentials())).build());
        // then
        assertThat(sent.getHeaders().get("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/");
    }

    @Test
    void givenProviderEchoingTheApiKey_whenError_thenMessageNeverContainsIt() {
        // given
        server.enqueue(new MockResponse.Builder().code(403)
                .addHeader("x-amzn-errortype", "AccessDeniedException:http://internal.amazon.com/coral/")
                .body("{\"message\":\"Key " + API_KEY + " is not allowed to invoke this model\"}").build());
        // when
        Throwable failure = failureOf(provider(Map.of()).completeAsync(call(region()).apiKey(Secret.of(API_KEY))
                .build()));
        // then
        assertThat(failure.getMessage()).doesNotContain(API_KEY).contains("is not allowed to invoke this model");
    }

    // --------------------------------------------------------------------------- value types

    @Test
    void awsCredentialsToStringShowsTheAccessKeyIdButNeverTheSecretOrToken() {
        AwsCredentials credentials = BedrockTestSupport.temporaryCredentials();
        assertThat(credentials.toString()).contains(ACCESS_KEY_ID).doesNotContain(SECRET_ACCESS_KEY)
                .doesNotContain(SESSION_TOKEN);
        assertThat(credentials.credentials()).isSameAs(credentials);
        assertThat(credentials.sessionToken()).isPresent();
        assertThat(BedrockTestSupport.credentials().sessionToken()).isEmpty();
        assertThat(credentials).isEqualTo(BedrockTestSupport.temporaryCredentials())
                .isNotEqualTo(BedrockTestSupport.credentials());
    }

    @Test
    void rejectsBlankAccessKeyId() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AwsCredentials.of(" ", Secret.of("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accessKeyId");
    }

    @Test
    void callToStringNeverShowsTheCredentials() {
        ProviderCall call = call(region().with(BedrockProvider.CREDENTIALS, BedrockTestSupport.temporaryCredentials()))
                .apiKey(Secret.of(API_KEY)).build();
        assertThat(call.toString()).doesNotContain(SECRET_ACCESS_KEY).doesNotContain(SESSION_TOKEN)
                .doesNotContain(API_KEY).contains("bedrock.credentials");
    }
}
