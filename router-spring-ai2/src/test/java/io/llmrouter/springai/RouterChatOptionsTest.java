package io.llmrouter.springai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.support.ToolCallbacks;
import org.springframework.ai.tool.annotation.Tool;

/** Spring AI 2.0's immutable options contract: builders, {@code mutate()}, {@code combineWith}. */
class RouterChatOptionsTest {

    static final class Echo {
        @Tool(description = "echoes")
        String echo(String text) {
            return text;
        }
    }

    @Test
    void mutateBuildsAChangedCopyAndLeavesTheOriginal() {
        RouterChatOptions original = RouterChatOptions.builder().model("chat").temperature(0.2).seed(7L).user("alice")
                .outputSchema("{\"type\":\"object\"}").toolContext(Map.of("tenant", "t1")).build();

        RouterChatOptions changed = original.mutate().temperature(0.9).build();

        assertThat(original.getTemperature()).isEqualTo(0.2);
        assertThat(changed.getTemperature()).isEqualTo(0.9);
        assertThat(changed).isEqualTo(original.mutate().temperature(0.9).build()).isNotEqualTo(original);
        assertThat(changed.getSeed()).isEqualTo(7L);
        assertThat(changed.getUser()).isEqualTo("alice");
        assertThat(changed.getOutputSchema()).isEqualTo("{\"type\":\"object\"}");
        assertThat(changed.getToolContext()).containsEntry("tenant", "t1");
    }

    @Test
    void combineWithLaysTheOthersSetValuesOverAndMergesTools() {
        RouterChatOptions.Builder defaults = RouterChatOptions.builder().model("chat").temperature(0.2).maxTokens(50)
                .user("alice");
        RouterChatOptions.Builder request = RouterChatOptions.builder().temperature(0.7)
                .toolCallbacks(List.of(ToolCallbacks.from(new Echo()))).seed(3L);

        RouterChatOptions combined = defaults.combineWith(request).build();

        assertThat(combined.getModel()).isEqualTo("chat");
        assertThat(combined.getTemperature()).isEqualTo(0.7);
        assertThat(combined.getMaxTokens()).isEqualTo(50);
        assertThat(combined.getUser()).isEqualTo("alice");
        assertThat(combined.getSeed()).isEqualTo(3L);
        assertThat(combined.getToolCallbacks()).extracting(t -> t.getToolDefinition().name()).containsExactly("echo");
    }

    @Test
    void fromTakesThePortableAndToolValuesOfAnyOptions() {
        ToolCallingChatOptions given = ToolCallingChatOptions.builder().model("claude").topP(0.5)
                .toolCallbacks(List.of(ToolCallbacks.from(new Echo()))).build();

        RouterChatOptions options = RouterChatOptions.from(given);

        assertThat(options.getModel()).isEqualTo("claude");
        assertThat(options.getTopP()).isEqualTo(0.5);
        assertThat(options.getToolCallbacks()).hasSize(1);
        assertThat(RouterChatOptions.from((ChatOptions) options)).isSameAs(options);
    }

    @Test
    void builtOptionsAreImmutable() {
        RouterChatOptions options = RouterChatOptions.builder().stopSequences(List.of("END")).build();

        assertThat(options.getStopSequences()).isUnmodifiable();
        assertThat(options.getToolCallbacks()).isUnmodifiable();
        assertThat(options.getToolContext()).isUnmodifiable();
    }
}
