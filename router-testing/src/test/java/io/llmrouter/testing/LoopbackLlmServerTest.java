package io.llmrouter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoopbackLlmServerTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private LoopbackLlmServer server;

    @BeforeEach
    void start() throws IOException {
        server = LoopbackLlmServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<byte[]> post(String url, HttpRequest.BodyPublisher body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(body).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aChatCallGetsTheFixedCompletion() throws Exception {
        HttpResponse<byte[]> r = post(server.baseUrl() + "/chat/completions",
                HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"messages\":[]}"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo(LoopbackLlmServer.chatCompletionBody());
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"object\":\"chat.completion\"",
                "\"total_tokens\":55");
        assertThat(server.answered()).isEqualTo(1);
    }

    @Test
    void aStreamedCallGetsTheWholeEventStreamWhateverTheSpacingAroundTheColon() throws Exception {
        for (String body : new String[] {"{\"model\":\"gpt-4o\",\"stream\":true}", "{\n  \"stream\" : true\n}"}) {
            HttpResponse<byte[]> r = post(server.baseUrl() + "/chat/completions",
                    HttpRequest.BodyPublishers.ofString(body));

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            assertThat(r.body()).isEqualTo(LoopbackLlmServer.streamBody());
            String text = new String(r.body(), StandardCharsets.UTF_8);
            assertThat(text).endsWith("data: [DONE]\n\n");
            assertThat(text.split("\"content\":\"word", -1)).hasSize(LoopbackLlmServer.STREAM_CHUNKS + 1);
        }
    }

    @Test
    void streamFalseIsAnOrdinaryCall() throws Exception {
        HttpResponse<byte[]> r = post(server.baseUrl() + "/chat/completions",
                HttpRequest.BodyPublishers.ofString("{\"stream\":false,\"note\":\"stream\"}"));

        assertThat(r.body()).isEqualTo(LoopbackLlmServer.chatCompletionBody());
    }

    @Test
    void callsUnderTheRateLimitedBaseGetOpenAisRateLimitError() throws Exception {
        HttpResponse<byte[]> r = post(server.rateLimitedBaseUrl() + "/chat/completions",
                HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\"}"));

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after")).isEmpty();
        assertThat(r.body()).isEqualTo(LoopbackLlmServer.rateLimitedBody());
    }

    @Test
    void chunkedRequestBodiesAreRead() throws Exception {
        // An input-stream publisher has no length: the client sends the body chunked.
        byte[] body = "{\"model\":\"gpt-4o\",\"stream\":true}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = post(server.baseUrl() + "/chat/completions",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertThat(r.body()).isEqualTo(LoopbackLlmServer.streamBody());
    }

    @Test
    void largeBodiesAreReadWholeAndKeepAliveConnectionsServeManyCalls() throws Exception {
        String padding = "x".repeat(200_000);
        for (int i = 0; i < 5; i++) {
            HttpResponse<byte[]> r = post(server.baseUrl() + "/chat/completions",
                    HttpRequest.BodyPublishers.ofString("{\"pad\":\"" + padding + "\",\"stream\":true}"));
            assertThat(r.body()).isEqualTo(LoopbackLlmServer.streamBody());
        }
        assertThat(server.answered()).isEqualTo(5);
    }

    @Test
    void streamedAnthropicAndGeminiCallsGetTheirVendorsStreams() throws Exception {
        HttpResponse<byte[]> anthropic = post(server.baseUrl() + "/messages",
                HttpRequest.BodyPublishers.ofString("{\"model\":\"claude\",\"stream\":true}"));
        HttpResponse<byte[]> gemini = post("http://127.0.0.1:" + server.port()
                + "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse",
                HttpRequest.BodyPublishers.ofString("{\"contents\":[]}"));

        assertThat(anthropic.body()).isEqualTo(LoopbackLlmServer.anthropicStreamBody());
        assertThat(new String(anthropic.body(), StandardCharsets.UTF_8))
                .startsWith("event: message_start\n").endsWith("data: {\"type\":\"message_stop\"}\n\n")
                .contains("\"text\":\"word49 \"");
        assertThat(gemini.body()).isEqualTo(LoopbackLlmServer.geminiStreamBody());
        assertThat(new String(gemini.body(), StandardCharsets.UTF_8)).contains("\"finishReason\":\"STOP\"");
    }

    @Test
    void theBodiesAreCopiesTheCallerCannotChange() {
        LoopbackLlmServer.chatCompletionBody()[0] = 'x';

        assertThat(LoopbackLlmServer.chatCompletionBody()[0]).isEqualTo((byte) '{');
    }

    @Test
    void closeStopsAcceptingClosesConnectionsAndEndsItsThreads() throws Exception {
        post(server.baseUrl() + "/chat/completions", HttpRequest.BodyPublishers.ofString("{}"));
        assertThat(threadsNamedLoopbackUpstream()).isPositive();

        server.close();
        server.close(); // idempotent

        assertThat(threadsNamedLoopbackUpstream()).isZero();
        assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close()).isInstanceOf(ConnectException.class);
        assertThat(server.toString()).contains(server.baseUrl(), "answered=1");
    }

    @Test
    void itsMainServesInItsOwnProcessUntilItsStandardInputEnds() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                LoopbackLlmServer.class.getName()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).startsWith("port=");
            int port = Integer.parseInt(first.substring("port=".length()));

            HttpResponse<byte[]> r = post("http://127.0.0.1:" + port + "/v1/chat/completions",
                    HttpRequest.BodyPublishers.ofString("{}"));
            assertThat(r.body()).isEqualTo(LoopbackLlmServer.chatCompletionBody());

            p.getOutputStream().close();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("ended when its input ended").isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    private static long threadsNamedLoopbackUpstream() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("loopback-upstream")).count();
    }
}
