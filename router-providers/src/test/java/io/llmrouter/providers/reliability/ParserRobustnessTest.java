package io.llmrouter.providers.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.json.OpenAiJson;
import io.llmrouter.testing.Fault;
import io.llmrouter.testing.FaultServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property-style robustness of the OpenAI and Anthropic response parsers, without a property-testing
 * dependency: a realistic 200 answer is truncated at every position, has random bytes flipped, and
 * has every field swapped for every other JSON type; each body is served by a {@link FaultServer}
 * and read by the real adapter behind the router. Every outcome must be a response (that
 * serializes) or a typed {@link LlmRouterException}: never a NullPointerException,
 * ClassCastException or other untyped failure, and never a hang (each call is bounded).
 */
class ParserRobustnessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 20_250_101L;
    private static final int FLIPS = 1_000;

    private static final String OPENAI = """
            {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,
             "model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant",
             "content":"Hello! How can I assist you today?","refusal":null,"annotations":[],
             "tool_calls":[{"id":"call_abc","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
             "logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":10,
             "total_tokens":29,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},
             "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,
             "rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_fc9f1d7035"}""";

    private static final String ANTHROPIC = """
            {"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"Hi! My name is Claude."},
                        {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}}],
             "stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":2095,"output_tokens":503,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}""";

    /** Truncations at every position, random byte flips, and every field swapped for every JSON type. */
    static List<String> mutations(String json, long seed) throws Exception {
        String compact = JSON.readTree(json).toString();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < compact.length(); i++) {
            out.add(compact.substring(0, i));
        }
        SplittableRandom random = new SplittableRandom(seed);
        String alphabet = "{}[]\":,0123456789-.eE abcxyz\\ntrufalsn\u00e9\u2603";
        for (int n = 0; n < FLIPS; n++) {
            char[] chars = compact.toCharArray();
            int flips = random.nextInt(1, 4);
            for (int f = 0; f < flips; f++) {
                chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            out.add(new String(chars));
        }
        JsonNode root = JSON.readTree(compact);
        List<JsonNode> swaps = List.of(JsonNodeFactory.instance.nullNode(), JsonNodeFactory.instance.numberNode(-1),
                JsonNodeFactory.instance.textNode("x"), JsonNodeFactory.instance.booleanNode(true),
                JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.objectNode(),
                JsonNodeFactory.instance.numberNode(1e308));
        List<String> paths = new ArrayList<>();
        collectPaths(root, "", paths);
        for (String path : paths) {
            for (JsonNode swap : swaps) {
                JsonNode copy = root.deepCopy();
                replace(copy, path, swap);
                out.add(copy.toString());
            }
            JsonNode copy = root.deepCopy();
            remove(copy, path);
            out.add(copy.toString());
        }
        return out;
    }

    private static void collectPaths(JsonNode node, String path, List<String> out) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                out.add(path + "/" + name);
                collectPaths(node.get(name), path + "/" + name, out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(path + "/" + i);
                collectPaths(node.get(i), path + "/" + i, out);
            }
        }
    }

    private static void replace(JsonNode root, String path, JsonNode value) {
        int slash = path.lastIndexOf('/');
        JsonNode parent = root.at(path.substring(0, slash));
        String last = path.substring(slash + 1);
        if (parent instanceof ObjectNode o) {
            o.set(last, value);
        } else if (parent instanceof ArrayNode a) {
            a.set(Integer.parseInt(last), value);
        }
    }

    private static void remove(JsonNode root, String path) {
        int slash = path.lastIndexOf('/');
        JsonNode parent = root.at(path.substring(0, slash));
        String last = path.substring(slash + 1);
        if (parent instanceof ObjectNode o) {
            o.remove(last);
        } else if (parent instanceof ArrayNode a) {
            a.remove(Integer.parseInt(last));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"openai", "anthropic"})
    void givenMutatedAnswers_whenRead_thenEachIsAResponseOrATypedException(String format) throws Exception {
        boolean openAi = format.equals("openai");
        List<String> bodies = mutations(openAi ? OPENAI : ANTHROPIC, SEED);
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> untyped = new ArrayList<>();
        PrintStream err = System.err;
        // TRACE logging would print every body twice; drop it for this run
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8) {
            @Override
            public void write(byte[] b, int off, int len) {
                // dropped
            }
        });
        try (FaultServer server = (openAi ? FaultServer.openAi() : FaultServer.anthropic()).start();
                Router router = Router.builder()
                        .deployment(Deployment.builder("g", openAi ? "openai/gpt-4o" : "anthropic/claude-sonnet-4-5")
                                .apiBase(server.url()).apiKey(Secret.of("sk-robust-0123456789")).build())
                        .retryPolicy(retry -> retry.numRetries(0)).timeouts(timeouts -> timeouts.callTimeout(Duration.ofSeconds(2))).cooldownPolicy(cooldown -> cooldown.allowedFails(Integer.MAX_VALUE)).build()) {
            for (String body : bodies) {
                server.replaceScript(Fault.raw(200, "application/json", body));
                Consumer<String> record = k -> outcomes.merge(k, 1, Integer::sum);
                try {
                    ChatResponse response = router.completionAsync(ChatRequest.ofUser("g", "hi"))
                            .get(5, TimeUnit.SECONDS);
                    OpenAiJson.responseToJson(response);
                    response.toString();
                    record.accept("response");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof LlmRouterException lre) {
                        record.accept(lre.getClass().getSimpleName());
                    } else {
                        untyped.add(e.getCause() + " for body: " + body);
                    }
                } catch (RuntimeException e) {
                    untyped.add(e + " (serializing the response) for body: " + body);
                }
            }
        } finally {
            System.setErr(err);
        }
        System.out.printf("parser robustness (%s): %d bodies -> %s%n", format, bodies.size(), outcomes);
        assertThat(untyped).as("untyped failures").isEmpty();
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(bodies.size());
        assertThat(outcomes).containsKeys("response", "InvalidProviderResponseException");
    }
}
