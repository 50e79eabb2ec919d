package io.llmrouter.api.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatRequestTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static ChatRequest.Builder full() {
        return ChatRequest.builder("gpt-4o")
                .addMessage(Message.system("s"))
                .addMessage(Message.user("u"))
                .temperature(0.3)
                .topP(0.8)
                .maxTokens(10)
                .maxCompletionTokens(20)
                .stop(List.of("a", "b"))
                .n(2)
                .seed(7)
                .presencePenalty(1.5)
                .frequencyPenalty(-1.5)
                .user("u-1")
                .addTool(Tool.function("f", NODES.objectNode().put("type", "object")))
                .toolChoice(ToolChoice.required())
                .parallelToolCalls(true)
                .responseFormat(ResponseFormat.jsonObject())
                .stream(true)
                .streamOptions(StreamOptions.includeUsage(true))
                .putMetadata("k", "v")
                .addTag("eu")
                .putExtraBody("reasoning_effort", NODES.textNode("high"));
    }

    @Test
    void rejectsNegativeTemperature() {
        assertThatThrownBy(() -> ChatRequest.builder("gpt-4o").temperature(-0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("temperature")
                .hasMessageContaining("-0.5");
    }

    @Test
    void rejectsOutOfRangeOptionsNamingFieldAndValue() {
        ChatRequest.Builder b = ChatRequest.builder("m");

        assertThatThrownBy(() -> b.temperature(2.01)).hasMessageContaining("temperature").hasMessageContaining("2.01");
        assertThatThrownBy(() -> b.temperature(Double.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> b.topP(1.1)).hasMessageContaining("topP").hasMessageContaining("1.1");
        assertThatThrownBy(() -> b.maxTokens(0)).hasMessageContaining("maxTokens").hasMessageContaining("0");
        assertThatThrownBy(() -> b.maxCompletionTokens(-3)).hasMessageContaining("maxCompletionTokens");
        assertThatThrownBy(() -> b.n(0)).hasMessageContaining("n must be at least 1");
        assertThatThrownBy(() -> b.presencePenalty(-2.5)).hasMessageContaining("presencePenalty");
        assertThatThrownBy(() -> b.frequencyPenalty(2.5)).hasMessageContaining("frequencyPenalty");
    }

    @Test
    void acceptsRangeBounds() {
        ChatRequest r = ChatRequest.builder("m").temperature(0).temperature(2).topP(0).topP(1)
                .presencePenalty(-2).frequencyPenalty(2).build();

        assertThat(r.temperature()).hasValue(2.0);
        assertThat(r.topP()).hasValue(1.0);
    }

    @Test
    void rejectsBlankOrNullModel() {
        assertThatThrownBy(() -> ChatRequest.builder("  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model");
        assertThatThrownBy(() -> ChatRequest.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("model");
        assertThatThrownBy(() -> ChatRequest.builder("m").model("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsEmptyStopSequenceButKeepsWhitespaceOnes() {
        assertThatThrownBy(() -> ChatRequest.builder("m").stop(List.of("x", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stop[1]");

        ChatRequest r = ChatRequest.builder("m").stop(List.of("\n", "a", "b", "c", "d")).build();

        assertThat(r.stop()).hasSize(5);
        assertThat(r.isStopString()).isFalse();
        assertThat(ChatRequest.builder("m").stop("\n").build().isStopString()).isTrue();
    }

    @Test
    void rejectsExtraBodyKeysThatCollideWithTypedFields() {
        assertThatThrownBy(() -> ChatRequest.builder("m").putExtraBody("temperature", NODES.numberNode(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'temperature'");
        assertThatThrownBy(() -> ChatRequest.builder("m").extraBody(Map.of("tools", NODES.arrayNode())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'tools'");
    }

    @Test
    void rejectsBlankTagsAndNullMetadata() {
        assertThatThrownBy(() -> ChatRequest.builder("m").addTag(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tag");
        Map<String, String> withNull = new HashMap<>();
        withNull.put("k", null);
        assertThatThrownBy(() -> ChatRequest.builder("m").metadata(withNull)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("metadata[k]");
    }

    @Test
    void allowsEmptyMessages() {
        assertThat(ChatRequest.builder("m").build().messages()).isEmpty();
    }

    @Test
    void givenUnsetOptions_whenRead_thenEmpty() {
        ChatRequest r = ChatRequest.ofUser("gpt-4o", "hi");

        assertThat(r.messages()).containsExactly(Message.user("hi"));
        assertThat(r.temperature()).isEmpty();
        assertThat(r.maxTokens()).isEmpty();
        assertThat(r.seed()).isEmpty();
        assertThat(r.user()).isEmpty();
        assertThat(r.toolChoice()).isEmpty();
        assertThat(r.parallelToolCalls()).isEmpty();
        assertThat(r.stream()).isFalse();
        assertThat(r.stop()).isEmpty();
        assertThat(r.tools()).isEmpty();
        assertThat(r.metadata()).isEmpty();
        assertThat(r.tags()).isEmpty();
        assertThat(r.extraBody()).isEmpty();
    }

    @Test
    void givenListsPassedIn_whenCallerMutatesThem_thenRequestUnchanged() {
        // given
        List<Message> messages = new ArrayList<>(List.of(Message.user("a")));
        List<String> stop = new ArrayList<>(List.of("x"));
        List<String> tags = new ArrayList<>(List.of("eu"));
        Map<String, String> metadata = new HashMap<>(Map.of("k", "v"));
        ObjectNode extra = NODES.objectNode().put("depth", 1);
        ChatRequest r = ChatRequest.builder("m").messages(messages).stop(stop).tags(tags).metadata(metadata)
                .putExtraBody("thinking", extra).build();
        // when
        messages.add(Message.user("b"));
        stop.clear();
        tags.add("us");
        metadata.put("k2", "v2");
        extra.put("depth", 2);
        ((ObjectNode) r.extraBody().get("thinking")).put("depth", 3);
        // then
        assertThat(r.messages()).hasSize(1);
        assertThat(r.stop()).containsExactly("x");
        assertThat(r.tags()).containsExactly("eu");
        assertThat(r.metadata()).containsOnlyKeys("k");
        assertThat(r.extraBody().get("thinking").get("depth").intValue()).isEqualTo(1);
        assertThatThrownBy(() -> r.messages().add(Message.user("c"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.extraBody().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void givenBuilderReusedAfterBuild_thenBuiltRequestUnchanged() {
        ChatRequest.Builder b = ChatRequest.builder("m").addMessage(Message.user("a"));
        ChatRequest first = b.build();

        b.addMessage(Message.user("b")).addTag("x");

        assertThat(first.messages()).hasSize(1);
        assertThat(first.tags()).isEmpty();
    }

    @Test
    void equalsAndHashCodeCoverEveryField() {
        ChatRequest a = full().build();
        ChatRequest b = full().build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toBuilder().build()).isEqualTo(a);
        assertThat(a.toBuilder().temperature(0.4).build()).isNotEqualTo(a);
        assertThat(a.toBuilder().addTag("us").build()).isNotEqualTo(a);
        assertThat(a.toBuilder().stop("a").build()).isNotEqualTo(a.toBuilder().stop(List.of("a")).build());
        assertThat(a.toBuilder().putExtraBody("reasoning_effort", NODES.textNode("low")).build()).isNotEqualTo(a);
        assertThat(a.toBuilder().model("other").build().model()).isEqualTo("other");
    }

    @Test
    void toStringShowsOptionsButNotMessageText() {
        String s = full().build().toString();

        assertThat(s).contains("model=gpt-4o", "messages=2", "temperature=0.3", "tags=[eu]");
    }
}
