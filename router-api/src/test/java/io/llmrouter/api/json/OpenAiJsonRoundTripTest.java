package io.llmrouter.api.json;

import io.llmrouter.api.internal.OpenAiJsonCodec;
import static io.llmrouter.api.json.JsonTrees.assertSameTree;
import static io.llmrouter.api.json.JsonTrees.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Read then write gives the same JSON tree, for bodies modelled on OpenAI's API reference examples. */
class OpenAiJsonRoundTripTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "request-default.json",
        "request-tools.json",
        "request-image.json",
        "request-json-schema.json",
        "request-tool-result.json",
        "request-options.json",
        "request-stop-string.json"})
    void givenOpenAiRequest_whenReadAndWritten_thenSameJsonTree(String name) {
        // given
        JsonNode body = OpenAiJsonCodec.parse(resource(name));
        // when
        ChatRequest request = OpenAiJsonCodec.readRequest(body);
        JsonNode written = OpenAiJsonCodec.writeRequest(request);
        // then
        assertSameTree(written, body);
        assertThat(OpenAiJson.readRequest(OpenAiJson.requestToJson(request))).isEqualTo(request);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "response-default.json",
        "response-tool-call.json",
        "response-parallel-tool-calls.json",
        "response-refusal.json",
        "response-length.json",
        "response-logprobs-and-extras.json"})
    void givenOpenAiResponse_whenReadAndWritten_thenSameJsonTree(String name) {
        // given
        JsonNode body = OpenAiJsonCodec.parse(resource(name));
        // when
        ChatResponse response = OpenAiJsonCodec.readResponse(body);
        JsonNode written = OpenAiJsonCodec.writeResponse(response);
        // then
        assertSameTree(written, body);
        assertThat(OpenAiJson.readResponse(OpenAiJson.responseToJson(response))).isEqualTo(response);
    }

    @Test
    void treeComparisonDetectsOneDifferentLeafButNotIntegerVersusDecimalForm() {
        JsonNode a = OpenAiJsonCodec.parse("{\"a\":[1,{\"b\":\"x\"}],\"t\":1}");

        assertSameTree(a, OpenAiJsonCodec.parse("{\"t\":1.0,\"a\":[1,{\"b\":\"x\"}]}"));
        assertThatThrownBy(() -> assertSameTree(a, OpenAiJsonCodec.parse("{\"a\":[1,{\"b\":\"y\"}],\"t\":1}")))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertSameTree(a, OpenAiJsonCodec.parse("{\"a\":[1,{\"b\":\"x\"}],\"t\":1,\"u\":null}")))
                .isInstanceOf(AssertionError.class);
    }
}
