package io.llmrouter.api.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageTest {

    @Test
    void rejectsToolMessageWithoutToolCallId() {
        assertThatThrownBy(() -> Message.builder(Role.TOOL).content("42").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("toolCallId");
    }

    @Test
    void rejectsMessagesWithoutContent() {
        for (Role role : List.of(Role.SYSTEM, Role.DEVELOPER, Role.USER)) {
            assertThatThrownBy(() -> Message.builder(role).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("content is required for a " + role.wireValue());
        }
        assertThatThrownBy(() -> Message.builder(Role.TOOL).toolCallId("c").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("content");
        assertThatThrownBy(() -> Message.builder(Role.ASSISTANT).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("content, toolCalls or a refusal");
        assertThatThrownBy(() -> Message.builder(Role.USER).contentParts(List.of()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("contentParts");
    }

    @Test
    void acceptsAssistantWithOnlyToolCallsOrOnlyRefusal() {
        assertThat(Message.assistantToolCalls(List.of(ToolCall.of("c1", "f", "{}"))).hasContent()).isFalse();
        assertThat(Message.builder(Role.ASSISTANT).refusal("no").build().refusal()).contains("no");
    }

    @Test
    void rejectsFieldsOnTheWrongRole() {
        assertThatThrownBy(() -> Message.builder(Role.USER).content("x").addToolCall(ToolCall.of("c", "f", "{}")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("toolCalls");
        assertThatThrownBy(() -> Message.builder(Role.USER).content("x").toolCallId("c").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("toolCallId");
        assertThatThrownBy(() -> Message.builder(Role.SYSTEM).content("x").refusal("r").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("refusal");
        assertThatThrownBy(() -> Message.builder(Role.SYSTEM).addContentPart(ImagePart.of("https://x/y.png")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("image parts");
        assertThatThrownBy(() -> Message.builder(Role.USER).name(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name");
    }

    @Test
    void givenStringContent_thenOneTextPartAndNotMultipart() {
        Message m = Message.user("hello");

        assertThat(m.text()).isEqualTo("hello");
        assertThat(m.contentParts()).containsExactly(TextPart.of("hello"));
        assertThat(m.isMultipart()).isFalse();
        assertThat(m.hasContent()).isTrue();
    }

    @Test
    void givenParts_thenTextConcatenatesTextPartsOnly() {
        Message m = Message.user(List.of(TextPart.of("a"), ImagePart.of("https://x/y.png"), TextPart.of("b")));

        assertThat(m.text()).isEqualTo("ab");
        assertThat(m.isMultipart()).isTrue();
        assertThat(m).isNotEqualTo(Message.user("ab"));
    }

    @Test
    void givenStringContentThenAddedPart_thenStringBecomesLeadingTextPart() {
        Message m = Message.builder(Role.USER).content("look").addContentPart(ImagePart.of("https://x/y.png")).build();

        assertThat(m.contentParts()).containsExactly(TextPart.of("look"), ImagePart.of("https://x/y.png"));
    }

    @Test
    void givenNoContent_thenEmptyTextAndNoParts() {
        Message m = Message.assistantToolCalls(List.of(ToolCall.of("c1", "f", "{}")));

        assertThat(m.text()).isEmpty();
        assertThat(m.contentParts()).isEmpty();
    }

    @Test
    void givenListsPassedIn_whenCallerMutatesThem_thenMessageUnchanged() {
        List<ContentPart> parts = new ArrayList<>(List.of(TextPart.of("a")));
        List<ToolCall> calls = new ArrayList<>(List.of(ToolCall.of("c1", "f", "{}")));
        Message user = Message.user(parts);
        Message assistant = Message.assistantToolCalls(calls);

        parts.add(TextPart.of("b"));
        calls.clear();

        assertThat(user.contentParts()).hasSize(1);
        assertThat(assistant.toolCalls()).hasSize(1);
    }

    @Test
    void rejectsExtraFieldsNamedLikeTypedFields() {
        assertThatThrownBy(() -> Message.builder(Role.ASSISTANT).putExtraField("tool_calls",
                JsonNodeFactory.instance.arrayNode())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'tool_calls'");
    }

    @Test
    void equalsAndHashCode() {
        Message a = Message.builder(Role.ASSISTANT).content("x").name("bot")
                .reasoningContent("r").putExtraField("annotations", JsonNodeFactory.instance.arrayNode()).build();
        Message b = a.toBuilder().build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toBuilder().content("y").build()).isNotEqualTo(a);
        assertThat(Message.tool("c1", "r")).isEqualTo(Message.tool("c1", "r")).isNotEqualTo(Message.tool("c2", "r"));
    }

    @Test
    void factoriesSetTheRole() {
        assertThat(Message.system("x").role()).isEqualTo(Role.SYSTEM);
        assertThat(Message.developer("x").role()).isEqualTo(Role.DEVELOPER);
        assertThat(Message.assistant("x").role()).isEqualTo(Role.ASSISTANT);
        assertThat(Message.tool("c", "x").toolCallId()).contains("c");
    }

    @Test
    void roleMapsWireValuesBothWays() {
        for (Role role : Role.values()) {
            assertThat(Role.fromWire(role.wireValue())).isEqualTo(role);
        }
        assertThatThrownBy(() -> Role.fromWire("function")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'function'");
    }

    @Test
    void reasoningContentIsATypedFieldNotAnExtraField() {
        Message m = Message.builder(Role.ASSISTANT).content("4").reasoningContent("2 + 2 = 4").build();

        assertThat(m.reasoningContent()).contains("2 + 2 = 4");
        assertThat(m.extraFields()).isEmpty();
        assertThat(m.toBuilder().build()).isEqualTo(m);
        assertThatThrownBy(() -> Message.builder(Role.ASSISTANT).putExtraField(Message.REASONING_CONTENT,
                JsonNodeFactory.instance.textNode("r"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Message.REASONING_CONTENT);
    }

    @Test
    void assistantMessageWithOnlyReasoningIsValid() {
        assertThat(Message.builder(Role.ASSISTANT).reasoningContent("thinking").build().reasoningContent())
                .contains("thinking");
    }
}
