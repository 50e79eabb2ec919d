package io.llmrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.chat.StreamOptions;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.api.embedding.EmbeddingRequest;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CacheKeysTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Tool weather(String schema) throws Exception {
        return Tool.function("weather", JSON.readTree(schema));
    }

    @Test
    void givenSameRequestBuiltTwoWays_thenSameKey() throws Exception {
        ChatRequest terse = ChatRequest.builder("gpt-4o").addMessage(Message.system("be brief"))
                .addMessage(Message.user("weather in Paris?"))
                .addTool(weather("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"))
                .stop("END").seed(7).temperature(0.2).build();
        ChatRequest spelledOut = ChatRequest.builder("gpt-4o").seed(7L).temperature(0.20).n(1).topP(1.0)
                .presencePenalty(0).frequencyPenalty(0.0).parallelToolCalls(true).toolChoice(ToolChoice.auto())
                .stop(java.util.List.of("END")).stream(true).streamOptions(StreamOptions.includeUsage(true))
                .user("someone").putMetadata("trace", "abc").addTag("team-a")
                .addTool(weather("{\"properties\":{\"city\":{\"type\":\"string\"}},\"type\":\"object\"}"))
                .addMessage(Message.system("be brief")).addMessage(Message.user("weather in Paris?")).build();

        assertThat(CacheKeys.chat("gpt-4o", spelledOut, null)).isEqualTo(CacheKeys.chat("gpt-4o", terse, null));
    }

    @Test
    void everyAnswerChangingParameterChangesTheKey() throws Exception {
        ChatRequest base = ChatRequest.ofUser("gpt-4o", "hi");
        String key = CacheKeys.chat("gpt-4o", base, null);

        assertThat(key).matches("chat:[0-9a-f]{64}");
        for (ChatRequest changed : new ChatRequest[] {
            ChatRequest.ofUser("gpt-4o", "hi!"),
            base.toBuilder().temperature(0.3).build(),
            base.toBuilder().maxTokens(10).build(),
            base.toBuilder().maxCompletionTokens(10).build(),
            base.toBuilder().seed(1).build(),
            base.toBuilder().stop("x").build(),
            base.toBuilder().n(2).build(),
            base.toBuilder().topP(0.5).build(),
            base.toBuilder().responseFormat(ResponseFormat.jsonObject()).build(),
            base.toBuilder().addTool(weather("{\"type\":\"object\"}")).build(),
            base.toBuilder().toolChoice(ToolChoice.required()).build(),
            base.toBuilder().putExtraBody("reasoning_effort", JSON.getNodeFactory().textNode("high")).build()}) {
            assertThat(CacheKeys.chat("gpt-4o", changed, null)).as(changed.toString()).isNotEqualTo(key);
        }
        assertThat(CacheKeys.chat("gpt-4o-mini", base, null)).isNotEqualTo(key);
        assertThat(CacheKeys.chat("gpt-4o", base, "tenant-a")).startsWith("tenant-a:chat:").isNotEqualTo(key);
    }

    @Test
    void scopeIgnoresMessagesButNotParameters() {
        ChatRequest a = ChatRequest.ofUser("gpt-4o", "one");
        ChatRequest b = ChatRequest.ofUser("gpt-4o", "two");

        assertThat(CacheKeys.scope("gpt-4o", a, null)).isEqualTo(CacheKeys.scope("gpt-4o", b, null))
                .isNotEqualTo(CacheKeys.scope("gpt-4o", a.toBuilder().temperature(0).build(), null));
    }

    @Test
    void embeddingKeyIsPerInputAndIgnoresTheUser() {
        EmbeddingRequest one = EmbeddingRequest.builder("embed").addInput("a").addInput("b").user("x").build();
        EmbeddingRequest two = EmbeddingRequest.builder("embed").addInput("b").build();

        assertThat(CacheKeys.embedding("embed", one, "b", null)).isEqualTo(CacheKeys.embedding("embed", two, "b", null))
                .isNotEqualTo(CacheKeys.embedding("embed", one, "a", null))
                .isNotEqualTo(CacheKeys.embedding("embed", two.toBuilder().dimensions(4).build(), "b", null));
    }

    @Test
    void caffeineBackendIsBoundedAndExpiresOnTheRouterClock() {
        io.llmrouter.testing.VirtualTime time = io.llmrouter.testing.VirtualTime.create();
        CaffeineResponseCache cache = new CaffeineResponseCache(3, 0, time.clock());
        for (int i = 0; i < 10; i++) {
            cache.put("k" + i, new byte[] {(byte) i}, Duration.ofMinutes(1));
        }
        cache.cleanUp();
        assertThat(cache.size()).isEqualTo(3);

        cache.put("short", new byte[] {1}, Duration.ofSeconds(5));
        assertThat(cache.get("short").join()).isPresent();
        time.advance(Duration.ofSeconds(6));
        assertThat(cache.get("short").join()).isEqualTo(Optional.empty());

        CaffeineResponseCache byWeight = new CaffeineResponseCache(1_000, 1_000, time.clock());
        for (int i = 0; i < 10; i++) {
            byWeight.put("k" + i, new byte[400], Duration.ofMinutes(1));
        }
        byWeight.cleanUp();
        assertThat(byWeight.size()).isLessThanOrEqualTo(2);
    }

    @Test
    void semanticCandidatesAreBoundedNewestFirst() {
        CaffeineResponseCache cache = new CaffeineResponseCache(10, 0, java.time.Clock.systemUTC());
        for (int i = 0; i < 5; i++) {
            cache.addCandidate("s", new byte[] {(byte) i}, 3, Duration.ofMinutes(1));
        }

        assertThat(cache.candidates("s").join()).extracting(b -> (int) b[0]).containsExactly(4, 3, 2);
        assertThat(cache.candidates("other").join()).isEmpty();
    }
}
