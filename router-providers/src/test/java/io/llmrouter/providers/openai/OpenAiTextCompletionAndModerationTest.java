package io.llmrouter.providers.openai;

import static io.llmrouter.providers.openai.TestSupport.json;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.environment;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.BooleanNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.completion.TextChoice;
import io.llmrouter.api.completion.TextCompletionRequest;
import io.llmrouter.api.completion.TextCompletionResponse;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.moderation.ModerationRequest;
import io.llmrouter.api.moderation.ModerationResponse;
import io.llmrouter.api.moderation.ModerationResult;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.EndpointCall;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The legacy Completions and the Moderations APIs of {@link OpenAiProvider}, bodies from OpenAI's API reference. */
@ExtendWith(StartedServers.class)
class OpenAiTextCompletionAndModerationTest {

    private static final String KEY = "sk-test-legacy-0123456789";

    static final String COMPLETION_ANSWER = """
            {"id":"cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7","object":"text_completion","created":1589478378,
             "model":"gpt-3.5-turbo-instruct","system_fingerprint":"fp_44709d6fcb",
             "choices":[{"text":"\\n\\nThis is indeed a test","index":0,"logprobs":null,"finish_reason":"length"}],
             "usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}""";

    static final String MODERATION_ANSWER = """
            {"id":"modr-0d9740456c391e43c445bf0f010940c7","model":"omni-moderation-latest",
             "results":[{"flagged":true,
               "categories":{"harassment":true,"harassment/threatening":true,"sexual":false},
               "category_scores":{"harassment":0.8189693396524255,"harassment/threatening":0.804985420696006,
                                  "sexual":2.561487728086595e-7},
               "category_applied_input_types":{"harassment":["text"],"harassment/threatening":["text"],
                                               "sexual":["text"]}}]}""";

    private final MockWebServer server = new MockWebServer();

    private OpenAiProvider openAi() {
        return OpenAiProvider.builder().defaultApiBase(server.url("/v1").toString())
                .environment(environment(Map.of())).build();
    }

    private static Endpoint endpoint(String route) {
        return Endpoint.builder().deploymentId("legacy-1").modelGroup("legacy").providerRoute(route)
                .timeout(Duration.ofSeconds(5)).apiKey(Secret.of(KEY)).build();
    }

