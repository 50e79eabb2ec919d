package io.llmrouter.springai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.SimpleLoggerAdvisor;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.tool.annotation.Tool;

/** Spring AI through the router's real OpenAI adapter to a loopback server: the exact requests sent. */
class RouterChatModelOpenAiLoopbackTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private Router router;
    private ChatClient client;

    @BeforeEach
    void start() throws Exception {
        server.start();
        String base = server.url("/v1").toString();
        router = Router.builder()
                .deployment(Deployment.builder("gpt", "openai/gpt-4o-mini").id("loopback")
                        .apiBase(base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                        .apiKey(Secret.of("sk-loopback-0123456789")).build())
                .retryPolicy(r -> r.numRetries(0))
                .build();
        client = ChatClient.builder(RouterChatModel.builder(router, "gpt").build())
                .defaultAdvisors(new SimpleLoggerAdvisor()).build();
    }

    @AfterEach
    void stop() throws Exception {
        router.close();
        server.close();
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static MockResponse sse(String... events) {
        StringBuilder b = new StringBuilder();
        for (String e : events) {
            b.append("data: ").append(e).append("\n\n");
        }
        b.append("data: [DONE]\n\n");
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(b.toString()).build();
    }

    private JsonNode nextRequest() throws Exception {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        assertThat(r.getTarget()).isEqualTo("/v1/chat/completions");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer sk-loopback-0123456789");
        return JSON.readTree(r.getBody().utf8());
    }

    static final class Clock {
        final List<String> zones = new ArrayList<>();

        @Tool(description = "The current time in a time zone")
        String time(String zone) {
            zones.add(zone);
            return "12:00";
        }
    }

    @Test
    void toolCallingSendsOpenAiToolsThenTheToolResult() throws Exception {
        server.enqueue(json("""
                {"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,
                 "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                 "function":{"name":"time","arguments":"{\\"zone\\":\\"CET\\"}"}}]},"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":20,"completion_tokens":5,"total_tokens":25}}"""));
        server.enqueue(json("""
                {"id":"c2","object":"chat.completion","created":2,"model":"gpt-4o-mini","choices":[{"index":0,
                 "message":{"role":"assistant","content":"It is noon."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":30,"completion_tokens":4,"total_tokens":34}}"""));
        Clock clock = new Clock();

        ChatResponse response = client.prompt().system("You tell the time.").user("Time in CET?").tools(clock)
                .options(RouterChatOptions.builder().temperature(0.2).maxTokens(100))
                .call().chatResponse();

        assertThat(response.getResult().getOutput().getText()).isEqualTo("It is noon.");
        // Spring AI 2.0's tool calling advisor sums the usage of the loop's two calls (25 + 34)
        assertThat(response.getMetadata().getUsage().getTotalTokens()).isEqualTo(59);
        assertThat(clock.zones).containsExactly("CET");

        JsonNode first = nextRequest();
        assertThat(first.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(first.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(first.get("max_tokens").asInt()).isEqualTo(100);
        assertThat(first.get("messages")).isEqualTo(JSON.readTree("""
                [{"role":"system","content":"You tell the time."},{"role":"user","content":"Time in CET?"}]"""));
        assertThat(first.at("/tools/0/type").asText()).isEqualTo("function");
        assertThat(first.at("/tools/0/function/name").asText()).isEqualTo("time");
        assertThat(first.at("/tools/0/function/description").asText()).isEqualTo("The current time in a time zone");
        assertThat(first.at("/tools/0/function/parameters/properties/zone/type").asText()).isEqualTo("string");

        JsonNode second = nextRequest();
        JsonNode messages = second.get("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.get(2).get("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(2).at("/tool_calls/0/id").asText()).isEqualTo("call_1");
        assertThat(messages.get(2).at("/tool_calls/0/function/arguments").asText()).isEqualTo("{\"zone\":\"CET\"}");
        assertThat(messages.get(3)).isEqualTo(JSON.readTree("""
                {"role":"tool","tool_call_id":"call_1","content":"\\"12:00\\""}"""));
    }

    @Test
    void streamingWithAToolCallRunsTheToolThenStreamsTheAnswer() throws Exception {
        server.enqueue(sse(
                "{\"id\":\"s1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_9\",\"type\":\"function\",\"function\":{\"name\":\"time\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}",
                "{\"id\":\"s1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"zone\\\":\\\"UTC\\\"}\"}}]},\"finish_reason\":null}]}",
                "{\"id\":\"s1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"));
        server.enqueue(sse(
                "{\"id\":\"s2\",\"object\":\"chat.completion.chunk\",\"created\":2,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"It is \"},\"finish_reason\":null}]}",
                "{\"id\":\"s2\",\"object\":\"chat.completion.chunk\",\"created\":2,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"noon.\"},\"finish_reason\":\"stop\"}]}"));
        Clock clock = new Clock();

        List<String> pieces = client.prompt("Time in UTC?").tools(clock).stream().content().collectList().block();

        assertThat(String.join("", pieces)).isEqualTo("It is noon.");
        assertThat(clock.zones).containsExactly("UTC");
        JsonNode first = nextRequest();
        assertThat(first.get("stream").asBoolean()).isTrue();
        assertThat(first.at("/tools/0/function/name").asText()).isEqualTo("time");
        JsonNode second = nextRequest();
        assertThat(second.at("/messages/1/tool_calls/0/id").asText()).isEqualTo("call_9");
        assertThat(second.at("/messages/2/tool_call_id").asText()).isEqualTo("call_9");
    }

    record Answer(String value) {
    }

    @Test
    void structuredOutputThroughTheOpenAiAdapter() throws Exception {
        server.enqueue(json("""
                {"id":"c3","object":"chat.completion","created":3,"model":"gpt-4o-mini","choices":[{"index":0,
                 "message":{"role":"assistant","content":"{\\"value\\":\\"42\\"}"},"finish_reason":"stop"}]}"""));

        Answer answer = client.prompt("The answer?").call().entity(Answer.class);

        assertThat(answer).isEqualTo(new Answer("42"));
        assertThat(nextRequest().at("/messages/0/content").asText()).contains("\"value\"");
    }
}
