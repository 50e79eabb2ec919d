package io.llmrouter.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.llmrouter.ChatStream;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.StreamOptions;
import io.llmrouter.api.json.OpenAiJson;
import io.llmrouter.providers.internal.DefaultHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * The Java clients {@link PeerBenchmark} and {@link PeerThroughputBenchmark} compare, each doing
 * the same chat completion ({@link Fixtures#REQUEST}: model {@code gpt-4o}, one user message)
 * against the same {@link LoopbackUpstream}, with retries off and a 60 s timeout wherever the
 * client has them, and each through its own API:
 *
 * <ul>
 *   <li>{@code raw}: the physical limit, as {@link OverheadBenchmark#baseline()} and
 *       {@link StreamingBenchmark#baselineStream()}: plain OkHttp ({@link DefaultHttpClient#shared()})
 *       with a prebuilt body, Jackson {@code readTree} of the answer (of each SSE line);
 *   <li>{@code llmrouter}: {@code router.completion()} / {@code router.stream()} (the blocking
 *       {@link ChatStream} iterator) through the OpenAI adapter to one deployment;
 *   <li>{@code openai-java}: the official OpenAI Java SDK on its OkHttp transport
 *       ({@code OpenAIOkHttpClient}, {@code chat().completions().create()} /
 *       {@code createStreaming()}'s {@code StreamResponse}), its connection pool sized as ours;
 *   <li>{@code langchain4j}: LangChain4j's {@code OpenAiChatModel.chat()} /
 *       {@code OpenAiStreamingChatModel.chat()} with a streaming handler, on its default
 *       transport (the JDK's {@code HttpClient}).
 * </ul>
 *
 * Every call returns the answer's text, which {@link #check(Call)} compares with the upstream's,
 * so no client can measure a failure or an unparsed body.
 */
enum Peer {
    RAW("raw"), LLMROUTER("llmrouter"), OPENAI_JAVA("openai-java"), LANGCHAIN4J("langchain4j");

    /** The timeout every client that has one gets. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** The non-streaming answer's text. */
    static final String TEXT = "Hello! This is a fixed answer from the loopback upstream used by the llmrouter"
            + " benchmarks; it is about as long as a short chat reply.";

    /** The streamed answer's text. */
    static final String STREAM_TEXT = streamText();

    private final String id;

    Peer(String id) {
        this.id = id;
    }

    /** The {@code @Param} value naming this client. */
    String id() {
        return id;
    }

    /** The client named {@code id}. */
    static Peer of(String id) {
        for (Peer p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown client: " + id);
    }

    /** One client's two calls, open on {@code upstream}. */
    interface Call extends AutoCloseable {
        /** One chat completion; returns the answer's text. */
        String complete();

        /** One streamed chat completion read to its end; returns the concatenated text. */
        String stream();

        @Override
        void close();
    }

    /** This client, pointed at {@code upstream}. */
    Call open(LoopbackUpstream upstream) {
        return switch (this) {
            case RAW -> new Raw(upstream.baseUrl());
            case LLMROUTER -> new Routed(upstream.baseUrl());
            case OPENAI_JAVA -> new OpenAiJava(upstream.baseUrl());
            case LANGCHAIN4J -> new LangChain4j(upstream.baseUrl());
        };
    }

    /** Both calls return the upstream's text: a setup check, so no client measures a failure. */
    static void check(Peer peer, Call call) {
        String text = call.complete();
        if (!TEXT.equals(text)) {
            throw new IllegalStateException(peer.id + " did not parse the loopback answer: '" + text + "'");
        }
        String streamed = call.stream();
        if (!STREAM_TEXT.equals(streamed)) {
            throw new IllegalStateException(peer.id + " read the stream as '" + streamed + "', expected '"
                    + STREAM_TEXT + "'");
        }
    }

    private static String streamText() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < LoopbackUpstream.STREAM_CHUNKS; i++) {
            sb.append("word").append(i).append(' ');
        }
        return sb.toString();
    }

    private static final class Raw implements Call {
        private static final String DATA = "data: ";
        private static final String DONE = "data: [DONE]";

        private final OkHttpClient client = DefaultHttpClient.shared();
        private final ObjectMapper mapper = new ObjectMapper();
        private final Request request;
        private final Request streamRequest;

        Raw(String base) {
            request = Fixtures.baselinePost(base);
            String json = OpenAiJson.requestToJson(Fixtures.REQUEST.toBuilder().stream(true)
                    .streamOptions(StreamOptions.includeUsage(true)).build());
            streamRequest = Fixtures.baselinePost(base, json).newBuilder().header("Accept", "text/event-stream")
                    .build();
        }

        @Override
        public String complete() {
            try (Response response = client.newCall(request).execute()) {
                JsonNode tree = mapper.readTree(response.body().byteStream());
                return tree.path("choices").path(0).path("message").path("content").asText();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String stream() {
            StringBuilder text = new StringBuilder(512);
            try (Response response = client.newCall(streamRequest).execute()) {
                BufferedSource source = response.body().source();
                String line;
                while ((line = source.readUtf8Line()) != null) {
                    if (line.startsWith(DATA) && !line.equals(DONE)) {
                        JsonNode content = mapper.readTree(line.substring(DATA.length()))
                                .path("choices").path(0).path("delta").path("content");
                        if (content.isTextual()) {
                            text.append(content.textValue());
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return text.toString();
        }

        @Override
        public void close() {
            // the shared client outlives this one; LoopbackUpstream.close() releases it
        }
    }

    private static final class Routed implements Call {
        private final Router router;
        private final ChatRequest request = Fixtures.REQUEST;

        Routed(String base) {
            router = Router.builder().retryPolicy(retry -> retry.numRetries(0))
                    .deployment(Fixtures.deployment("gpt-4o", "d0", base).timeout(TIMEOUT).build()).build();
        }

        @Override
        public String complete() {
            return router.completion(request).text();
        }

        @Override
        public String stream() {
            StringBuilder text = new StringBuilder(512);
            try (ChatStream stream = router.stream(request)) {
                for (ChatChunk chunk : stream) {
                    Optional<String> t = chunk.text();
                    if (t.isPresent()) {
                        text.append(t.get());
                    }
                }
            }
            return text.toString();
        }

        @Override
        public void close() {
            router.close();
        }
    }

    private static final class OpenAiJava implements Call {
        private final OpenAIClient client;
        private final ChatCompletionCreateParams params;
        private final ChatCompletionCreateParams streamParams;

        OpenAiJava(String base) {
            client = OpenAIOkHttpClient.builder().baseUrl(base).apiKey(Fixtures.KEY).maxRetries(0).timeout(TIMEOUT)
                    .maxIdleConnections(DefaultHttpClient.MAX_IDLE_CONNECTIONS)
                    .keepAliveDuration(DefaultHttpClient.KEEP_ALIVE).build();
            params = ChatCompletionCreateParams.builder().model(Fixtures.REQUEST.model())
                    .addUserMessage(userText()).build();
            streamParams = params.toBuilder()
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        }

        @Override
        public String complete() {
            ChatCompletion completion = client.chat().completions().create(params);
            return completion.choices().get(0).message().content().orElse("");
        }

        @Override
        public String stream() {
            StringBuilder text = new StringBuilder(512);
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                    .createStreaming(streamParams)) {
                stream.stream().forEach(chunk -> {
                    for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                        choice.delta().content().ifPresent(text::append);
                    }
                });
            }
            return text.toString();
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private static final class LangChain4j implements Call {
        private final OpenAiChatModel model;
        private final OpenAiStreamingChatModel streamingModel;
        private final List<ChatMessage> messages = List.of(UserMessage.from(userText()));

        LangChain4j(String base) {
            model = OpenAiChatModel.builder().baseUrl(base).apiKey(Fixtures.KEY).modelName(Fixtures.REQUEST.model())
                    .maxRetries(0).timeout(TIMEOUT).build();
            streamingModel = OpenAiStreamingChatModel.builder().baseUrl(base).apiKey(Fixtures.KEY)
                    .modelName(Fixtures.REQUEST.model()).timeout(TIMEOUT).build();
        }

        @Override
        public String complete() {
            return model.chat(messages).aiMessage().text();
        }

        @Override
        public String stream() {
            StringBuilder text = new StringBuilder(512);
            CompletableFuture<Void> done = new CompletableFuture<>();
            streamingModel.chat(messages, new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String partialResponse) {
                    text.append(partialResponse);
                }

                @Override
                public void onCompleteResponse(dev.langchain4j.model.chat.response.ChatResponse response) {
                    done.complete(null);
                }

                @Override
                public void onError(Throwable error) {
                    done.completeExceptionally(error);
                }
            });
            done.join();
            return text.toString();
        }

        @Override
        public void close() {
            // nothing to release: the JDK HttpClient's threads are daemons
        }
    }

    /** The text of {@link Fixtures#REQUEST}'s one user message. */
    private static String userText() {
        Message m = Fixtures.REQUEST.messages().get(0);
        return m.text();
    }
}
