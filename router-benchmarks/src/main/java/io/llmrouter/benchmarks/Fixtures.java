package io.llmrouter.benchmarks;

import io.llmrouter.Deployment;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.json.OpenAiJson;
import java.nio.charset.StandardCharsets;
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

    private Fixtures() {
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
