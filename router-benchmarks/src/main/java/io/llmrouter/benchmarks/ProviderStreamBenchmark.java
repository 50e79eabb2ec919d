package io.llmrouter.benchmarks;

import io.llmrouter.ChatStream;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.providers.anthropic.AnthropicProvider;
import io.llmrouter.providers.gemini.GeminiProvider;
import io.llmrouter.spi.ChunkSink;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.StreamHandle;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole streamed answer of a non-OpenAI provider over loopback HTTP, read through the router's
 * blocking iterator ({@code router.stream(request)}, every chunk's text appended, then closed):
 * Anthropic's Messages stream ({@link LoopbackUpstream#ANTHROPIC_STREAM}) or Gemini's
 * {@code streamGenerateContent?alt=sse} ({@link LoopbackUpstream#GEMINI_STREAM}), each
 * {@value LoopbackUpstream#STREAM_CHUNKS} text pieces.
 *
 * <p>{@code path=pull} is the adapter as shipped: its own {@code openStream}, each event read and
 * translated on the caller's thread. {@code path=push} is the same adapter behind a wrapper that
 * only forwards {@code streamAsync}, so the router reads it as it reads any adapter without a pull
 * path (and as it read these two before they had one): chunks translated on the OkHttp thread and
 * handed to the reader through a queue. Same client, same upstream, same run: the difference is the
 * hand-off alone.
 *
 * <p>Setup checks once per trial that the router reads the expected text.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProviderStreamBenchmark {

    @Param({"anthropic", "gemini"})
    public String provider;

    @Param({"pull", "push"})
    public String path;

    private LoopbackUpstream upstream;
    private Router router;
    private ChatRequest request;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        upstream = new LoopbackUpstream();
        String base = upstream.baseUrl(); // {base}/messages for Anthropic, {base}/models/... for Gemini
        Provider adapter;
        Deployment deployment;
        if (provider.equals("anthropic")) {
            adapter = AnthropicProvider.builder().build();
            deployment = Deployment.builder("chat", "anthropic/claude-sonnet-4-5").id("d0").apiBase(base)
                    .apiKey(Secret.of(Fixtures.KEY)).build();
        } else {
            adapter = GeminiProvider.builder().build();
            deployment = Deployment.builder("chat", "gemini/gemini-2.0-flash").id("d0").apiBase(base)
                    .apiKey(Secret.of(Fixtures.KEY)).build();
        }
        if (path.equals("push")) {
            adapter = new PushOnly(adapter);
        }
        router = Router.builder().provider(provider, adapter).deployment(deployment).build();
        request = ChatRequest.ofUser("chat", "Say hello to the benchmark.");
        verify();
    }

    private void verify() {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < LoopbackUpstream.STREAM_CHUNKS; i++) {
            expected.append("word").append(i).append(' ');
        }
        StringBuilder read = new StringBuilder();
        ChatResponse whole = read(read);
        if (!expected.toString().equals(read.toString()) || !expected.toString().equals(whole.text())
                || whole.usage().isEmpty()) {
            throw new IllegalStateException(provider + "/" + path + " read '" + read + "' (accumulated '"
                    + whole.text() + "', usage " + whole.usage() + "); expected '" + expected + "' with usage");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        router.close();
        upstream.close();
    }

    private ChatResponse read(StringBuilder text) {
        try (ChatStream stream = router.stream(request)) {
            for (ChatChunk chunk : stream) {
                Optional<String> t = chunk.text();
                if (t.isPresent()) {
                    text.append(t.get());
                }
            }
            return stream.response();
        }
    }

    @Benchmark
    public int routerStream() {
        StringBuilder text = new StringBuilder(512);
        read(text);
        return text.length();
    }

    /** An adapter seen through {@code completeAsync} and {@code streamAsync} only: no pull path. */
    private static final class PushOnly implements Provider {
        private final Provider adapter;

        PushOnly(Provider adapter) {
            this.adapter = adapter;
        }

        @Override
        public String name() {
            return adapter.name();
        }

        @Override
        public CompletableFuture<ChatResponse> completeAsync(ProviderCall call) {
            return adapter.completeAsync(call);
        }

        @Override
        public StreamHandle streamAsync(ProviderCall call, ChunkSink sink) {
            return adapter.streamAsync(call, sink);
        }
    }
}
