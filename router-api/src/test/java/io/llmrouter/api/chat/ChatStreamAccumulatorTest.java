package io.llmrouter.api.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

class ChatStreamAccumulatorTest {

    @Test
    void givenReasoningPiecesAndSignatureFields_whenAccumulated_thenMessageCarriesReasoningAndLastFieldValue() {
        // given
        ChatStreamAccumulator accumulator = new ChatStreamAccumulator();
        accumulator.add(ChatChunk.builder("msg_1", "m").role("assistant").reasoning("Let me ").build());
        accumulator.add(ChatChunk.builder("msg_1", "m").reasoning("think.").build());
        accumulator.add(ChatChunk.builder("msg_1", "m").putExtraField("thinking_blocks",
                JsonNodeFactory.instance.arrayNode().add("first")).build());
        accumulator.add(ChatChunk.builder("msg_1", "m").putExtraField("thinking_blocks",
                JsonNodeFactory.instance.arrayNode().add("first").add("second")).build());
        accumulator.add(ChatChunk.text("msg_1", "m", "Hi"));
        // when
        Message message = accumulator.toResponse().choices().get(0).message();
        // then
        assertThat(message.text()).isEqualTo("Hi");
        assertThat(message.reasoningContent()).contains("Let me think.");
        assertThat(message.extraFields().get("thinking_blocks"))
                .isEqualTo(JsonNodeFactory.instance.arrayNode().add("first").add("second"));
    }

    @Test
    void givenNoReasoning_whenAccumulated_thenNoReasoningContent() {
        ChatStreamAccumulator accumulator = new ChatStreamAccumulator();
        accumulator.add(ChatChunk.text("msg_1", "m", "Hi"));

        assertThat(accumulator.toResponse().choices().get(0).message().reasoningContent()).isEmpty();
    }
}
