package io.llmrouter.providers.openai;

import static io.llmrouter.providers.openai.TestSupport.json;
import static io.llmrouter.providers.openai.TestSupport.resource;
import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.tree;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.ImageDetail;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** OpenAI request features go out exactly, and OpenAI extras (options, logprobs) work. */
@ExtendWith(StartedServers.class)
class OpenAiRequestFeaturesTest {

    private static final String KEY = "sk-test-features-0123456789";

    private final MockWebServer server = new MockWebServer();

    private OpenAiProvider provider() {
        return OpenAiProvider.builder().defaultApiBase(server.url("/v1").toString()).build();
    }

    private static ProviderCall.Builder call(ChatRequest request) {
        return ProviderCall.builder(request).deploymentId("primary").modelGroup("gpt-4o")
                .providerRoute("openai/" + request.model()).apiKey(Secret.of(KEY)).timeout(Duration.ofSeconds(5));
    }

    @Test
    void givenEveryOpenAiFeature_whenComplete_thenBodyGoesOutExactly() throws Exception {
        // given
        server.enqueue(json(200, resource("openai", "response-text.json")));
        ChatRequest request = ChatRequest.builder("gpt-4o")
                .addMessage(Message.developer("Answer in JSON."))
                .addMessage(Message.user(List.of(TextPart.of("Compare these."),
                        ImagePart.of("https://example.com/a.png", ImageDetail.LOW),
                        ImagePart.of("data:image/png;base64,iVBORw0KGgo="))))
                .seed(1234L)
                .addTool(Tool.builder("get_weather").parameters(tree("""
                        {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""")).build())
                .addTool(Tool.builder("get_time").build())
                .toolChoice(ToolChoice.required())
                .parallelToolCalls(true)
                .responseFormat(ResponseFormat.jsonObject())
                .putExtraBody("logprobs", BooleanNode.TRUE)
                .putExtraBody("top_logprobs", IntNode.valueOf(2))
                .build();
        // when
        await(provider().completeAsync(call(request).build()));
        // then
        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
        assertThat(tree(sent.getBody().utf8())).isEqualTo(tree("""
                {"model":"gpt-4o",
                 "messages":[{"role":"developer","content":"Answer in JSON."},
                   {"role":"user","content":[{"type":"text","text":"Compare these."},
                     {"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}},
                     {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}],
                 "seed":1234,
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":
                     {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
                   {"type":"function","function":{"name":"get_time"}}],
                 "tool_choice":"required","parallel_tool_calls":true,
                 "response_format":{"type":"json_object"},
                 "logprobs":true,"top_logprobs":2}"""));
    }

    @Test
    void givenJsonSchemaFormat_whenComplete_thenSentAsOpenAiJsonSchema() throws Exception {
        server.enqueue(json(200, resource("openai", "response-text.json")));
        ChatRequest request = ChatRequest.builder("gpt-4o").addMessage(Message.user("hi"))
                .responseFormat(ResponseFormat.builder("answer").schema(tree("""
                        {"type":"object","properties":{"a":{"type":"string"}},"required":["a"],
                         "additionalProperties":false}""")).strict(true).build())
                .build();

        await(provider().completeAsync(call(request).build()));

        assertThat(tree(server.takeRequest(5, SECONDS).getBody().utf8()).get("response_format")).isEqualTo(tree("""
                {"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object","properties":
                 {"a":{"type":"string"}},"required":["a"],"additionalProperties":false},"strict":true}}"""));
    }

    @Test
    void givenOrganizationAndProjectOptions_whenComplete_thenSentAsOpenAiHeaders() throws Exception {
        server.enqueue(json(200, resource("openai", "response-text.json")));
        ProviderCall call = call(ChatRequest.ofUser("gpt-4o", "hi")).options(ProviderOptions.empty()
                .with(OpenAiProvider.ORGANIZATION, "org-abc").with(OpenAiProvider.PROJECT, "proj_xyz")).build();

        await(provider().completeAsync(call));

        RecordedRequest sent = server.takeRequest(5, SECONDS);
        assertThat(sent.getHeaders().get("OpenAI-Organization")).isEqualTo("org-abc");
        assertThat(sent.getHeaders().get("OpenAI-Project")).isEqualTo("proj_xyz");
        assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void givenOptionAndExplicitHeader_whenComplete_thenExplicitHeaderWins() throws Exception {
        server.enqueue(json(200, resource("openai", "response-text.json")));
        ProviderCall call = call(ChatRequest.ofUser("gpt-4o", "hi"))
                .options(ProviderOptions.empty().with(OpenAiProvider.ORGANIZATION, "org-option"))
                .addHeader("OpenAI-Organization", "org-header").build();

        await(provider().completeAsync(call));

        assertThat(server.takeRequest(5, SECONDS).getHeaders().values("OpenAI-Organization"))
                .containsExactly("org-header");
    }

    @Test
    void givenLogprobsAnswer_whenComplete_thenKeptInChoiceLogprobs() throws Exception {
        server.enqueue(json(200, resource("openai", "response-logprobs.json")));

        ChatResponse response = await(provider().completeAsync(call(ChatRequest.ofUser("gpt-4o", "hi")).build()));

        assertThat(response.choices().get(0).logprobs().orElseThrow().get("content").get(0).get("top_logprobs")
                .get(1).get("token").textValue()).isEqualTo("Hello");
    }
}