    @Test
    void givenTextCompletion_whenSent_thenPostsExactBodyToCompletionsAndReadsChoicesAndUsage() throws Exception {
        // given
        server.enqueue(json(200, COMPLETION_ANSWER));
        TextCompletionRequest request = TextCompletionRequest.builder("gpt-3.5-turbo-instruct")
                .addPrompt("Say this is a test").maxTokens(7).temperature(0).stop(List.of("\n")).n(1).logprobs(2)
                .user("end-user-1").addTag("legacy").putExtraBody("echo", BooleanNode.TRUE).build();
        // when
        TextCompletionResponse response = await(openAi().textCompletionAsync(
                new EndpointCall<>(request, endpoint("openai/gpt-3.5-turbo-instruct"))));
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/completions");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"gpt-3.5-turbo-instruct","prompt":"Say this is a test","max_tokens":7,"temperature":0.0,
                 "stop":"\\n","n":1,"logprobs":2,"user":"end-user-1","echo":true}"""));
        assertThat(response).isEqualTo(TextCompletionResponse.builder().id("cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7")
                .model("gpt-3.5-turbo-instruct")
                .addChoice(new TextChoice(0, "\n\nThis is indeed a test", FinishReason.LENGTH, "length"))
                .usage(Usage.builder().promptTokens(5).completionTokens(7).totalTokens(12).build()).build());
        assertThat(response.text()).isEqualTo("\n\nThis is indeed a test");
    }

    @Test
    void givenSeveralPrompts_whenSent_thenPromptIsAnArray() throws Exception {
        server.enqueue(json(200, COMPLETION_ANSWER));

        await(openAi().textCompletionAsync(new EndpointCall<>(TextCompletionRequest.builder("gpt-3.5-turbo-instruct")
                .addPrompt("one").addPrompt("two").build(), endpoint("openai/gpt-3.5-turbo-instruct"))));

        assertThat(tree(server.takeRequest(5, SECONDS).getBody().utf8())).isEqualTo(tree("""
                {"model":"gpt-3.5-turbo-instruct","prompt":["one","two"]}"""));
    }

    @Test
    void givenHtmlPage_whenTextCompletion_thenInvalidProviderResponse() {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html><body>Bad gateway</body></html>").build());

        Throwable failure = failureOf(openAi().textCompletionAsync(new EndpointCall<>(
                TextCompletionRequest.of("gpt-3.5-turbo-instruct", "hi"), endpoint("openai/gpt-3.5-turbo-instruct"))));

        assertThat(failure).isInstanceOf(InvalidProviderResponseException.class);
        assertThat(failure.getMessage()).doesNotContain(KEY);
    }

    @Test
    void givenChoiceWithoutText_whenTextCompletion_thenInvalidProviderResponseNamingThePath() {
        server.enqueue(json(200, """
                {"id":"cmpl-1","model":"gpt-3.5-turbo-instruct","choices":[{"index":0,"finish_reason":"stop"}]}"""));

        Throwable failure = failureOf(openAi().textCompletionAsync(new EndpointCall<>(
                TextCompletionRequest.of("gpt-3.5-turbo-instruct", "hi"), endpoint("openai/gpt-3.5-turbo-instruct"))));

        assertThat(failure).isInstanceOf(InvalidProviderResponseException.class);
        assertThat(failure.getMessage()).contains("$.choices[0].text");
    }

    @Test
    void givenRejectedKey_whenModeration_thenAuthenticationExceptionWithoutTheKey() {
        server.enqueue(json(401, """
                {"error":{"message":"Incorrect API key provided: sk-test-***6789.","type":"invalid_request_error",
                 "param":null,"code":"invalid_api_key"}}"""));

        Throwable failure = failureOf(openAi().moderateAsync(new EndpointCall<>(
                ModerationRequest.of("omni-moderation-latest", "hi"), endpoint("openai/omni-moderation-latest"))));

        assertThat(failure).isInstanceOf(AuthenticationException.class);
        assertThat(failure.getMessage()).doesNotContain(KEY);
        assertThat(failure.toString()).doesNotContain(KEY);
    }

    @Test
    void givenModeration_whenSent_thenPostsExactBodyToModerationsAndReadsResults() throws Exception {
        // given
        server.enqueue(json(200, MODERATION_ANSWER));
        // when
        ModerationResponse response = await(openAi().moderateAsync(new EndpointCall<>(
                ModerationRequest.of("omni-moderation-latest", "I want to hurt them."),
                endpoint("openai/omni-moderation-latest"))));
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/moderations");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"omni-moderation-latest","input":"I want to hurt them."}"""));
        assertThat(response).isEqualTo(ModerationResponse.builder().id("modr-0d9740456c391e43c445bf0f010940c7")
                .model("omni-moderation-latest")
                .addResult(new ModerationResult(true,
                        Map.of("harassment", true, "harassment/threatening", true, "sexual", false),
                        Map.of("harassment", 0.8189693396524255, "harassment/threatening", 0.804985420696006,
                                "sexual", 2.561487728086595e-7)))
                .build());
        assertThat(response.isFlagged()).isTrue();
        assertThat(response.usage()).isEmpty();
    }

    @Test
    void givenSeveralInputs_whenModeration_thenInputIsAnArray() throws Exception {
        server.enqueue(json(200, MODERATION_ANSWER));

        await(openAi().moderateAsync(new EndpointCall<>(ModerationRequest.of("omni-moderation-latest", "a", "b"),
                endpoint("openai/omni-moderation-latest"))));

        assertThat(tree(server.takeRequest(5, SECONDS).getBody().utf8())).isEqualTo(tree("""
                {"model":"omni-moderation-latest","input":["a","b"]}"""));
    }

    @Test
    void givenScoreThatIsNotANumber_whenModeration_thenInvalidProviderResponse() {
        server.enqueue(json(200, """
                {"id":"modr-1","model":"omni-moderation-latest","results":[{"flagged":false,
                 "categories":{"hate":false},"category_scores":{"hate":"low"}}]}"""));

        Throwable failure = failureOf(openAi().moderateAsync(new EndpointCall<>(
                ModerationRequest.of("omni-moderation-latest", "hi"), endpoint("openai/omni-moderation-latest"))));

        assertThat(failure).isInstanceOf(InvalidProviderResponseException.class);
        assertThat(failure.getMessage()).contains("$.results[0].category_scores.hate: expected a number");
    }
}
