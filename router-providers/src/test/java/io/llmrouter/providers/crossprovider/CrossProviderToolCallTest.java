package io.llmrouter.providers.crossprovider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.providers.bedrock.AwsCredentials;
import io.llmrouter.providers.bedrock.BedrockProvider;
import io.llmrouter.providers.testsupport.StartedServers;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same OpenAI-shaped request with a tool, sent through the router to OpenAI, Anthropic, Gemini
 * and Bedrock (each on a loopback server answering in its own wire format with a tool call), comes
 * back with one and the same structure: finish reason, one tool call with its name and arguments,
 * usage and a price.
 */
@ExtendWith(StartedServers.class)
class CrossProviderToolCallTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Each vendor's native answer: the model calls get_weather(city=Paris) with 50 in / 10 out tokens. */
    private static final Map<String, String> ANSWERS = Map.of(
            "openai", """
                    {"id":"chatcmpl-x1","object":"chat.completion","created":1764400000,"model":"gpt-4o-2024-08-06",
                     "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_x1",
                     "type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                     "finish_reason":"tool_calls"}],
                     "usage":{"prompt_tokens":50,"completion_tokens":10,"total_tokens":60}}""",
            "anthropic", """
                    {"id":"msg_x1","type":"message","role":"assistant","model":"claude-3-5-sonnet-20241022",
                     "content":[{"type":"tool_use","id":"toolu_x1","name":"get_weather","input":{"city":"Paris"}}],
                     "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":50,"output_tokens":10}}""",
            "gemini", """
                    {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather",
                     "args":{"city":"Paris"}}}]},"finishReason":"STOP","index":0}],
                     "usageMetadata":{"promptTokenCount":50,"candidatesTokenCount":10,"totalTokenCount":60},
                     "modelVersion":"gemini-2.0-flash","responseId":"resp-x1"}""",
            "bedrock", """
                    {"output":{"message":{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_x1",
                     "name":"get_weather","input":{"city":"Paris"}}}]}},"stopReason":"tool_use",
                     "usage":{"inputTokens":50,"outputTokens":10,"totalTokens":60},"metrics":{"latencyMs":120}}""");

    private static final Map<String, String> ROUTES = Map.of(
            "openai", "openai/gpt-4o",
            "anthropic", "anthropic/claude-3-5-sonnet-20241022",
            "gemini", "gemini/gemini-2.0-flash",
            "bedrock", "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0");

    private final MockWebServer server = new MockWebServer();

    private Deployment deployment(String vendor) {
        String base = switch (vendor) {
            case "openai" -> server.url("/v1").toString();
            case "gemini" -> server.url("/v1beta").toString();
            default -> server.url("/").toString();
        };
        Deployment.Builder b = Deployment.builder("weather", ROUTES.get(vendor)).id(vendor).apiBase(base);
        if (vendor.equals("bedrock")) {
            b.option(BedrockProvider.REGION, "us-east-1")
                    .option(BedrockProvider.CREDENTIALS, AwsCredentials.of("AKIDEXAMPLE", Secret.of("example-secret")));
        } else {
            b.apiKey(Secret.of("test-key-" + vendor));
        }
        return b.build();
    }

    private static ChatRequest weatherRequest() {
        JsonNode schema;
        try {
            schema = JSON.readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                    + "\"required\":[\"city\"]}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return ChatRequest.builder("weather")
                .addMessage(Message.system("You answer weather questions with the tool."))
                .addMessage(Message.user("What is the weather in Paris?"))
                .addTool(Tool.builder("get_weather").description("Current weather for a city").parameters(schema).build())
                .maxTokens(256)
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"openai", "anthropic", "gemini", "bedrock"})
    void givenTheSameToolRequest_whenAnyVendorCallsTheTool_thenTheResponseHasTheSameStructure(String vendor)
            throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(ANSWERS.get(vendor)).build());
        try (Router router = Router.builder().deployment(deployment(vendor)).build()) {

            ChatResponse response = router.completion(weatherRequest());

            // the same normalized structure, whoever answered
            assertThat(response.finishReason()).contains(FinishReason.TOOL_CALLS);
            assertThat(response.text()).isEmpty();
            List<ToolCall> calls = response.toolCalls();
            assertThat(calls).hasSize(1);
            assertThat(calls.get(0).id()).isNotBlank();
            assertThat(calls.get(0).name()).isEqualTo("get_weather");
            assertThat(JSON.readTree(calls.get(0).arguments())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
            assertThat(response.usage()).get().satisfies(u -> {
                assertThat(u.promptTokens()).isEqualTo(50);
                assertThat(u.completionTokens()).isEqualTo(10);
                assertThat(u.totalTokens()).isEqualTo(60);
            });
            assertThat(response.cost().isPriced()).as(response.cost().toString()).isTrue();
            assertThat(response.routing().orElseThrow().deploymentId()).isEqualTo(vendor);
            // and every vendor was told about the tool in its own format
            RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
            assertThat(sent.getBody().utf8()).contains("get_weather").contains("Current weather for a city");
        }
    }
}
