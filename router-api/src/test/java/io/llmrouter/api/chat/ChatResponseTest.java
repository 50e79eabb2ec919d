package io.llmrouter.api.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatResponseTest {

    private static final Choice HI = Choice.of(0, Message.assistant("hi"), FinishReason.STOP);

    private static ChatResponse.Builder minimal() {
        return ChatResponse.builder().id("chatcmpl-1").model("gpt-4o").addChoice(HI);
    }

    @Test
    void requiresIdModelAndAChoice() {
        assertThatThrownBy(() -> ChatResponse.builder().model("m").addChoice(HI).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> ChatResponse.builder().id("i").addChoice(HI).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("model");
        assertThatThrownBy(() -> ChatResponse.builder().id("i").model("m").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("choices");
        assertThatThrownBy(() -> ChatResponse.builder().created(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("created").hasMessageContaining("-1");
    }

    @Test
    void toBuilderChangesNeverReachTheOriginal() {
        ObjectNode filter = JsonNodeFactory.instance.objectNode().put("flagged", false);
        ChatResponse original = minimal().putExtraField("prompt_filter_results", filter).build();

        ChatResponse more = original.toBuilder()
                .addChoice(Choice.of(1, Message.assistant("hello"), FinishReason.STOP))
                .putExtraField("x_other", JsonNodeFactory.instance.textNode("v")).build();
        ChatResponse same = original.toBuilder().model("gpt-4o-2024-08-06").build();

        assertThat(original.choices()).containsExactly(HI);
        assertThat(original.extraFields()).containsOnlyKeys("prompt_filter_results");
        assertThat(more.choices()).hasSize(2);
        assertThat(more.extraFields()).containsOnlyKeys("prompt_filter_results", "x_other");
        assertThat(same.choices()).isEqualTo(original.choices());
        assertThat(same.extraFields()).isEqualTo(original.extraFields());
        assertThat(same.model()).isEqualTo("gpt-4o-2024-08-06");
    }

    @Test
    void givenNoRouter_thenCostIsUnpricedWithReason() {
        ChatResponse r = minimal().build();

        assertThat(r.cost().isPriced()).isFalse();
        assertThat(r.cost().unpricedReason()).contains("not priced: the response did not pass through a router");
        assertThat(r.routing()).isEmpty();
        assertThat(r.usage()).isEmpty();
        assertThat(r.object()).isEqualTo("chat.completion");
        assertThat(r.created()).isZero();
    }

    @Test
    void conveniencesReadTheFirstChoice() {
        ToolCall call = ToolCall.of("c1", "f", "{\"a\":1}");
        ChatResponse r = ChatResponse.builder().id("i").model("m")
                .addChoice(Choice.of(0, Message.assistantToolCalls(List.of(call)), FinishReason.TOOL_CALLS))
                .addChoice(Choice.of(1, Message.assistant("other"), FinishReason.STOP))
                .build();

        assertThat(r.text()).isEmpty();
        assertThat(r.finishReason()).contains(FinishReason.TOOL_CALLS);
        assertThat(r.toolCalls()).containsExactly(call);
        assertThat(minimal().build().text()).isEqualTo("hi");
    }

    @Test
    void givenChoicesListMutatedAfterBuild_thenResponseUnchanged() {
        List<Choice> choices = new ArrayList<>(List.of(HI));
        ChatResponse r = ChatResponse.builder().id("i").model("m").choices(choices).build();

        choices.add(Choice.of(1, Message.assistant("x"), FinishReason.STOP));

        assertThat(r.choices()).hasSize(1);
    }

    @Test
    void equalsAndHashCodeIncludeRouterFields() {
        RoutingInfo routing = RoutingInfo.of("gpt-4o", "gpt-4o", "primary", "openai/gpt-4o",
                List.of(Attempt.success("primary", "gpt-4o", "openai/gpt-4o", java.time.Instant.EPOCH, Duration.ofMillis(5))));
        ChatResponse a = minimal().usage(Usage.of(1, 1)).systemFingerprint("fp").serviceTier("default")
                .routing(routing).putExtraField("x_extra", JsonNodeFactory.instance.textNode("v")).build();

        assertThat(a.toBuilder().build()).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(a.toBuilder().cost(Cost.unpriced("other")).build()).isNotEqualTo(a);
        assertThat(a.toBuilder().created(5).build()).isNotEqualTo(a);
    }

    @Test
    void rejectsExtraFieldsNamedLikeTypedFields() {
        assertThatThrownBy(() -> minimal().putExtraField("usage", JsonNodeFactory.instance.objectNode()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'usage'");
    }

    @Test
    void choiceRequiresAssistantMessageAndFinishReason() {
        assertThatThrownBy(() -> Choice.builder().message(Message.user("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("assistant");
        assertThatThrownBy(() -> Choice.builder().message(Message.assistant("x")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("finishReason");
        assertThatThrownBy(() -> Choice.builder().finishReason(FinishReason.STOP).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("message");
        assertThatThrownBy(() -> Choice.builder().index(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void choiceRawFinishReasonDefaultsToWireValue() {
        assertThat(HI.rawFinishReason()).isEqualTo("stop");
        assertThat(Choice.builder().message(Message.assistant("x")).finishReason(FinishReason.STOP)
                .rawFinishReason("end_turn").build().rawFinishReason()).isEqualTo("end_turn");
    }

    @Test
    void choiceLogprobsAreCopiedInAndOut() {
        ObjectNode logprobs = JsonNodeFactory.instance.objectNode();
        logprobs.putArray("content");
        Choice c = HI.toBuilder().logprobs(logprobs).build();

        logprobs.put("mutated", true);
        ((ObjectNode) c.logprobs().orElseThrow()).put("mutated", true);

        assertThat(c.logprobs().orElseThrow().has("mutated")).isFalse();
        assertThat(HI.logprobs()).isEmpty();
    }
}
