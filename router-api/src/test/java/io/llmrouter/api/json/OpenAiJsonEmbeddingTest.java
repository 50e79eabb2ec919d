package io.llmrouter.api.json;

import io.llmrouter.api.internal.OpenAiJsonCodec;
import static io.llmrouter.api.json.JsonTrees.assertSameTree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.Embedding;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OpenAiJsonEmbeddingTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** {@code [0.125, -2.5, 3.75]} as little-endian float32, base64 (openai-python's test vector). */
    private static final String BASE64_VECTOR = "AAAAPgAAIMAAAHBA";

    // ------------------------------------------------------------------------------- requests

    @Test
    void givenFullRequest_whenWritten_thenExactBodyWithBase64EncodingAndExtraBody() {
        // given
        EmbeddingRequest request = EmbeddingRequest.builder("text-embedding-3-small")
                .addInput("The food was delicious.")
                .addInput("The waiter was friendly.")
                .dimensions(256)
                .user("user-42")
                .addTag("team-search")
                .putExtraBody("input_type", NODES.textNode("query"))
                .build();
        // when
        JsonNode body = OpenAiJsonCodec.writeEmbeddingRequest(request);
        // then
        assertSameTree(body, OpenAiJsonCodec.parse("""
                {"model":"text-embedding-3-small",
                 "input":["The food was delicious.","The waiter was friendly."],
                 "dimensions":256,"encoding_format":"base64","user":"user-42","input_type":"query"}"""));
    }

    @Test
    void givenOneTextAndNoOptions_whenWritten_thenInputIsStillAnArray() {
        JsonNode body = OpenAiJsonCodec.writeEmbeddingRequest(EmbeddingRequest.of("text-embedding-3-small", "hello"));

        assertSameTree(body, OpenAiJsonCodec.parse("""
                {"model":"text-embedding-3-small","input":["hello"],"encoding_format":"base64"}"""));
    }

    @Test
    void rejectsNullRequest() {
        assertThatThrownBy(() -> OpenAiJsonCodec.writeEmbeddingRequest(null)).isInstanceOf(NullPointerException.class);
    }

    // ------------------------------------------------------------------------------ responses

    @Test
    void givenBase64Embedding_whenRead_thenDecodesLittleEndianFloat32() {
        // given
        String body = """
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":"%s"}],
                 "model":"text-embedding-3-small","usage":{"prompt_tokens":1,"total_tokens":1}}"""
                .formatted(BASE64_VECTOR);
        // when
        EmbeddingResponse response = OpenAiJson.readEmbeddingResponse(body);
        // then
        assertThat(response.model()).isEqualTo("text-embedding-3-small");
        assertThat(response.data()).containsExactly(Embedding.of(0, new float[] {0.125f, -2.5f, 3.75f}));
        assertThat(response.usage()).contains(Usage.builder().promptTokens(1).completionTokens(0).totalTokens(1)
                .build());
    }

    @Test
    void givenFloatArrays_whenRead_thenVectorsAsFloats() {
        String body = """
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.0023064255,-0.009327292,1]}],
                 "model":"text-embedding-ada-002","usage":{"prompt_tokens":8,"total_tokens":8}}""";

        EmbeddingResponse response = OpenAiJson.readEmbeddingResponse(body);

        assertThat(response.data().get(0).vector()).containsExactly(0.0023064255f, -0.009327292f, 1f);
        assertThat(response.usage()).contains(Usage.builder().promptTokens(8).totalTokens(8).build());
    }

    @Test
    void givenMixedEncodingsOutOfOrderAndMissingIndex_whenRead_thenDecodedPerItemAndSortedByIndex() {
        // given: a server that answers floats for one item and base64 for another, out of order
        String body = """
                {"data":[{"index":1,"embedding":"%s"},{"index":0,"embedding":[1.5,2.5]}],"model":"m"}"""
                .formatted(BASE64_VECTOR);
        // when
        EmbeddingResponse response = OpenAiJson.readEmbeddingResponse(body);
        // then
        assertThat(response.data()).containsExactly(Embedding.of(0, new float[] {1.5f, 2.5f}),
                Embedding.of(1, new float[] {0.125f, -2.5f, 3.75f}));
        assertThat(response.usage()).isEmpty();
    }

    @Test
    void givenItemsWithoutIndex_whenRead_thenIndexIsPosition() {
        EmbeddingResponse response = OpenAiJson.readEmbeddingResponse("""
                {"data":[{"embedding":[1]},{"embedding":[2]}],"model":"m","usage":null}""");

        assertThat(response.data()).extracting(Embedding::index).containsExactly(0, 1);
        assertThat(response.usage()).isEmpty();
    }

    @Test
    void givenEmptyBase64Embedding_whenRead_thenEmptyVector() {
        EmbeddingResponse response = OpenAiJson.readEmbeddingResponse("""
                {"data":[{"index":0,"embedding":""}],"model":"m"}""");

        assertThat(response.data().get(0).dimensions()).isZero();
    }

    static Stream<List<String>> malformedBodies() {
        return Stream.of(
                List.of("[]", "$: expected an object, was an array"),
                List.of("{\"data\":[]}", "model: is missing"),
                List.of("{\"model\":7,\"data\":[]}", "model: expected a string, was the number 7"),
                List.of("{\"model\":\"m\"}", "data: is missing"),
                List.of("{\"model\":\"m\",\"data\":{}}", "data: expected an array, was an object"),
                List.of("{\"model\":\"m\",\"data\":[42]}", "data[0]: expected an object, was the number 42"),
                List.of("{\"model\":\"m\",\"data\":[{\"index\":0}]}", "data[0].embedding: is missing"),
                List.of("{\"model\":\"m\",\"data\":[{\"index\":0,\"embedding\":{}}]}",
                        "data[0].embedding: expected a base64 string or an array of numbers, was an object"),
                List.of("{\"model\":\"m\",\"data\":[{\"index\":0,\"embedding\":[1,\"x\"]}]}",
                        "data[0].embedding[1]: expected a number, was a string"),
                List.of("{\"model\":\"m\",\"data\":[{\"index\":0,\"embedding\":\"not base64!\"}]}",
                        "data[0].embedding: not valid base64"),
                List.of("{\"model\":\"m\",\"data\":[{\"index\":0,\"embedding\":\"AAAAPgA=\"}]}",
                        "data[0].embedding: base64 text of 5 bytes is not a whole number of float32 values"),
                List.of("{\"model\":\"m\",\"data\":[{\"index\":\"0\",\"embedding\":[1]}]}",
                        "data[0].index: expected an integer, was a string"),
                List.of("{\"model\":\"m\",\"data\":[{\"index\":-1,\"embedding\":[1]}]}",
                        "data[0].index: must not be negative, was -1"),
                List.of("{\"model\":\"m\",\"data\":[{\"index\":0,\"embedding\":[1]},{\"index\":0,\"embedding\":[2]}]}",
                        "data: two embeddings have index 0"),
                List.of("{\"model\":\"m\",\"data\":[],\"usage\":{\"prompt_tokens\":-3}}",
                        "usage.prompt_tokens: must not be negative, was -3"),
                List.of("{\"model\":\"m\",\"data\":[]} trailing", "$: not valid JSON"));
    }

    @ParameterizedTest
    @MethodSource("malformedBodies")
    void givenMalformedBody_whenRead_thenIllegalArgumentNamingThePath(List<String> bodyAndMessage) {
        assertThatThrownBy(() -> OpenAiJson.readEmbeddingResponse(bodyAndMessage.get(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(bodyAndMessage.get(1));
    }

    @Test
    void rejectsNullJson() {
        assertThatThrownBy(() -> OpenAiJsonCodec.readEmbeddingResponse((JsonNode) null))
                .isInstanceOf(NullPointerException.class);
    }

    // ------------------------------------------------------------------ shared fixtures (optional)

    @TestFactory
    Stream<DynamicTest> givenSharedEmbeddingFixtures_whenRead_thenMatchExpected() {
        Path dir = fixtureDir().orElse(null);
        Assumptions.assumeTrue(dir != null, "shared OpenAI fixtures not found above " + System.getProperty("user.dir"));
        JsonNode expected = OpenAiJsonCodec.parse(read(dir.resolve("expected.json")));
        return Stream.of("embeddings-response.json", "embeddings-base64-response.json")
                .filter(name -> Files.isRegularFile(dir.resolve(name)) && expected.has(name))
                .map(name -> dynamicTest(name, () -> {
                    EmbeddingResponse response = OpenAiJson.readEmbeddingResponse(read(dir.resolve(name)));
                    JsonNode exp = expected.get(name);
                    JsonNode vectors = exp.get("vectors");
                    assertThat(response.data()).hasSize(vectors.size());
                    for (int i = 0; i < vectors.size(); i++) {
                        float[] want = new float[vectors.get(i).size()];
                        for (int j = 0; j < want.length; j++) {
                            want[j] = (float) vectors.get(i).get(j).doubleValue();
                        }
                        assertThat(response.data().get(i).vector()).containsExactly(want);
                    }
                    JsonNode u = exp.get("usage");
                    assertThat(response.usage()).contains(Usage.builder()
                            .promptTokens(u.get("prompt_tokens").intValue())
                            .completionTokens(u.get("completion_tokens").intValue())
                            .totalTokens(u.get("total_tokens").intValue()).build());
                }));
    }

    @Test
    void givenSharedBase64Fixture_whenRead_thenExactlyTheOpenAiPythonVector() {
        Path file = fixtureDir().map(d -> d.resolve("embeddings-base64-response.json")).orElse(null);
        Assumptions.assumeTrue(file != null && Files.isRegularFile(file), "shared base64 embeddings fixture absent");

        EmbeddingResponse response = OpenAiJson.readEmbeddingResponse(read(file));

        assertThat(response.data().get(0).vector()).containsExactly(0.125f, -2.5f, 3.75f);
    }

    private static Optional<Path> fixtureDir() {
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared/fixtures/providers/openai");
            if (Files.isRegularFile(candidate.resolve("expected.json"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
