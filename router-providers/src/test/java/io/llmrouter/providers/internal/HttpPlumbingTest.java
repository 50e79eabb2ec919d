package io.llmrouter.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class HttpPlumbingTest {

    private static final long LIMIT = io.llmrouter.spi.Endpoint.DEFAULT_MAX_RESPONSE_BYTES;

    private static Response response(String contentType, byte[] body) {
        Response.Builder b = new Response.Builder().request(new Request.Builder().url("http://h.invalid/").build())
                .protocol(Protocol.HTTP_1_1).code(200).message("OK")
                .body(ResponseBody.create(body, contentType == null ? null : MediaType.get(contentType)));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return b.build();
    }

    @Test
    void bodyTextIsUtf8WhenTheTypeNamesNoCharsetOrUtf8() throws IOException {
        byte[] utf8 = "{\"t\":\"héllo ✓\"}".getBytes(StandardCharsets.UTF_8);
        for (String type : new String[] {null, "application/json", "application/json; charset=utf-8",
                "text/event-stream; charset=\"UTF-8\""}) {
            Response r = response(type, utf8);
            assertThat(AsyncHttpCall.exchange(r, r.body(), System.nanoTime(), LIMIT).body()).as(String.valueOf(type)).isEqualTo("{\"t\":\"héllo ✓\"}");
        }
    }

    @Test
    void utf8BodiesAreKeptAsBytesForParsingAndChecksWorkOnThem() throws IOException {
        Response r = response("application/json", "  {\"a\":1}".getBytes(StandardCharsets.UTF_8));
        HttpExchange e = AsyncHttpCall.exchange(r, r.body(), System.nanoTime(), LIMIT);
        assertThat(e.json().path("a").asInt()).isEqualTo(1);
        assertThat(e.body()).isEqualTo("  {\"a\":1}");
        assertThat(e.isBodyBlank()).isFalse();
        assertThat(e.isHtml()).isFalse();
        Response html = response(null, "\n <html><body>502</body></html>".getBytes(StandardCharsets.UTF_8));
        assertThat(AsyncHttpCall.exchange(html, html.body(), System.nanoTime(), LIMIT).isHtml()).isTrue();
        Response blank = response(null, " \u00a0\u2003\n".getBytes(StandardCharsets.UTF_8));
        HttpExchange b = AsyncHttpCall.exchange(blank, blank.body(), System.nanoTime(), LIMIT);
        assertThat(b.isBodyBlank()).as("Unicode whitespace only").isFalse(); // NBSP is not whitespace in Java
        assertThat(new HttpExchange(200, okhttp3.Headers.of(), "\u2003\n", java.time.Duration.ZERO).isBodyBlank())
                .isTrue();
    }

    @Test
    void latin1JsonBodiesAreDecodedWithTheirCharsetBeforeParsing() throws IOException {
        Response r = response("application/json; charset=ISO-8859-1",
                "{\"t\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(AsyncHttpCall.exchange(r, r.body(), System.nanoTime(), LIMIT).json().path("t").asText()).isEqualTo("caf\u00e9");
    }

    @Test
    void bodyTextHonoursAnotherDeclaredCharset() throws IOException {
        byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        Response r = response("text/plain; charset=ISO-8859-1", latin1);
        assertThat(AsyncHttpCall.exchange(r, r.body(), System.nanoTime(), LIMIT).body()).isEqualTo("caf\u00e9");
    }

    @Test
    void bodyTextDropsAUtf8ByteOrderMark() throws IOException {
        byte[] withBom = new Buffer().write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}).writeUtf8("{}")
                .readByteArray();
        Response r = response("application/json", withBom);
        assertThat(AsyncHttpCall.exchange(r, r.body(), System.nanoTime(), LIMIT).body()).isEqualTo("{}");
        assertThat(AsyncHttpCall.exchange(r, null, System.nanoTime(), LIMIT).body()).isEmpty();
    }

    @Test
    void appendedPathsGoBeforeTheQueryOfTheBase() {
        assertThat(HttpUrls.appendPath("https://h/v1", "/chat/completions")).isEqualTo("https://h/v1/chat/completions");
        assertThat(HttpUrls.appendPath("https://h/v1?api-version=1", "/chat/completions"))
                .isEqualTo("https://h/v1/chat/completions?api-version=1");
        assertThat(HttpUrls.appendPath("https://h/v1/?a=1&b=2", "/x")).isEqualTo("https://h/v1/x?a=1&b=2");
        assertThat(HttpUrls.appendPath("https://h?a=1", "/x")).isEqualTo("https://h/x?a=1");
        assertThat(HttpUrls.appendPath("https://h/v1#frag", "/x")).isEqualTo("https://h/v1/x");
        assertThat(HttpUrls.appendPath("https://h/v1?", "/x")).isEqualTo("https://h/v1/x");
        assertThat(HttpUrls.withoutQuery("https://h/v1/messages?a=1")).isEqualTo("https://h/v1/messages");
    }

    @Test
    void parsedUrlsAreRememberedAndInvalidOnesAreNull() {
        // the cache is bounded and shared by the JVM's tests, which parse more than it keeps
        HttpUrls.forgetAll();
        HttpUrl first = HttpUrls.parse("https://api.example.com/v1/chat/completions");
        assertThat(first).isEqualTo(HttpUrl.get("https://api.example.com/v1/chat/completions"));
        assertThat(HttpUrls.parse("https://api.example.com/v1/chat/completions")).isSameAs(first);
        assertThat(HttpUrls.parse("not a url")).isNull();
        assertThat(HttpUrls.parse("ftp://example.com/")).isNull();
    }

    @Test
    void callsWithATimeoutStartTheWatchdogPacerAndStillTimeOut() throws IOException {
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse.Builder().body("{}").build());
            server.enqueue(new MockResponse.Builder().body("{}").headersDelay(2, java.util.concurrent.TimeUnit.SECONDS)
                    .build());
            server.start();
            Request request = new Request.Builder().url(server.url("/x"))
                    .post(RequestBody.create("{}", MediaType.get("application/json"))).build();
            String body = AsyncHttpCall.execute(DefaultHttpClient.shared(), request, Duration.ofSeconds(30), LIMIT,
                    HttpExchange::body, e -> new IllegalStateException(e));
            assertThat(body).isEqualTo("{}");
            assertThat(WatchdogPacer.isRunning()).isTrue();
            // A limit shorter than the pacer's period is still enforced.
            Throwable failure = null;
            try {
                AsyncHttpCall.execute(DefaultHttpClient.shared(), request, Duration.ofMillis(200), LIMIT, HttpExchange::body,
                        e -> new IllegalStateException("timed out", e));
            } catch (IllegalStateException e) {
                failure = e;
            }
            assertThat(failure).isNotNull().hasMessage("timed out");
            assertThat(AsyncHttpCall.isTimeout((IOException) failure.getCause())).isTrue();
        }
    }

    @Test
    void aBurstOfConcurrentCallsFindsItsConnectionsAgainOnTheNextBurst() throws Exception {
        int burst = 64;
        java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> arrived =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.Set<Integer> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new mockwebserver3.Dispatcher() {
                @Override
                public MockResponse dispatch(mockwebserver3.RecordedRequest request) throws InterruptedException {
                    connections.add(request.getConnectionIndex());
                    // Hold every answer until the whole burst has arrived: one connection per call.
                    java.util.concurrent.CountDownLatch all = arrived.get();
                    all.countDown();
                    all.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    return new MockResponse.Builder().body("{}").build();
                }
            });
            server.start();
            okhttp3.OkHttpClient client = DefaultHttpClient.create();
            Request request = new Request.Builder().url(server.url("/x")).build();
            for (int round = 0; round < 2; round++) {
                arrived.set(new java.util.concurrent.CountDownLatch(burst));
                java.util.List<java.util.concurrent.CompletableFuture<String>> calls = new java.util.ArrayList<>();
                for (int i = 0; i < burst; i++) {
                    calls.add(AsyncHttpCall.enqueue(client, request, Duration.ofSeconds(30), LIMIT, HttpExchange::body,
                            e -> new IllegalStateException(e)));
                }
                for (java.util.concurrent.CompletableFuture<String> call : calls) {
                    assertThat(call.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("{}");
                }
            }
            assertThat(connections).as("connections opened over two bursts of %d", burst).hasSize(burst);
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }
}
