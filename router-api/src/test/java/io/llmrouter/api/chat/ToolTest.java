package io.llmrouter.api.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ToolTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void givenSchemaMutatedAfterwards_thenToolKeepsItsCopy() {
        ObjectNode schema = NODES.objectNode().put("type", "object");
        Tool tool = Tool.function("f", schema);

        schema.put("type", "array");
        ((ObjectNode) tool.parameters().orElseThrow()).put("type", "string");

        assertThat(tool.parameters().orElseThrow().get("type").textValue()).isEqualTo("object");
    }

    @Test
    void builderSetsOptionalFields() {
        Tool tool = Tool.builder("f").description("does f").strict(true).build();

        assertThat(tool.name()).isEqualTo("f");
        assertThat(tool.type()).isEqualTo("function");
        assertThat(tool.description()).contains("does f");
        assertThat(tool.strict()).contains(true);
        assertThat(tool.parameters()).isEmpty();
        assertThat(tool.toBuilder().build()).isEqualTo(tool).hasSameHashCodeAs(tool);
        assertThat(tool.toBuilder().strict(false).build()).isNotEqualTo(tool);
    }

    @Test
    void rejectsBlankNameAndNonObjectSchema() {
        assertThatThrownBy(() -> Tool.builder(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name");
        assertThatThrownBy(() -> Tool.function("f", NODES.arrayNode())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parametersSchema");
    }

    @Test
    void toolChoiceModes() {
        assertThat(ToolChoice.none().mode()).isEqualTo(ToolChoice.Mode.NONE);
        assertThat(ToolChoice.auto().mode()).isEqualTo(ToolChoice.Mode.AUTO);
        assertThat(ToolChoice.required().functionName()).isEmpty();
        assertThat(ToolChoice.function("f").functionName()).contains("f");
        assertThat(ToolChoice.function("f")).isEqualTo(ToolChoice.function("f")).isNotEqualTo(ToolChoice.function("g"));
        assertThatThrownBy(() -> ToolChoice.function("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toolCallKeepsArgumentsVerbatim() {
        ToolCall call = ToolCall.of("call_1", "f", "{ \"a\" : 1 ");

        assertThat(call.arguments()).isEqualTo("{ \"a\" : 1 ");
        assertThat(call.type()).isEqualTo("function");
        assertThatThrownBy(() -> ToolCall.of("", "f", "{}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id");
    }

    @Test
    void responseFormatKinds() {
        ObjectNode schema = NODES.objectNode().put("type", "object");
        ResponseFormat format = ResponseFormat.jsonSchema("answer", schema).toBuilder().strict(true)
                .description("d").build();

        assertThat(format.type()).isEqualTo(ResponseFormat.Type.JSON_SCHEMA);
        assertThat(format.name()).contains("answer");
        assertThat(format.strict()).contains(true);
        assertThat(format.description()).contains("d");
        assertThat(format.schema()).contains(schema);
        assertThat(ResponseFormat.text().type()).isEqualTo(ResponseFormat.Type.TEXT);
        assertThat(ResponseFormat.jsonObject().name()).isEmpty();
        assertThatThrownBy(() -> ResponseFormat.text().toBuilder()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void imagePartAndDetail() {
        assertThat(ImagePart.of("https://x/y.png").detail()).isEmpty();
        assertThat(ImagePart.of("https://x/y.png", ImageDetail.HIGH).detail()).contains(ImageDetail.HIGH);
        assertThat(ImageDetail.fromWire("low")).isEqualTo(ImageDetail.LOW);
        assertThatThrownBy(() -> ImagePart.of(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("url");
        assertThatThrownBy(() -> ImageDetail.fromWire("ultra")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'ultra'");
        assertThat(StreamOptions.includeUsage(true).includeUsage()).isTrue();
    }
}
