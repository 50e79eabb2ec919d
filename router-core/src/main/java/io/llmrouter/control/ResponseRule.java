package io.llmrouter.control;

import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;

/**
 * Checks a deployment's answer after the call: accepts it, or rejects it with a reason. A rejection
 * is a failure of that deployment for this request
 * ({@link io.llmrouter.FailureKind#RESPONSE_REJECTED}): it is retried and fallen back from like a
 * server error, within the {@link io.llmrouter.RetryPolicy}'s limits for that kind; it counts
 * toward the deployment's cooldown only when {@link #countsTowardCooldown()} says so. The rejected
 * answer was paid for: its cost is settled to the spend and budgets all the same, and listeners
 * see the attempt fail with the reason. When no attempt is left, the caller gets a
 * {@link io.llmrouter.api.exception.ResponseRejectedException} naming the rule and the reason.
 *
 * <p>Rules run in the order they were registered with
 * {@link io.llmrouter.Router.Builder#responseRule(ResponseRule)}; the first rejection decides. They
 * check chat answers from providers (blocking, asynchronous and streaming calls), not answers from
 * the response cache or an interceptor. For a stream, {@link #check} runs on the assembled answer
 * at its end (its chunks have reached the caller by then, so a rejection ends the stream with a
 * {@link io.llmrouter.api.exception.StreamInterruptedException} caused by the rejection); a rule
 * whose {@link #checksChunks()} is true also checks each chunk as it arrives, before the caller
 * gets it: a rejected chunk ends the attempt, which is retried or falls back when no chunk has
 * reached the caller yet.
 *
 * <p>Implementations must be thread-safe and fast (they run on the thread that ended the call). An
 * exception thrown by a rule ends the request with an
 * {@link io.llmrouter.api.exception.InterceptorException}; it is not retried.
 *
 * <pre>{@code
 * ResponseRule notEmpty = (attempt, request, response) -> response.text().isBlank()
 *         ? RuleVerdict.reject("empty answer")
 *         : RuleVerdict.accept();
 * Router router = Router.builder().deployment(d).responseRule(notEmpty).build();
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ResponseRule {

    /**
     * Checks a whole answer.
     *
     * @param attempt the attempt that produced it
     * @param request the request as it was sent (after the interceptors)
     * @param response the provider's answer, before the router adds cost and routing
     * @return the verdict, never null
     */
    RuleVerdict check(AttemptContext attempt, ChatRequest request, ChatResponse response);

    /**
     * Whether this rule also checks each streamed chunk with {@link #checkChunk}; default false.
     */
    default boolean checksChunks() {
        return false;
    }

    /**
     * Checks one streamed chunk before the caller receives it (only when {@link #checksChunks()}).
     *
     * @param attempt the attempt streaming it
     * @param chunk the chunk
     * @param textSoFar the text of the stream so far, this chunk's included
     * @return the verdict; by default accept
     */
    default RuleVerdict checkChunk(AttemptContext attempt, ChatChunk chunk, String textSoFar) {
        return RuleVerdict.accept();
    }

    /**
     * Whether a rejection by this rule counts toward the deployment's cooldown (as a failure of kind
     * {@link io.llmrouter.FailureKind#RESPONSE_REJECTED}, under the {@link io.llmrouter.CooldownPolicy});
     * default false: the deployment answered, so its health is unaffected.
     */
    default boolean countsTowardCooldown() {
        return false;
    }

    /**
     * The name used in exceptions and listener events; default: the class's simple name (for a
     * lambda, its defining class's, plus {@code -lambda}).
     */
    default String name() {
        return RuleNames.of(getClass());
    }
}
