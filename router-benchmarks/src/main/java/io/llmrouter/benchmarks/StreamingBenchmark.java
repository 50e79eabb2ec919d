package io.llmrouter.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.ChatStream;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.StreamOptions;
import io.llmrouter.api.json.OpenAiJson;
import io.llmrouter.providers.internal.DefaultHttpClient;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole streamed answer over loopback HTTP: {@value LoopbackUpstream#STREAM_CHUNKS} content
 * chunks of SSE plus a role chunk, a finish chunk, a usage chunk and {@code data: [DONE]}
 * ({@link LoopbackUpstream#STREAM}), read to the end.
 *
 * <p>{@code baselineStream} is the physical limit: a plain, synchronous OkHttp POST of a body
 * with {@code "stream":true}, the response read line by line with okio's
 * {@code readUtf8Line()}, every {@code data: } line but {@code [DONE]} parsed with Jackson
 * {@code readTree} and its {@code choices[0].delta.content} appended to a {@code StringBuilder}.
 * {@code routerStream} is {@code router.stream(request)} through the OpenAI adapter to one
 * deployment, every {@link ChatChunk} iterated to the end and its text appended the same way,
 * then the stream closed. The router's side includes what it always does for a stream: SSE
 * parsing into typed chunks, the hand-off from the HTTP thread to the reader through
 * {@link ChatStream}'s queue, and the accumulation of the whole response (usage, cost, routing).
 * {@code routerStreamCallback} reads the same stream through {@code router.streamAsync(request,
 * onChunk)}, whose callback runs on the thread that reads the HTTP body: no hand-off per chunk.
 * {@code baselineStreamEnqueued} is the raw client's counterpart of that non-blocking read: the same
 * read as {@code baselineStream}, enqueued, on OkHttp's dispatcher thread, the caller waiting for its
 * end, so it pays the same two hand-offs (to the HTTP thread and back) as the callback API.
 * Same client ({@link DefaultHttpClient#shared()}), same upstream, same run.
 *
 * <p>Setup checks once that both sides read {@value LoopbackUpstream#STREAM_CHUNKS} non-empty
 * content chunks and the same text, so neither can silently measure something else.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 15, time = 2)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class StreamingBenchmark {

    private static final String DATA = "data: ";
    private static final String DONE = "data: [DONE]";

    private LoopbackUpstream upstream;
    private OkHttpClient client;
    private Request baselineRequest;
    private ObjectMapper mapper;
    private Router router;
    private ChatRequest request;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        upstream = new LoopbackUpstream();
        client = DefaultHttpClient.shared();
        mapper = new ObjectMapper();
        request = Fixtures.REQUEST;
        // What the adapter sends for a stream: stream and stream_options.include_usage.
        String json = OpenAiJson.requestToJson(request.toBuilder().stream(true)
                .streamOptions(StreamOptions.includeUsage(true)).build());
        if (!json.contains("\"stream\":true")) {
            throw new IllegalStateException("baseline body lacks the exact bytes \"stream\":true: " + json);
        }
        baselineRequest = Fixtures.baselinePost(upstream.baseUrl(), json).newBuilder()
                .header("Accept", "text/event-stream").build();
        router = Router.builder().deployment(Fixtures.deployment("gpt-4o", "d0", upstream.baseUrl()).build()).build();
        verify();
    }

    /** Both sides read the whole stream: the same text in the expected number of content chunks. */
    private void verify() throws IOException {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < LoopbackUpstream.STREAM_CHUNKS; i++) {
            expected.append("word").append(i).append(' ');
        }
        StringBuilder baseline = new StringBuilder();
        int baselineChunks = readBaseline(baseline);
        StringBuilder routed = new StringBuilder();
        int routedChunks = readRouter(routed);
        if (baselineChunks != LoopbackUpstream.STREAM_CHUNKS || !expected.toString().equals(baseline.toString())) {
            throw new IllegalStateException("baseline read " + baselineChunks + " content chunks, text '" + baseline
                    + "'; expected " + LoopbackUpstream.STREAM_CHUNKS + ", '" + expected + "'");
        }
        StringBuilder enqueued = new StringBuilder();
        int enqueuedChunks = readBaselineEnqueued(enqueued);
        if (enqueuedChunks != LoopbackUpstream.STREAM_CHUNKS || !expected.toString().equals(enqueued.toString())) {
            throw new IllegalStateException("enqueued baseline read " + enqueuedChunks + " content chunks, text '"
                    + enqueued + "'; expected " + LoopbackUpstream.STREAM_CHUNKS + ", '" + expected + "'");
        }
        StringBuilder routedAsync = new StringBuilder();
        int routedAsyncChunks = readRouterAsync(routedAsync);
        if (routedAsyncChunks != LoopbackUpstream.STREAM_CHUNKS || !expected.toString().equals(routedAsync.toString())) {
            throw new IllegalStateException("router (callback) read " + routedAsyncChunks + " content chunks, text '"
                    + routedAsync + "'; expected " + LoopbackUpstream.STREAM_CHUNKS + ", '" + expected + "'");
        }
        if (routedChunks != LoopbackUpstream.STREAM_CHUNKS || !expected.toString().equals(routed.toString())) {
            throw new IllegalStateException("router read " + routedChunks + " content chunks, text '" + routed
                    + "'; expected " + LoopbackUpstream.STREAM_CHUNKS + ", '" + expected + "'");
        }
        try (ChatStream stream = router.stream(request)) {
            for (ChatChunk chunk : stream) {
                if (chunk == null) {
                    throw new IllegalStateException("null chunk");
                }
            }
            String whole = stream.response().text();
            if (!expected.toString().equals(whole)) {
                throw new IllegalStateException("router's accumulated response text '" + whole + "' differs");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        router.close();
        upstream.close();
    }

    /** Reads the whole SSE body with OkHttp and Jackson, appending the content; returns the non-empty content chunks. */
    private int readBaseline(StringBuilder text) throws IOException {
        try (Response response = client.newCall(baselineRequest).execute()) {
            return readEvents(response.body().source(), text);
        }
    }

    /** Reads SSE lines to the end, each {@code data: } event but {@code [DONE]} parsed with Jackson {@code readTree}. */
    private int readEvents(BufferedSource source, StringBuilder text) throws IOException {
        int chunks = 0;
        String line;
        while ((line = source.readUtf8Line()) != null) {
            if (line.startsWith(DATA) && !line.equals(DONE)) {
                JsonNode content = mapper.readTree(line.substring(DATA.length()))
                        .path("choices").path(0).path("delta").path("content");
                if (content.isTextual()) {
                    String s = content.textValue();
                    text.append(s);
                    if (!s.isEmpty()) {
                        chunks++;
                    }
                }
            }
        }
        return chunks;
    }

    /**
     * The raw counterpart of the callback API: the same read as {@link #readBaseline}, but the call is
     * enqueued and the body read on OkHttp's dispatcher thread, the caller waiting for the end. It pays
     * the two thread hand-offs any non-blocking stream pays (to the HTTP thread and back).
     */
    private int readBaselineEnqueued(StringBuilder text) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        client.newCall(baselineRequest).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                done.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    done.complete(readEvents(response.body().source(), text));
                } catch (IOException | RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }
        });
        return done.join();
    }

    /** Iterates the router's stream to its end, appending the text; returns the non-empty text chunks. */
    private int readRouter(StringBuilder text) {
        int chunks = 0;
        try (ChatStream stream = router.stream(request)) {
            for (ChatChunk chunk : stream) {
                Optional<String> t = chunk.text();
                if (t.isPresent()) {
                    String s = t.get();
                    text.append(s);
                    if (!s.isEmpty()) {
                        chunks++;
                    }
                }
            }
        }
        return chunks;
    }

    /** Reads the stream through the callback API: chunks are handled on the thread that reads them. */
    private int readRouterAsync(StringBuilder text) {
        int[] chunks = {0};
        router.streamAsync(request, chunk -> {
            Optional<String> t = chunk.text();
            if (t.isPresent()) {
                String s = t.get();
                text.append(s);
                if (!s.isEmpty()) {
                    chunks[0]++;
                }
            }
        }).join();
        return chunks[0];
    }

    @Benchmark
    public int baselineStream() throws IOException {
        StringBuilder text = new StringBuilder(512);
        readBaseline(text);
        return text.length();
    }

    @Benchmark
    public int baselineStreamEnqueued() {
        StringBuilder text = new StringBuilder(512);
        readBaselineEnqueued(text);
        return text.length();
    }

    @Benchmark
    public int routerStream() {
        StringBuilder text = new StringBuilder(512);
        readRouter(text);
        return text.length();
    }

    @Benchmark
    public int routerStreamCallback() {
        StringBuilder text = new StringBuilder(512);
        readRouterAsync(text);
        return text.length();
    }
}
