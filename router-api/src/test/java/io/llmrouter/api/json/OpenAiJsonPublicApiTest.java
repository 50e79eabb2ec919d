package io.llmrouter.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.embedding.EmbeddingResponse;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The public codec is text in, text out: no Jackson or internal type reaches a caller. */
class OpenAiJsonPublicApiTest {

    @Test
    void noPublicMethodTakesOrReturnsAJacksonOrInternalType() {
        List<Method> methods = Arrays.stream(OpenAiJson.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers())).toList();
        assertThat(methods).isNotEmpty().allSatisfy(m -> assertThat(
                Stream.concat(Stream.of(m.getReturnType()), Arrays.stream(m.getParameterTypes()))
                        .map(Class::getName))
                .as(m.toString())
                .noneMatch(name -> name.startsWith("com.fasterxml.") || name.contains(".internal.")));
    }

    @Test
    void givenARequest_whenWrittenAndReadBack_thenItIsTheSame() {
        ChatRequest request = ChatRequest.builder("gpt-4o").addMessage(io.llmrouter.api.chat.Message.user("hello")).temperature(0.2).build();

        String json = OpenAiJson.requestToJson(request);

        assertThat(json).contains("\"model\":\"gpt-4o\"");
        assertThat(OpenAiJson.readRequest(json)).isEqualTo(request);
    }

    @Test
    void givenAResponseBody_whenReadAndWritten_thenTheTextAndUsageSurvive() {
        String body = """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";

        ChatResponse response = OpenAiJson.readResponse(body);

        assertThat(response.text()).isEqualTo("hi");
        assertThat(OpenAiJson.readResponse(OpenAiJson.responseToJson(response)).text()).isEqualTo("hi");
    }

    @Test
    void embeddingRequestIsWrittenAsTextWithBase64Encoding() {
        String json = OpenAiJson.embeddingRequestToJson(EmbeddingRequest.builder("text-embedding-3-small")
                .addInput("hello").build());

        assertThat(json).contains("\"input\":[\"hello\"]")
                .contains("\"encoding_format\":\"" + OpenAiJson.EMBEDDING_ENCODING_FORMAT + "\"");
        EmbeddingResponse read = OpenAiJson.readEmbeddingResponse("""
                {"object":"list","model":"text-embedding-3-small",
                 "data":[{"object":"embedding","index":0,"embedding":[0.5,0.25]}]}""");
        assertThat(read.data()).hasSize(1);
    }

    @Test
    void malformedTextFailsWithThePath() {
        assertThatThrownBy(() -> OpenAiJson.readResponse("[1]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("$");
        assertThatThrownBy(() -> OpenAiJson.readResponse("{\"model\":\"m\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("id: is missing");
    }
}
