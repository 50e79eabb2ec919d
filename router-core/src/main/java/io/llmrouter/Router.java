package io.llmrouter;

import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.audio.SpeechRequest;
import io.llmrouter.api.audio.SpeechResponse;
import io.llmrouter.api.audio.TranscriptionRequest;
import io.llmrouter.api.audio.TranscriptionResponse;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.control.RequestInterceptor;
import io.llmrouter.control.ResponseRule;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.completion.TextCompletionRequest;
import io.llmrouter.api.completion.TextCompletionResponse;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import io.llmrouter.api.moderation.ModerationRequest;
import io.llmrouter.api.moderation.ModerationResponse;
import io.llmrouter.api.rerank.RerankRequest;
import io.llmrouter.api.rerank.RerankResponse;
import io.llmrouter.api.responses.ResponsesRequest;
import io.llmrouter.api.responses.ResponsesResponse;
import io.llmrouter.budget.Budget;
import io.llmrouter.budget.BudgetStatus;
import io.llmrouter.budget.SpendReport;
import io.llmrouter.readiness.ConfigurationRisk;
import io.llmrouter.readiness.RouterDescription;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.RouterClosedException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RequestCancelledException;
import io.llmrouter.cost.PriceTable;
import io.llmrouter.internal.DegradedAnswers;
import io.llmrouter.internal.QueueSettings;
import io.llmrouter.internal.RouterEngine;
import io.llmrouter.internal.RouterSettings;
import io.llmrouter.spi.Provider;
import io.llmrouter.spi.RouterListener;
import io.llmrouter.spi.RoutingStrategy;
import io.llmrouter.strategy.WeightedShuffleStrategy;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * Routes OpenAI-shaped chat requests over deployments of many providers, with retries,
 * cooldowns and fallbacks, and prices every answer.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").apiKey(Secret.fromEnv("OPENAI_API_KEY")).build())
 *     .deployment(Deployment.builder("claude", "anthropic/claude-sonnet-4-5").apiKey(Secret.fromEnv("ANTHROPIC_API_KEY")).build())
 *     .fallbackPolicy(FallbackPolicy.builder().fallbacks("gpt-4o", "claude").build())
 *     .retryPolicy(RetryPolicy.builder().numRetries(3).build())
 *     .build();
 * ChatResponse response = router.completion(ChatRequest.ofUser("gpt-4o", "Hello!"));
 * }</pre>
 *
 * <p>How a request is served: the request's {@code model} names a model group. The router picks
 * one of the group's deployments that is not cooling down (lowest {@code order} first, then the
 * {@link RoutingStrategy}), calls its provider, and on a retryable failure retries up to
 * {@link RetryPolicy#numRetries()} times, each time choosing again and preferring deployments
 * that have not failed this request. When the group fails, fallback groups are tried (chosen by
 * the kind of failure; a fallback's own fallbacks in turn, at most {@link FallbackPolicy#maxDepth()}
 * levels deep; each group at most once). The final exception has the requested group's error type
 * and carries every attempt; a response carries its cost and
 * {@link ChatResponse#routing() routing}. The exact rules are in {@code src-docs/reliability.md}.
 *
 * <p>Defaults: {@value RetryPolicy#DEFAULT_NUM_RETRIES} retries; no wait when another healthy
 * deployment is left, else the provider's retry-after up to 60 s (a longer one is ignored), else
 * backoff from 500 ms doubling up to 8 s plus up to 25 % jitter; a 401 retried on another healthy
 * deployment of the group ({@link RetryPolicy}); 600 s per call and no whole-request deadline
 * ({@link Timeouts}); LiteLLM's cooldown rule: a deployment cools down for 5 s (or the failure's
 * retry-after) at once on 401, 403 and 404, and, in a group of several, on 429 or when more than
 * half of its calls in the last minute failed; the only deployment of a group otherwise only when
 * all of {@value CooldownPolicy#DEFAULT_SINGLE_DEPLOYMENT_FAILURE_THRESHOLD} calls failed
 * ({@link CooldownPolicy}); no fallbacks ({@link FallbackPolicy}); the
 * {@link WeightedShuffleStrategy}; the bundled {@link PriceTable}.
 *
 * <p>Deployments, fallbacks and aliases can change while the router runs, atomically and without
 * blocking requests: {@link #upsertDeployment}, {@link #removeDeployment}, {@link #setDeployments},
 * {@link #setFallbackPolicy} and {@link #apply(RouterChange)}; unchanged deployments keep their
 * health, usage and spend.
 *
 * <p>A router is thread-safe and meant to be shared. Its timers run on one daemon scheduler
 * thread of its own (or on the {@link Builder#scheduler scheduler} you give it) that exists only
 * while there are timers to run: an idle, closed or dropped router holds no thread, and none of
 * its threads keeps the JVM alive.
 *
 * <p>Lifecycle: {@link #close()} ends every call in flight at once with a
 * {@link RouterClosedException} (HTTP calls cancelled, in-flight counts and budget reservations
 * released, threads blocked in {@link #completion} released); {@link #close(Duration)} first waits
 * for them to finish. After either, every call fails with {@link RouterClosedException}: the
 * blocking methods throw it, the asynchronous ones return a future failed with it. Interrupting
 * a thread blocked in a blocking method cancels its call at once with a
 * {@link RequestCancelledException}, leaving the interrupt flag set. Limits and precision:
 * {@code src-docs/reliability.md}, "Limits and shutdown".
 *
 * @since 0.1.0
 */
public final class Router implements AutoCloseable {

    /**
     * Default number of end users, and separately of tags, whose spend {@link #spend()} lists one
     * by one: {@value} (a few MB at most); the spend of the others is summed in
     * {@link SpendReport#otherUsers()} and {@link SpendReport#otherTags()}.
     */
    public static final int DEFAULT_MAX_SPEND_KEYS = 10_000;

    /**
     * Default bound of each model group's queue of requests waiting for capacity: {@value}; see
     * {@link Builder#maxQueuedRequests(int)}.
     *
     * @since 0.1.0
     */
    public static final int DEFAULT_MAX_QUEUED_REQUESTS = 1_000;

    /**
     * Default number of requests that may go ahead of the longest-waiting request of a model
     * group's queue: {@value}; see {@link Builder#maxOvertakes(int)}.
     *
     * @since 0.1.0
     */
    public static final int DEFAULT_MAX_OVERTAKES = 10;

    /**
     * Default meaning of deployments' rpm and tpm: {@link RateLimitMode#ENFORCED}, limits that
     * also weigh selection.
     */
    public static final RateLimitMode DEFAULT_RATE_LIMITS = RateLimitMode.ENFORCED;

    private final RouterEngine engine;
    /** What {@link Builder#closeOnClose(AutoCloseable)} handed over, closed after the router in reverse order. */
    private final List<AutoCloseable> owned;
    private final java.util.concurrent.atomic.AtomicBoolean ownedClosed = new java.util.concurrent.atomic.AtomicBoolean();

    private Router(RouterEngine engine, List<AutoCloseable> owned) {
        this.engine = engine;
        this.owned = owned;
    }

    /** Closes {@code resources} once, last one first; a failure is logged (its type only) and the rest still closed. */
    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                // The type only: a client's message may carry its connection URI.
                org.slf4j.LoggerFactory.getLogger(Router.class).warn("closing {} failed: {}",
                        resources.get(i).getClass().getSimpleName(), e.getClass().getName());
            }
        }
    }

    private void closeOwned() {
        if (!owned.isEmpty() && ownedClosed.compareAndSet(false, true)) {
            closeAll(owned);
        }
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Routes the request and waits for the answer on the calling thread.
     *
     * @param request the request; its model names a model group
     * @return the response, with cost and routing information
     * @throws io.llmrouter.api.exception.BadRequestException before any network call if the
     *     request has no messages or names an unknown model group
     * @throws LlmRouterException the last failure, with every attempt, when all groups failed
     * @throws RouterClosedException when the router is closed, before or during the call
     * @throws RequestCancelledException when the calling thread is interrupted (the call is
     *     cancelled at once; the interrupt flag stays set)
     */
    public ChatResponse completion(ChatRequest request) {
        return completion(request, RequestOptions.none());
    }

    /**
     * Routes the request with per-request overrides and waits for the answer.
     *
     * @param request the request; its model names a model group
     * @param options overrides of the deadline, retries and fallbacks
     * @return the response, with cost and routing information
     * @throws LlmRouterException as {@link #completion(ChatRequest)}; a passed deadline gives a
     *     {@link io.llmrouter.api.exception.RequestTimeoutException} with the attempts so far
     */
    public ChatResponse completion(ChatRequest request, RequestOptions options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        return await(engine.executeBlocking(request, options), request);
    }

    /** Waits for {@code future} on the calling thread, rethrowing its typed failure unwrapped. */
    private static <T> T await(CompletableFuture<T> future, RouterRequest request) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new RequestCancelledException("interrupted while waiting for the answer",
                    ErrorContext.builder().model(request.model()).build(), e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LlmRouterException lre) {
                throw lre;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * Routes the request without blocking the caller.
     *
     * <p>The future completes on the thread that finished the last step (an HTTP client thread
     * or the router's scheduler): put heavy work in {@code thenApplyAsync(fn, executor)}. It
     * completes exceptionally with the typed {@link LlmRouterException} itself (not wrapped),
     * e.g. {@link RouterClosedException} when the router is closed (this method never throws it);
     * cancelling it cancels the call in flight and stops retries and fallbacks.
     *
     * @param request the request
     * @return the response future
     * @throws NullPointerException at once if {@code request} is null
     */
    public CompletableFuture<ChatResponse> completionAsync(ChatRequest request) {
        return completionAsync(request, RequestOptions.none());
    }

    /**
     * Routes the request with per-request overrides without blocking the caller; see
     * {@link #completionAsync(ChatRequest)}.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the response future
     * @throws NullPointerException at once if an argument is null
     */
    public CompletableFuture<ChatResponse> completionAsync(ChatRequest request, RequestOptions options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        return engine.execute(request, options);
    }

    /**
     * Streams the answer: iterate the returned {@link ChatStream} for the chunks, in order, as
     * they arrive; close it (try-with-resources) to stop early, which cancels the HTTP call.
     * Failures before the first chunk are retried and fall back like {@link #completion}, unseen;
     * a failure after it (the provider's, a timeout's or the deadline's) ends the iteration with a
     * {@link io.llmrouter.api.exception.StreamInterruptedException} carrying the text so far.
     *
     * <p>Threads: when the deployment's adapter reads streams on the caller's thread
     * ({@link io.llmrouter.spi.Provider#openStream}: the bundled OpenAI-family, Azure OpenAI,
     * Anthropic, Gemini and Vertex AI adapters), this method sends the request and reads up to the
     * first chunk on the calling thread, and each {@code hasNext()} reads the next event on the
     * iterating thread: no thread hand-off. Attempts after a retry's wait or a fallback, and other
     * adapters, deliver their chunks from the HTTP client's thread through the stream's queue.
     *
     * <pre>{@code
     * try (ChatStream stream = router.stream(request)) {
     *     for (ChatChunk chunk : stream) {
     *         chunk.text().ifPresent(System.out::print);
     *     }
     *     ChatResponse whole = stream.response();   // usage, cost, routing
     * }
     * }</pre>
     *
     * @param request the request
     * @return the stream
     * @throws RouterClosedException at once when the router is closed
     */
    public ChatStream stream(ChatRequest request) {
        return stream(request, RequestOptions.none());
    }

    /**
     * Streams with per-request overrides (deadline, retries, fallbacks, stream timeouts).
     *
     * @param request the request
     * @param options the overrides
     * @return the stream
     * @throws RouterClosedException at once when the router is closed
     */
    public ChatStream stream(ChatRequest request, RequestOptions options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        ChatStream stream = new ChatStream();
        CompletableFuture<ChatResponse> answer = engine.streamBlocking(request, options, stream::offer, stream::pullWith);
        if (engine.isClosed() && answer.isCompletedExceptionally()) {
            await(answer, request); // throws the RouterClosedException, as completion() does
        }
        stream.attach(answer);
        return stream;
    }

    /**
     * Streams without blocking: {@code onChunk} receives each chunk on the provider's thread (keep it
     * fast); the future completes with the accumulated response (usage, cost, routing) or the typed
     * failure. Cancelling the future cancels the stream.
     *
     * @param request the request
     * @param onChunk receives the chunks
     * @return the accumulated response future
     */
    public CompletableFuture<ChatResponse> streamAsync(ChatRequest request, Consumer<ChatChunk> onChunk) {
        return streamAsync(request, RequestOptions.none(), onChunk);
    }

    /**
     * Streams with per-request overrides without blocking; see {@link #streamAsync(ChatRequest, Consumer)}.
     *
     * @param request the request
     * @param options the overrides
     * @param onChunk receives the chunks
     * @return the accumulated response future
     */
    public CompletableFuture<ChatResponse> streamAsync(ChatRequest request, RequestOptions options,
            Consumer<ChatChunk> onChunk) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(onChunk, "onChunk");
        return engine.stream(request, options, onChunk);
    }

    /**
     * Embeds the request's inputs with a deployment of its model group, with the same routing,
     * retries, cooldowns, fallbacks and cost as chat completions, and waits for the answer.
     *
     * @param request the request; its model names a model group
     * @return the embeddings, with cost and routing information
     * @throws io.llmrouter.api.exception.BadRequestException before any network call if the
     *     request has no inputs or names an unknown model group, or when a deployment's provider
     *     has no embeddings
     * @throws LlmRouterException the last failure, with every attempt, when all groups failed
     * @throws RouterClosedException when the router is closed, before or during the call
     * @throws RequestCancelledException when the calling thread is interrupted
     */
    public EmbeddingResponse embedding(EmbeddingRequest request) {
        return embedding(request, RequestOptions.none());
    }

    /**
     * Embeds with per-request overrides and waits; see {@link #embedding(EmbeddingRequest)}.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the embeddings
     */
    public EmbeddingResponse embedding(EmbeddingRequest request, RequestOptions options) {
        return await(embeddingAsync(request, options), request);
    }

    /**
     * Embeds without blocking the caller; the future behaves as {@link #completionAsync(ChatRequest)}'s.
     *
     * @param request the request
     * @return the response future
     */
    public CompletableFuture<EmbeddingResponse> embeddingAsync(EmbeddingRequest request) {
        return embeddingAsync(request, RequestOptions.none());
    }

    /**
     * Embeds with per-request overrides without blocking the caller.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the response future
     */
    public CompletableFuture<EmbeddingResponse> embeddingAsync(EmbeddingRequest request, RequestOptions options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        return engine.embed(request, options);
    }

    /**
     * Sends a legacy text completion ({@code /v1/completions}) to a deployment of its model group,
     * with the same routing, retries, cooldowns, fallbacks, budgets, listeners and cost (by token
     * usage) as chat completions, and waits for the answer. Never served from the response cache.
     *
     * @param request the request; its model names a model group
     * @return the completion, with cost and routing information
     * @throws io.llmrouter.api.exception.BadRequestException before any network call if the
     *     request names an unknown model group or holds a value no provider accepts, or when a
     *     deployment's provider has no text completions
     * @throws LlmRouterException the last failure, with every attempt, when all groups failed
     * @throws RouterClosedException when the router is closed, before or during the call
     * @throws RequestCancelledException when the calling thread is interrupted
     * @since 0.1.0
     */
    public TextCompletionResponse textCompletion(TextCompletionRequest request) {
        return textCompletion(request, RequestOptions.none());
    }

    /**
     * Sends a text completion with per-request overrides and waits; see
     * {@link #textCompletion(TextCompletionRequest)}.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the completion
     * @since 0.1.0
     */
    public TextCompletionResponse textCompletion(TextCompletionRequest request, RequestOptions options) {
        return await(textCompletionAsync(request, options), request);
    }

    /**
     * Sends a text completion without blocking the caller; the future behaves as
     * {@link #completionAsync(ChatRequest)}'s.
     *
     * @param request the request
     * @return the response future
     * @since 0.1.0
     */
    public CompletableFuture<TextCompletionResponse> textCompletionAsync(TextCompletionRequest request) {
        return textCompletionAsync(request, RequestOptions.none());
    }

    /**
     * Sends a text completion with per-request overrides without blocking the caller.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the response future
     * @since 0.1.0
     */
    public CompletableFuture<TextCompletionResponse> textCompletionAsync(TextCompletionRequest request,
            RequestOptions options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        return engine.textComplete(request, options);
    }

    /**
     * Classifies the request's inputs ({@code /v1/moderations}) with a deployment of its model
     * group, with the same routing, retries, cooldowns, fallbacks, budgets and listeners as chat
     * completions, and waits for the answer. The API reports no usage: the cost is the price
     * table's per-request price, 0 when it has none (OpenAI's moderation is free). Never served
     * from the response cache.
     *
     * @param request the request; its model names a model group
     * @return one result per input, with cost and routing information
     * @throws io.llmrouter.api.exception.BadRequestException before any network call if the
     *     request names an unknown model group or holds a value no provider accepts, or when a
     *     deployment's provider has no moderation
     * @throws LlmRouterException the last failure, with every attempt, when all groups failed
     * @throws RouterClosedException when the router is closed, before or during the call
     * @throws RequestCancelledException when the calling thread is interrupted
     * @since 0.1.0
     */
    public ModerationResponse moderation(ModerationRequest request) {
        return moderation(request, RequestOptions.none());
    }

    /**
     * Classifies with per-request overrides and waits; see {@link #moderation(ModerationRequest)}.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the results
     * @since 0.1.0
     */
    public ModerationResponse moderation(ModerationRequest request, RequestOptions options) {
        return await(moderationAsync(request, options), request);
    }

    /**
     * Classifies without blocking the caller; the future behaves as
     * {@link #completionAsync(ChatRequest)}'s.
     *
     * @param request the request
     * @return the response future
     * @since 0.1.0
     */
    public CompletableFuture<ModerationResponse> moderationAsync(ModerationRequest request) {
        return moderationAsync(request, RequestOptions.none());
    }

    /**
     * Classifies with per-request overrides without blocking the caller.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the response future
     * @since 0.1.0
     */
    public CompletableFuture<ModerationResponse> moderationAsync(ModerationRequest request, RequestOptions options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        return engine.moderate(request, options);
    }

    /**
     * Ranks the request's documents by relevance to its query with a deployment of its model
     * group, with the same routing, retries, cooldowns, fallbacks, budgets and listeners as chat
     * completions, and waits for the answer. The cost is the search units billed at the price
     * table's per-query price, or the token usage for a model priced per token. Never served from
     * the response cache.
     *
     * @param request the request; its model names a model group
     * @return the ranked documents, with cost and routing information
     * @throws io.llmrouter.api.exception.BadRequestException before any network call if the
     *     request names an unknown model group or holds a value no provider accepts, or when a
     *     deployment's provider has no rerank
     * @throws LlmRouterException the last failure, with every attempt, when all groups failed
     * @throws RouterClosedException when the router is closed, before or during the call
     * @throws RequestCancelledException when the calling thread is interrupted
     * @since 0.1.0
     */
    public RerankResponse rerank(RerankRequest request) {
        return rerank(request, RequestOptions.none());
    }

    /**
     * Ranks with per-request overrides and waits; see {@link #rerank(RerankRequest)}.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the ranked documents
     * @since 0.1.0
     */
    public RerankResponse rerank(RerankRequest request, RequestOptions options) {
        return await(rerankAsync(request, options), request);
    }

    /**
     * Ranks without blocking the caller; the future behaves as {@link #completionAsync(ChatRequest)}'s.
     *
     * @param request the request
     * @return the response future
     * @since 0.1.0
     */
    public CompletableFuture<RerankResponse> rerankAsync(RerankRequest request) {
        return rerankAsync(request, RequestOptions.none());
    }

    /**
     * Ranks with per-request overrides without blocking the caller.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the response future
     * @since 0.1.0
     */
    public CompletableFuture<RerankResponse> rerankAsync(RerankRequest request, RequestOptions options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        return engine.rerank(request, options);
    }

    /**
     * Generates images ({@code /v1/images/generations}) with a deployment of its model group, with
     * the same routing, retries, cooldowns, fallbacks, budgets and listeners as chat completions,
     * and waits for the answer. The cost is per image, from the price table's entry for the
     * request's quality and size. Never served from the response cache.
     *
     * @param request the request; its model names a model group
     * @return the images, with cost and routing information
     * @throws io.llmrouter.api.exception.BadRequestException before any network call if the
     *     request names an unknown model group or holds a value no provider accepts, or when a
     *     deployment's provider has no image generation
     * @throws LlmRouterException the last failure, with every attempt, when all groups failed
     * @throws RouterClosedException when the router is closed, before or during the call
     * @throws RequestCancelledException when the calling thread is interrupted
     * @since 0.1.0
     */
    public ImageResponse imageGeneration(ImageRequest request) {
        return imageGeneration(request, RequestOptions.none());
    }

    /**
     * Generates images with per-request overrides and waits; see {@link #imageGeneration(ImageRequest)}.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the images
     * @since 0.1.0
     */
    public ImageResponse imageGeneration(ImageRequest request, RequestOptions options) {
        return await(imageGenerationAsync(request, options), request);
    }

    /**
     * Generates images without blocking the caller; the future behaves as
     * {@link #completionAsync(ChatRequest)}'s.
     *
     * @param request the request
     * @return the response future
     * @since 0.1.0
     */
    public CompletableFuture<ImageResponse> imageGenerationAsync(ImageRequest request) {
        return imageGenerationAsync(request, RequestOptions.none());
    }

    /**
     * Generates images with per-request overrides without blocking the caller.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the response future
     * @since 0.1.0
     */
    public CompletableFuture<ImageResponse> imageGenerationAsync(ImageRequest request, RequestOptions options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        return engine.generateImage(request, options);
    }

    /**
     * Speaks the request's text ({@code /v1/audio/speech}) with a deployment of its model group,
     * with the same routing, retries, cooldowns, fallbacks, budgets and listeners as chat
     * completions, and waits for the audio bytes. The cost is the text's characters at the price
     * table's per-character price. Never served from the response cache.
     *
     * @param request the request; its model names a model group
     * @return the audio, with cost and routing information
     * @throws io.llmrouter.api.exception.BadRequestException before any network call if the
     *     request names an unknown model group or holds a value no provider accepts, or when a
     *     deployment's provider has no speech
     * @throws LlmRouterException the last failure, with every attempt, when all groups failed
     * @throws RouterClosedException when the router is closed, before or during the call
     * @throws RequestCancelledException when the calling thread is interrupted
     * @since 0.1.0
     */
    public SpeechResponse speech(SpeechRequest request) {
        return speech(request, RequestOptions.none());
    }

    /**
     * Speaks with per-request overrides and waits; see {@link #speech(SpeechRequest)}.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the audio
     * @since 0.1.0
     */
    public SpeechResponse speech(SpeechRequest request, RequestOptions options) {
        return await(speechAsync(request, options), request);
    }

    /**
     * Speaks without blocking the caller; the future behaves as {@link #completionAsync(ChatRequest)}'s.
     *
     * @param request the request
     * @return the response future
     * @since 0.1.0
     */
    public CompletableFuture<SpeechResponse> speechAsync(SpeechRequest request) {
        return speechAsync(request, RequestOptions.none());
    }

    /**
     * Speaks with per-request overrides without blocking the caller.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the response future
     * @since 0.1.0
     */
    public CompletableFuture<SpeechResponse> speechAsync(SpeechRequest request, RequestOptions options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        return engine.speech(request, options);
    }

    /**
     * Transcribes the request's audio ({@code /v1/audio/transcriptions}, a multipart upload) with a
     * deployment of its model group, with the same routing, retries, cooldowns, fallbacks, budgets
     * and listeners as chat completions, and waits for the text. The cost is the audio's seconds
     * (the request's {@code durationSeconds}, else the answer's) at the price table's per-second
     * price. Never served from the response cache.
     *
     * @param request the request; its model names a model group
     * @return the text, with cost and routing information
     * @throws io.llmrouter.api.exception.BadRequestException before any network call if the
     *     request names an unknown model group or holds a value no provider accepts, or when a
     *     deployment's provider has no transcription
     * @throws LlmRouterException the last failure, with every attempt, when all groups failed
     * @throws RouterClosedException when the router is closed, before or during the call
     * @throws RequestCancelledException when the calling thread is interrupted
     * @since 0.1.0
     */
    public TranscriptionResponse transcription(TranscriptionRequest request) {
        return transcription(request, RequestOptions.none());
    }

    /**
     * Transcribes with per-request overrides and waits; see {@link #transcription(TranscriptionRequest)}.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the text
     * @since 0.1.0
     */
    public TranscriptionResponse transcription(TranscriptionRequest request, RequestOptions options) {
        return await(transcriptionAsync(request, options), request);
    }

    /**
     * Transcribes without blocking the caller; the future behaves as
     * {@link #completionAsync(ChatRequest)}'s.
     *
     * @param request the request
     * @return the response future
     * @since 0.1.0
     */
    public CompletableFuture<TranscriptionResponse> transcriptionAsync(TranscriptionRequest request) {
        return transcriptionAsync(request, RequestOptions.none());
    }

    /**
     * Transcribes with per-request overrides without blocking the caller.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the response future
     * @since 0.1.0
     */
    public CompletableFuture<TranscriptionResponse> transcriptionAsync(TranscriptionRequest request,
            RequestOptions options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        return engine.transcribe(request, options);
    }

    /**
     * Passes an OpenAI Responses API request ({@code /v1/responses}) to a deployment of its model
     * group, its {@code model} set to the deployment's, with the same routing, retries, cooldowns,
     * fallbacks, budgets and listeners as chat completions, and waits for the answer, returned as
     * the provider sent it. The cost is by token usage ({@code usage.input_tokens},
     * {@code output_tokens}). Not streamed; never served from the response cache.
     *
     * @param request the request; its model names a model group
     * @return the answer, with usage, cost and routing information
     * @throws io.llmrouter.api.exception.BadRequestException before any network call if the
     *     request names an unknown model group or holds a value no provider accepts, or when a
     *     deployment's provider has no Responses API
     * @throws LlmRouterException the last failure, with every attempt, when all groups failed
     * @throws RouterClosedException when the router is closed, before or during the call
     * @throws RequestCancelledException when the calling thread is interrupted
     * @since 0.1.0
     */
    public ResponsesResponse responses(ResponsesRequest request) {
        return responses(request, RequestOptions.none());
    }

    /**
     * Passes a Responses API request with per-request overrides and waits; see
     * {@link #responses(ResponsesRequest)}.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the answer
     * @since 0.1.0
     */
    public ResponsesResponse responses(ResponsesRequest request, RequestOptions options) {
        return await(responsesAsync(request, options), request);
    }

    /**
     * Passes a Responses API request without blocking the caller; the future behaves as
     * {@link #completionAsync(ChatRequest)}'s.
     *
     * @param request the request
     * @return the response future
     * @since 0.1.0
     */
    public CompletableFuture<ResponsesResponse> responsesAsync(ResponsesRequest request) {
        return responsesAsync(request, RequestOptions.none());
    }

    /**
     * Passes a Responses API request with per-request overrides without blocking the caller.
     *
     * @param request the request
     * @param options overrides of the deadline, retries and fallbacks
     * @return the response future
     * @since 0.1.0
     */
    public CompletableFuture<ResponsesResponse> responsesAsync(ResponsesRequest request, RequestOptions options) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        return engine.responses(request, options);
    }

    /**
     * The router's effective configuration: groups, deployments (no secrets), fallback chains,
     * retries, cooldowns, timeouts, strategy and budgets, every value marked set or default; as
     * Markdown or JSON.
     */
    public RouterDescription describe() {
        Map<String, String> aliases = engine.aliases();
        if (aliases.isEmpty()) {
            return new RouterInventory(engine).describe();
        }
        Set<String> listedGroups = engine.listedGroups();
        Map<String, String> labels = new LinkedHashMap<>();
        aliases.forEach((alias, group) -> labels.put(alias, listedGroups.contains(alias) ? group : group + " (hidden)"));
        return new RouterInventory(engine).aliases(labels).describe();
    }

    /**
     * Risky configurations, found without any call: groups without fallback, fallback chains that
     * loop, fallbacks lacking a capability the primary has, one alias over different models,
     * rpm/tpm missing under the usage strategy, unpriced models (under budgets: an error).
     */
    public List<ConfigurationRisk> checks() {
        return new RouterInventory(engine).checks();
    }

    /** A readiness drill over this router: rehearses each group's outage; see {@link ReadinessDrill}. */
    public ReadinessDrill readinessDrill() {
        return new ReadinessDrill(this, engine);
    }

    /** What the router has spent since it was built, by deployment, provider, model group, user and tag. */
    public SpendReport spend() {
        return engine.spend();
    }

    /** Every budget's spend, reservations and next reset, in the order they were added. */
    public List<BudgetStatus> budgetStatuses() {
        return engine.budgetStatuses();
    }

    /**
     * Adds a budget while the router runs, as {@link Builder#budget(Budget)} does at build time,
     * replacing the budget of the same scope, key and period if there is one (a gateway creating or
     * updating a virtual key's {@link Budget#forApiKey(String) API-key budget}). Requests that start
     * afterwards are checked against it with the same strict reservation. A budget's spend lives in
     * the state store under an id made of its scope, key, period and limit: replacing a budget with
     * one of the same limit keeps its spend; another limit starts from the store's spend for that id.
     * Not on the request path: changes are serialized and copy the budget list.
     *
     * @param budget the budget
     * @throws NullPointerException if {@code budget} is null
     * @since 0.1.0
     */
    public void putBudget(Budget budget) {
        engine.putBudget(Objects.requireNonNull(budget, "budget"), null);
    }

    /**
     * Adds a budget as {@link #putBudget(Budget)} does and seeds its current period's spend: the
     * spend in the state store is raised to at least {@code spentUsd} (never lowered), so routers
     * that share a store (Redis) and seed alike from the same database count it once.
     *
     * @param budget the budget
     * @param spentUsd what was already spent in the budget's current period, not negative
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code spentUsd} is negative
     * @since 0.1.0
     */
    public void putBudget(Budget budget, BigDecimal spentUsd) {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(spentUsd, "spentUsd");
        if (spentUsd.signum() < 0) {
            throw new IllegalArgumentException("spentUsd must not be negative, was " + spentUsd.toPlainString());
        }
        engine.putBudget(budget, spentUsd);
    }

    /**
     * Removes the budget of {@code budget}'s scope, key and period (its limit is not compared), if
     * there is one; requests in flight settle their reservations as usual.
     *
     * @param budget the budget, or one of the same scope, key and period
     * @return whether a budget was removed
     * @throws NullPointerException if {@code budget} is null
     * @since 0.1.0
     */
    public boolean removeBudget(Budget budget) {
        return engine.removeBudget(Objects.requireNonNull(budget, "budget"));
    }

    /**
     * A snapshot of every deployment's health (available, cooling down until when, probing), in
     * definition order.
     */
    public List<DeploymentStatus> deploymentStatuses() {
        return engine.statuses();
    }

    /**
     * The model groups callers may name, in definition order, followed by the aliases that are not
     * hidden ({@link Builder#alias(String, String, boolean)}).
     */
    public Set<String> modelGroups() {
        return engine.listedGroups();
    }

    /** The deployments with their effective ids, in definition order. */
    public List<Deployment> deployments() {
        return engine.deployments();
    }

    /**
     * The fallback policy in force: the built one, or the last one a live change set.
     *
     * @since 0.1.0
     */
    public FallbackPolicy fallbackPolicy() {
        return engine.effectiveSettings().fallbackPolicy();
    }

    /**
     * The retry policy the router was built with (it does not change live).
     *
     * @since 0.1.0
     */
    public RetryPolicy retryPolicy() {
        return engine.effectiveSettings().retryPolicy();
    }

    /**
     * The cooldown policy the router was built with (it does not change live).
     *
     * @since 0.1.0
     */
    public CooldownPolicy cooldownPolicy() {
        return engine.effectiveSettings().cooldownPolicy();
    }

    /**
     * The timeouts the router was built with (they do not change live).
     *
     * @since 0.1.0
     */
    public Timeouts timeouts() {
        return engine.effectiveSettings().timeouts();
    }

    /**
     * The routing strategy the router was built with (it does not change live).
     *
     * @since 0.1.0
     */
    public RoutingStrategy strategy() {
        return engine.effectiveSettings().strategy();
    }

    /**
     * Whether requests' tags choose deployments ({@link Builder#filterByTags()}); it does not change live.
     *
     * @since 0.1.0
     */
    public boolean isFilteringByTags() {
        return engine.effectiveSettings().tagFiltering();
    }

    /**
     * What deployments' rpm and tpm mean in this router: enforced limits, or selection weights only.
     *
     * @return the rate-limit mode
     * @since 0.1.0
     */
    public RateLimitMode rateLimits() {
        return engine.effectiveSettings().rateLimits();
    }

    /**
     * Replaces the whole deployment list of the running router (LiteLLM's {@code set_model_list});
     * see {@link #apply(RouterChange)} for what is kept and what happens to calls in flight. A
     * deployment without an explicit id gets its default id from the whole new list, as at
     * {@link Builder#build()}: give ids to keep identities stable when routes repeat.
     *
     * @param deployments the new list, in definition order; at least one
     * @return what changed
     * @throws IllegalArgumentException if the new configuration is invalid (nothing is applied)
     * @throws IllegalStateException if the router is closed
     * @since 0.1.0
     */
    public ChangeReport setDeployments(List<Deployment> deployments) {
        return apply(RouterChange.builder().deployments(deployments).build());
    }

    /**
     * Adds {@code deployment}, or replaces the deployment with its id (LiteLLM's
     * {@code upsert_deployment}); the other deployments keep their ids and state. A deployment
     * without an explicit id is matched by its default id, its route. See {@link #apply(RouterChange)}.
     *
     * @param deployment the deployment
     * @return what changed: one id added, replaced or unchanged
     * @throws IllegalArgumentException if the result is invalid (nothing is applied)
     * @throws IllegalStateException if the router is closed
     * @since 0.1.0
     */
    public ChangeReport upsertDeployment(Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment");
        return apply(current -> {
            List<Deployment> next = pinnedIds(current);
            boolean replaced = false;
            for (int i = 0; i < next.size(); i++) {
                if (next.get(i).id().equals(deployment.id())) {
                    next.set(i, deployment);
                    replaced = true;
                }
            }
            if (!replaced) {
                next.add(deployment);
            }
            return next;
        }, null, null, Set.of());
    }

    /**
     * Removes the deployment with this id (LiteLLM's {@code delete_deployment}): no new request
     * goes to it; calls in flight on it finish and are settled as usual. A group left without
     * deployments disappears. Removing an id the router does not have changes nothing (the report
     * is empty).
     *
     * @param deploymentId the id
     * @return what changed
     * @throws IllegalArgumentException if the result is invalid, e.g. a fallback or alias names the
     *     group that would disappear, or no deployment would be left (nothing is applied)
     * @throws IllegalStateException if the router is closed
     * @since 0.1.0
     */
    public ChangeReport removeDeployment(String deploymentId) {
        Objects.requireNonNull(deploymentId, "deploymentId");
        return apply(current -> {
            if (current.stream().noneMatch(d -> d.id().equals(deploymentId))) {
                return current;
            }
            List<Deployment> next = pinnedIds(current);
            next.removeIf(d -> d.id().equals(deploymentId));
            return next;
        }, null, null, Set.of());
    }

    /**
     * Replaces the fallback policy of the running router; requests that start afterwards use it
     * (a request already running keeps the policy it started with).
     *
     * @param fallbackPolicy the new policy
     * @return what changed
     * @throws IllegalArgumentException if the policy names an unknown model group (nothing is applied)
     * @throws IllegalStateException if the router is closed
     * @since 0.1.0
     */
    public ChangeReport setFallbackPolicy(FallbackPolicy fallbackPolicy) {
        return apply(RouterChange.builder().fallbackPolicy(fallbackPolicy).build());
    }

    /**
     * Applies a live change (deployments, fallback policy, aliases) to the running router,
     * atomically: the new configuration is validated as a whole, by the rules of
     * {@link Builder#build()}, and either all of it applies or, with an
     * {@link IllegalArgumentException}, none of it. Identity is the deployment id:
     * <ul>
     * <li>a deployment whose definition did not change keeps its state: health (cooldown, breaker,
     *     failure window), calls in flight, latency, rpm/tpm usage and spend;
     * <li>a replaced deployment (same id, other definition: a new API base or key is a new
     *     endpoint) starts with fresh health, while its usage and spend, kept by id in the
     *     {@link io.llmrouter.spi.StateStore}, go on;
     * <li>a removed or replaced deployment receives no new request; calls in flight on it finish
     *     normally and are settled (cost, spend, budget) once; a retry of such a request selects
     *     again among the current deployments.
     * </ul>
     * Routing reads the configuration with one volatile read and no lock: a change never blocks a
     * request. Changes are serialized. {@link #describe()}, {@link #deploymentStatuses()},
     * {@link #deployments()} and {@link #modelGroups()} show the change at once. Settings that are
     * not part of a change (strategy, retry and cooldown policies, timeouts, state store, budgets,
     * cache policy) need a new router.
     *
     * @param change the change; parts it leaves unset stay as they are
     * @return what changed
     * @throws IllegalArgumentException if the new configuration is invalid (nothing is applied)
     * @throws IllegalStateException if the router is closed
     * @since 0.1.0
     */
    public ChangeReport apply(RouterChange change) {
        Objects.requireNonNull(change, "change");
        return apply(change.deployments().<UnaryOperator<List<Deployment>>>map(list -> current -> list).orElse(null),
                change.fallbackPolicy().orElse(null), change.aliases().orElse(null), change.hiddenAliases());
    }

    private ChangeReport apply(UnaryOperator<List<Deployment>> deployments, FallbackPolicy fallbackPolicy,
            Map<String, String> aliases, Set<String> hiddenAliases) {
        RouterEngine.Change c = engine.change(deployments, fallbackPolicy, aliases, hiddenAliases);
        return new ChangeReport(c.added(), c.replaced(), c.removed(), c.unchanged(), c.fallbackPolicyChanged(),
                c.aliasesChanged());
    }

    /** The deployments with their effective ids made explicit, so a change to others does not renumber them. */
    private static List<Deployment> pinnedIds(List<Deployment> deployments) {
        List<Deployment> out = new ArrayList<>(deployments.size());
        for (Deployment d : deployments) {
            out.add(d.hasExplicitId() ? d : d.toBuilder().id(d.id()).build());
        }
        return out;
    }

    /**
     * Closes the router at once: every call in flight ends now with a {@link RouterClosedException}
     * (its HTTP call cancelled, its in-flight count and budget reservation released; a thread
     * blocked in {@link #completion} or iterating a {@link ChatStream} gets the exception, an
     * asynchronous call's future completes with it), and every later call fails with it. Returns
     * without waiting for HTTP connections to wind down, then closes what was handed over with
     * {@link Builder#closeOnClose(AutoCloseable)}. Idempotent; a scheduler or state store given to
     * the builder is not shut down.
     */
    @Override
    public void close() {
        engine.close();
        closeOwned();
    }

    /**
     * Closes the router gracefully: refuses new calls at once (they fail with
     * {@link RouterClosedException}), waits up to {@code grace} for the calls in flight to finish,
     * then {@link #close() closes} it, ending those still running. Idempotent.
     *
     * @param grace the longest wait for calls in flight; zero closes at once
     * @return {@code true} if every call in flight finished within {@code grace}, {@code false}
     *     if some were ended by the close (or the waiting thread was interrupted; its flag is set)
     * @throws NullPointerException if {@code grace} is null
     * @throws IllegalArgumentException if {@code grace} is negative
     * @since 0.1.0
     */
    public boolean close(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, was " + grace);
        }
        boolean finished = engine.close(grace);
        closeOwned();
        return finished;
    }

    /**
     * Whether {@link #close()} or {@link #close(Duration)} has been called.
     *
     * @since 0.1.0
     */
    public boolean isClosed() {
        return engine.isClosed();
    }

    @Override
    public String toString() {
        return "Router[groups=" + engine.modelGroups() + ", deployments=" + engine.deployments().size() + "]";
    }

    /**
     * Builds a {@link Router}; not thread-safe. Reliability settings come as policies:
     * {@link #retryPolicy(RetryPolicy)}, {@link #cooldownPolicy(CooldownPolicy)},
     * {@link #fallbackPolicy(FallbackPolicy)} and {@link #timeouts(Timeouts)}; each also has a form
     * that adjusts the builder's current policy, e.g. {@code retryPolicy(r -> r.numRetries(3))}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final List<Deployment> deployments = new ArrayList<>();
        private final Map<String, Provider> providers = new LinkedHashMap<>();
        private RoutingStrategy strategy = WeightedShuffleStrategy.instance();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private CooldownPolicy cooldownPolicy = CooldownPolicy.defaults();
        private FallbackPolicy fallbackPolicy = FallbackPolicy.defaults();
        private Timeouts timeouts = Timeouts.defaults();
        private int maxSpendKeys = DEFAULT_MAX_SPEND_KEYS;
        private RateLimitMode rateLimits = DEFAULT_RATE_LIMITS;
        private io.llmrouter.spi.StateStore stateStore;
        private boolean tagFiltering;
        private final List<Budget> budgets = new ArrayList<>();
        private final List<RouterListener> listeners = new ArrayList<>();
        private final List<RequestInterceptor> interceptors = new ArrayList<>();
        private final List<ResponseRule> responseRules = new ArrayList<>();
        private PriceTable priceTable;
        private RandomGenerator random;
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;
        private CachePolicy cachePolicy = CachePolicy.disabled();
        private final Map<String, String> aliases = new LinkedHashMap<>();
        private final Set<String> hiddenAliases = new java.util.HashSet<>();
        private int maxQueuedRequests = DEFAULT_MAX_QUEUED_REQUESTS;
        private int maxOvertakes = DEFAULT_MAX_OVERTAKES;
        private final Map<String, Function<ChatRequest, ChatResponse>> degradedAnswers = new LinkedHashMap<>();
        private final List<AutoCloseable> owned = new ArrayList<>();

        private Builder() {
        }

        /**
         * The most requests one model group's queue holds while they wait for capacity (every
         * deployment they may use at its max parallel requests, or, for a request with a
         * {@linkplain RequestOptions#priority() priority}, over its rpm/tpm limit); default
         * {@value Router#DEFAULT_MAX_QUEUED_REQUESTS}. A request that finds the queue full fails at
         * once with a {@link io.llmrouter.api.exception.RateLimitException} (status 429), which
         * falls back like any failure of the group. See {@code src-docs/request-control.md}.
         *
         * @param maxQueuedRequests at least 0 (0: no request waits)
         * @return this builder
         * @throws IllegalArgumentException if negative
         * @since 0.1.0
         */
        public Builder maxQueuedRequests(int maxQueuedRequests) {
            if (maxQueuedRequests < 0) {
                throw new IllegalArgumentException("maxQueuedRequests must not be negative, was " + maxQueuedRequests);
            }
            this.maxQueuedRequests = maxQueuedRequests;
            return this;
        }

        /**
         * The starvation bound of the model groups' queues: once a request is the longest waiting
         * of its group, at most this many others (of higher priority) are woken ahead of it,
         * then it goes next; default {@value Router#DEFAULT_MAX_OVERTAKES}. A waiting request
         * therefore goes within {@code (its position by arrival) x (maxOvertakes + 1)} turns,
         * whatever its priority. See {@code src-docs/request-control.md}.
         *
         * @param maxOvertakes at least 0 (0: first come, first served, priorities ignored)
         * @return this builder
         * @throws IllegalArgumentException if negative
         * @since 0.1.0
         */
        public Builder maxOvertakes(int maxOvertakes) {
            if (maxOvertakes < 0) {
                throw new IllegalArgumentException("maxOvertakes must not be negative, was " + maxOvertakes);
            }
            this.maxOvertakes = maxOvertakes;
            return this;
        }

        /**
         * The answer of last resort of {@code modelGroup}: when every deployment and every
         * fallback failed because the providers could not answer (server errors, connection
         * failures, rate limits, timeouts and deadlines, no deployment available, invalid answers,
         * authentication, permission or not-found errors), the caller gets {@code answer}'s
         * response instead of the failure, marked {@linkplain
         * io.llmrouter.api.chat.RoutingInfo#isDegraded() degraded} in its routing information (with
         * the failed attempts), with a zero cost, charged to nobody, never cached, and reported to
         * listeners by {@link RouterListener#onDegradedAnswer}. A bad request, a content-policy
         * refusal, a budget refusal, a cancel or a closed router still fails, and so does a stream
         * that already sent chunks; a stream that failed before its first chunk gets the answer as
         * one chunk. The group the request named is asked first, else the last group tried. When
         * {@code answer} throws (or returns null), the caller gets the original failure with that
         * exception suppressed in it. {@code answer} runs on the thread that saw the failure (the
         * caller's, a provider's or the router's scheduler): keep it quick. Chat only (blocking,
         * async and streaming), not embeddings. Setting it again replaces it.
         *
         * @param modelGroup a model group; must exist at {@link #build()}
         * @param answer makes the answer from the request
         * @return this builder
         * @since 0.1.0
         */
        public Builder degradedAnswer(String modelGroup, Function<ChatRequest, ChatResponse> answer) {
            Objects.requireNonNull(modelGroup, "modelGroup");
            degradedAnswers.put(modelGroup, Objects.requireNonNull(answer, "answer"));
            return this;
        }

        /**
         * A fixed {@linkplain #degradedAnswer(String, Function) answer of last resort} for
         * {@code modelGroup}: an assistant message with {@code text} and finish reason
         * {@code stop}, whose model is the requested one.
         *
         * @param modelGroup a model group; must exist at {@link #build()}
         * @param text the answer's text
         * @return this builder
         * @since 0.1.0
         */
        public Builder degradedAnswer(String modelGroup, String text) {
            Objects.requireNonNull(modelGroup, "modelGroup");
            Objects.requireNonNull(text, "text");
            degradedAnswers.put(modelGroup, new FixedAnswer(text, null));
            return this;
        }

        /** A fixed degraded answer; its clock (for {@code created}) is the router's, set at build. */
        private record FixedAnswer(String text, Clock clock) implements Function<ChatRequest, ChatResponse> {
            @Override
            public ChatResponse apply(ChatRequest request) {
                return ChatResponse.builder().id("degraded-" + UUID.randomUUID())
                        .created(clock.instant().getEpochSecond()).model(request.model())
                        .addChoice(Choice.of(0, Message.assistant(text), FinishReason.STOP)).build();
            }
        }

        /**
         * The response cache: off by default ({@link CachePolicy#disabled()}); e.g.
         * {@code cache(CachePolicy.builder().ttl(Duration.ofHours(1)).build())} caches every model
         * group in memory. See {@code src-docs/caching.md}.
         *
         * @param cachePolicy the policy
         * @return this builder
         * @since 0.1.0
         */
        public Builder cache(CachePolicy cachePolicy) {
            this.cachePolicy = Objects.requireNonNull(cachePolicy, "cachePolicy");
            return this;
        }

        /** Adds a deployment. */
        public Builder deployment(Deployment deployment) {
            deployments.add(Objects.requireNonNull(deployment, "deployment"));
            return this;
        }

        /** Adds deployments. */
        public Builder deployments(Collection<Deployment> deployments) {
            Objects.requireNonNull(deployments, "deployments").forEach(this::deployment);
            return this;
        }

        /** The routing strategy; default {@link WeightedShuffleStrategy}. */
        public Builder strategy(RoutingStrategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** How model groups are retried (counts, backoff, retry-after cap); default {@link RetryPolicy#defaults()}. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** Adjusts the current retry policy, e.g. {@code r -> r.numRetries(3).backoff(initial, max)}. */
        public Builder retryPolicy(Consumer<RetryPolicy.Builder> adjust) {
            RetryPolicy.Builder b = retryPolicy.toBuilder();
            Objects.requireNonNull(adjust, "adjust").accept(b);
            return retryPolicy(b.build());
        }

        /** When and for how long failing deployments leave rotation; default {@link CooldownPolicy#defaults()}. */
        public Builder cooldownPolicy(CooldownPolicy cooldownPolicy) {
            this.cooldownPolicy = Objects.requireNonNull(cooldownPolicy, "cooldownPolicy");
            return this;
        }

        /** Adjusts the current cooldown policy, e.g. {@code c -> c.allowedFails(5).cooldownTime(Duration.ofSeconds(30))}. */
        public Builder cooldownPolicy(Consumer<CooldownPolicy.Builder> adjust) {
            CooldownPolicy.Builder b = cooldownPolicy.toBuilder();
            Objects.requireNonNull(adjust, "adjust").accept(b);
            return cooldownPolicy(b.build());
        }

        /** Which groups to try when a group fails; default none ({@link FallbackPolicy#defaults()}). */
        public Builder fallbackPolicy(FallbackPolicy fallbackPolicy) {
            this.fallbackPolicy = Objects.requireNonNull(fallbackPolicy, "fallbackPolicy");
            return this;
        }

        /** Adjusts the current fallback policy, e.g. {@code f -> f.fallbacks("gpt-4o", "claude")}. */
        public Builder fallbackPolicy(Consumer<FallbackPolicy.Builder> adjust) {
            FallbackPolicy.Builder b = fallbackPolicy.toBuilder();
            Objects.requireNonNull(adjust, "adjust").accept(b);
            return fallbackPolicy(b.build());
        }

        /** The per-call, stream and whole-request time limits; default {@link Timeouts#defaults()}. */
        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        /** Adjusts the current timeouts, e.g. {@code t -> t.callTimeout(Duration.ofSeconds(30))}. */
        public Builder timeouts(Consumer<Timeouts.Builder> adjust) {
            Timeouts.Builder b = timeouts.toBuilder();
            Objects.requireNonNull(adjust, "adjust").accept(b);
            return timeouts(b.build());
        }

        /**
         * Routes by tags: a request with tags goes only to deployments carrying at least one of
         * them; an untagged request, and one whose tags match no deployment, goes to deployments
         * tagged {@code "default"} when the group has any (tags matching nothing and no such
         * deployment: {@link io.llmrouter.api.exception.NoDeploymentAvailableException}).
         * Off by default, so tags used only for spend reports never restrict routing.
         */
        public Builder filterByTags() {
            this.tagFiltering = true;
            return this;
        }

        /**
         * Adds a spend budget; see {@link Budget} for what each scope guards. A request that would
         * exceed a user, tag, group or global budget fails with
         * {@link io.llmrouter.api.exception.BudgetExceededException} before any provider call; a
         * deployment or provider budget that cannot afford a request takes that deployment out of
         * rotation.
         */
        public Builder budget(Budget budget) {
            budgets.add(Objects.requireNonNull(budget, "budget"));
            return this;
        }

        /**
         * What deployments' rpm and tpm mean: limits that also weigh selection
         * ({@link RateLimitMode#ENFORCED}, the default {@link Router#DEFAULT_RATE_LIMITS}), or
         * selection weights only ({@link RateLimitMode#WEIGHTS_ONLY}, LiteLLM's meaning under its
         * default simple-shuffle routing). {@link Router#describe()} shows which applies.
         *
         * @param mode the meaning
         * @return this builder
         * @since 0.1.0
         */
        public Builder rateLimits(RateLimitMode mode) {
            this.rateLimits = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * How many end users, and separately how many tags, {@link Router#spend()} lists one by
         * one, 0 or more; default {@value Router#DEFAULT_MAX_SPEND_KEYS}. Past the limit the keys
         * used least often and recently are dropped and their spend is added to
         * {@link SpendReport#otherUsers()} or {@link SpendReport#otherTags()}, so spend tracking
         * holds bounded memory however many users a service has, and the totals stay exact.
         * Budgets are not affected: a {@link Budget#forUser(String) user budget} keeps its own
         * ledger.
         */
        public Builder maxSpendKeys(int maxSpendKeys) {
            if (maxSpendKeys < 0) {
                throw new IllegalArgumentException("maxSpendKeys must not be negative, was " + maxSpendKeys);
            }
            this.maxSpendKeys = maxSpendKeys;
            return this;
        }

        /**
         * Where the router keeps the state that routers sharing it act on as one: deployment
         * health transitions, per-minute rpm/tpm usage, spend totals, budget reservations and
         * latency samples. Default: a private in-memory store built with the router (and
         * {@link #maxSpendKeys(int)}), which is lock-free and allocation-free on the request
         * path. Give a shared store (e.g. Redis) so that several routers enforce one set of
         * limits and budgets; the store's times come from this router's {@link #clock(Clock)}.
         *
         * @param stateStore the store
         * @return this builder
         * @since 0.1.0
         */
        public Builder stateStore(io.llmrouter.spi.StateStore stateStore) {
            this.stateStore = Objects.requireNonNull(stateStore, "stateStore");
            return this;
        }

        /**
         * Adds a request interceptor at the end of the chain: before each attempt's provider call
         * it may send the request unchanged or changed, refuse it, or answer it itself (see
         * {@link RequestInterceptor} and {@code src-docs/request-control.md}). None by default.
         *
         * @param interceptor the interceptor
         * @return this builder
         * @since 0.1.0
         */
        public Builder interceptor(RequestInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Adds a response rule at the end of the list: it checks each provider answer, and a
         * rejection is a failure of that deployment, retried and fallen back from (see
         * {@link ResponseRule} and {@code src-docs/request-control.md}). None by default.
         *
         * @param rule the rule
         * @return this builder
         * @since 0.1.0
         */
        public Builder responseRule(ResponseRule rule) {
            responseRules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** Adds a listener. */
        public Builder listener(RouterListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Serves deployments whose route starts with {@code prefix + "/"} by {@code provider},
         * ahead of providers found through {@link java.util.ServiceLoader}.
         */
        public Builder provider(String prefix, Provider provider) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.isBlank() || prefix.contains("/")) {
                throw new IllegalArgumentException("prefix must be a non-blank route prefix without '/', was '" + prefix + "'");
            }
            providers.put(prefix.toLowerCase(Locale.ROOT), Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /** The price table; default {@link PriceTable#bundled()}. */
        public Builder priceTable(PriceTable priceTable) {
            this.priceTable = Objects.requireNonNull(priceTable, "priceTable");
            return this;
        }

        /** The random source for strategies and jitter (seed it in tests); default thread-local. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The clock for cooldowns (inject a fixed or virtual one in tests); default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The scheduler for backoff and timeouts; default the router's own single daemon thread,
         * which ends after 2 s with nothing to run and comes back with the next timer (so a router
         * needs no close to release it). A scheduler passed here is not shut down by
         * {@link Router#close()}.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Builds the router; resolves each deployment's provider and price.
         *
         * @throws IllegalStateException if there are no deployments, an id repeats, a route
         *     prefix has no provider, or a fallback or the cache policy names an unknown group
         */
        public Router build() {
            RouterEngine engine;
            try {
                engine = newEngine();
            } catch (RuntimeException e) {
                closeAll(owned);
                throw e;
            }
            return new Router(engine, List.copyOf(owned));
        }

        private RouterEngine newEngine() {
            RouterEngine engine = new RouterEngine(new RouterSettings(List.copyOf(deployments), Map.copyOf(providers),
                    strategy, retryPolicy, cooldownPolicy, fallbackPolicy, timeouts, tagFiltering, List.copyOf(budgets),
                    List.copyOf(listeners), priceTable != null ? priceTable : PriceTable.bundled(), random, clock,
                    scheduler, maxSpendKeys, stateStore, rateLimits).validated(), cachePolicy, aliases, hiddenAliases,
                    new QueueSettings(maxQueuedRequests, maxOvertakes), new DegradedAnswers(withClock(degradedAnswers, clock)),
                    List.copyOf(interceptors), List.copyOf(responseRules));
            for (String group : degradedAnswers.keySet()) {
                if (!engine.modelGroups().contains(group)) {
                    engine.close();
                    throw new IllegalStateException("degradedAnswer names unknown model group '" + group + "'; known: "
                            + engine.modelGroups());
                }
            }
            return engine;
        }

        /**
         * Hands {@code resource} over to the router: {@link Router#close()} (and
         * {@link Router#close(Duration)}) closes it once the router's calls have ended, the last
         * handed over first, e.g. a state store or cache backend made for this router alone (the
         * LiteLLM config loader hands over the Redis clients it creates). A failing
         * {@link #build()} closes it at once. A resource closing with an exception is logged (its
         * type only) and the others are still closed.
         *
         * @param resource what the router owns from now on
         * @return this builder
         * @since 0.1.0
         */
        public Builder closeOnClose(AutoCloseable resource) {
            owned.add(Objects.requireNonNull(resource, "resource"));
            return this;
        }

        private static Map<String, Function<ChatRequest, ChatResponse>> withClock(
                Map<String, Function<ChatRequest, ChatResponse>> answers, Clock clock) {
            Map<String, Function<ChatRequest, ChatResponse>> out = new LinkedHashMap<>();
            answers.forEach((group, answer) -> out.put(group,
                    answer instanceof FixedAnswer f ? new FixedAnswer(f.text(), clock) : answer));
            return out;
        }

        /**
         * Lets callers name {@code modelGroup} as {@code alias} too (LiteLLM's
         * {@code model_group_alias}): a request for the alias is routed, retried, cooled down,
         * fallen back and priced exactly as one for the group. A hidden alias works the same but
         * is not listed in {@link Router#modelGroups()}. Setting an alias again replaces it.
         *
         * @param alias the name callers may use; must not be a model group
         * @param modelGroup the group it resolves to; must exist at {@link #build()}
         * @param hidden whether {@link Router#modelGroups()} leaves it out
         * @throws IllegalArgumentException if a name is blank
         */
        public Builder alias(String alias, String modelGroup, boolean hidden) {
            Objects.requireNonNull(alias, "alias");
            Objects.requireNonNull(modelGroup, "modelGroup");
            if (alias.isBlank() || modelGroup.isBlank()) {
                throw new IllegalArgumentException("alias and modelGroup must not be blank: '" + alias + "' -> '"
                        + modelGroup + "'");
            }
            aliases.put(alias, modelGroup);
            if (hidden) {
                hiddenAliases.add(alias);
            } else {
                hiddenAliases.remove(alias);
            }
            return this;
        }
    }
}
