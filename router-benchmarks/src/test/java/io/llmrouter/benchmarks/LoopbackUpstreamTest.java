package io.llmrouter.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LoopbackUpstreamTest {

    private LoopbackUpstream upstream;
    private OkHttpClient client;

    @BeforeEach
    void setUp() throws IOException {
        upstream = new LoopbackUpstream();
        client = new OkHttpClient();
    }

    @AfterEach
    void tearDown() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
        upstream.close();
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("{\"model\":\"gpt-4o\",\"stream\":true}", true),
                Arguments.of("{\n  \"model\" : \"gpt-4o\",\n  \"stream\" : true\n}", true),
                Arguments.of("{\"stream\":\t\ntrue,\"model\":\"gpt-4o\"}", true),
                Arguments.of("{\"model\":\"gpt-4o\",\"stream\":false}", false),
                Arguments.of("{\"model\":\"gpt-4o\"}", false),
                Arguments.of("{\"model\":\"stream\",\"stream\" : false}", false));
    }

    /** LangChain4j indents its bodies: its stream requests must get the stream all the same. */
    @ParameterizedTest
    @MethodSource("bodies")
    void answersWithTheStreamExactlyWhenTheBodySetsStreamToTrue(String json, boolean stream) throws IOException {
        Request request = new Request.Builder().url(upstream.baseUrl() + "/chat/completions")
                .post(RequestBody.create(json.getBytes(StandardCharsets.UTF_8), Fixtures.JSON)).build();

        try (Response response = client.newCall(request).execute()) {
            byte[] body = response.body().bytes();

            assertThat(body).isEqualTo(stream ? LoopbackUpstream.STREAM : LoopbackUpstream.BODY);
        }
    }
}
