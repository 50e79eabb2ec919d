package io.llmrouter.benchmarks;

import io.llmrouter.Deployment;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.json.OpenAiJson;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** What the HTTP benchmarks share: the request, the baseline's prebuilt call, deployments, the in-memory transport. */
final class Fixtures {

    static final MediaType JSON = MediaType.get("application/json");

    /** The chat request every benchmark sends. */
    static final ChatRequest REQUEST = ChatRequest.ofUser("gpt-4o", "Say hello to the benchmark.");

    /** The API key every benchmark deployment and baseline call uses. */
    static final String KEY = "sk-bench";

    /** Base URL the in-memory transport answers (any host: nothing is resolved). */
    static final String IN_MEMORY_BASE = "http://in-memory.invalid/v1";

    /** Base URL the in-memory transport answers with OpenAI's 429. */
    static final String IN_MEMORY_RATE_LIMITED_BASE = "http://in-memory.invalid/429/v1";

    /**
     * System property: seconds of one-caller calls a throughput benchmark makes before its
     * concurrent warm-up ({@link #DEFAULT_PREWARM_SECONDS} by default; 0 turns it off).
     */
    static final String PREWARM_SECONDS = "llmrouter.bench.prewarmSeconds";

    /** The default of {@link #PREWARM_SECONDS}. */
    static final int DEFAULT_PREWARM_SECONDS = 8;

    private Fixtures() {
    }

    /**
     * Runs {@code call} from one thread, back to back, for {@link #PREWARM_SECONDS}, so the JIT
     * compiles the measured client's path while it has a core to itself. A throughput benchmark's
     * own warm-up runs 8 or 64 callers, and on a two-core machine the compiler threads then get one
     * share in about 66 of the CPU: there, llmrouter's 64-caller throughput kept rising for about
     * 80 s and the raw client's, which has less code to compile, for about 45 s, so a 12-30 s
     * warm-up measured how far each had got (src-docs/performance.md, "Throughput warm-up").
     * Each fork pre-warms only the client it measures, for the same time on both sides of a pair.
     *
     * @param call one call of the client a fork measures
     */
    static void prewarm(Callable<?> call) {
        long seconds = Long.getLong(PREWARM_SECONDS, DEFAULT_PREWARM_SECONDS);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            while (System.nanoTime() - end < 0) {
                call.call();
            }
        } catch (Exception e) {
            throw new IllegalStateException("the pre-warm call failed", e);
        }
    }

    /** The baseline's prebuilt POST of {@code json} to {@code {base}/chat/completions}. */
    static Request baselinePost(String base, String json) {
        return new Request.Builder().url(base + "/chat/completions").header("Authorization", "Bearer " + KEY)
                .post(RequestBody.create(json.getBytes(StandardCharsets.UTF_8), JSON)).build();
    }

    /** The baseline's prebuilt POST of {@link #REQUEST}. */
    static Request baselinePost(String base) {
        return baselinePost(base, OpenAiJson.requestToJson(REQUEST));
    }

    /** An OpenAI deployment of model group {@code group} at {@code apiBase}. */
    static Deployment.Builder deployment(String group, String id, String apiBase) {
        return Deployment.builder(group, "openai/gpt-4o").id(id).apiBase(apiBase).apiKey(Secret.of(KEY));
    }

    /**
     * {@code client} answering every call in memory with the loopback upstream's bytes: OpenAI's
     * 429 for paths under {@code /429/}, else the chat completion. No socket is opened.
     */
    static OkHttpClient inMemory(OkHttpClient client) {
        return client.newBuilder().addInterceptor(chain -> {
            boolean limited = chain.request().url().encodedPath().startsWith("/429/");
            return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1)
                    .code(limited ? 429 : 200).message(limited ? "Too Many Requests" : "OK")
                    .header("Content-Type", "application/json")
                    .body(ResponseBody.create(limited ? LoopbackUpstream.RATE_LIMITED : LoopbackUpstream.BODY, JSON))
                    .build();
        }).build();
    }
}
