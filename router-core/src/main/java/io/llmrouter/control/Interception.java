package io.llmrouter.control;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Cost;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link RequestInterceptor}'s decision about one attempt: proceed (with the request unchanged or
 * changed), refuse, or answer without calling the provider.
 *
 * <ul>
 *   <li>{@link #proceed()} and {@link #proceed(ChatRequest)}: the next interceptor, then the
 *       provider, get the request;
 *   <li>{@link #refuse(String)}: the request ends with a
 *       {@link io.llmrouter.api.exception.RequestRefusedException} carrying the reason: not
 *       retried, no fallback, no deployment's health touched;
 *   <li>{@link #answer(ChatResponse)}: the response is the request's answer, with
 *       {@link io.llmrouter.api.chat.RoutingInfo#interceptor()} set; no provider is called and the
 *       cost is 0 unless given with {@link #answer(ChatResponse, Cost)}. Response rules do not
 *       check it; a streaming caller receives it as chunks.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Interception {

    /** What the decision is. */
    public enum Action {
        /** Send the request (as it is or changed). */
        PROCEED,
        /** Refuse the request. */
        REFUSE,
        /** Answer the request without calling the provider. */
        ANSWER
    }

    private static final Interception PROCEED_UNCHANGED = new Interception(Action.PROCEED, null, null, null, null);

    private final Action action;
    private final ChatRequest request;
    private final String reason;
    private final ChatResponse answer;
    private final Cost cost;

    private Interception(Action action, ChatRequest request, String reason, ChatResponse answer, Cost cost) {
        this.action = action;
        this.request = request;
        this.reason = reason;
        this.answer = answer;
        this.cost = cost;
    }

    /** Sends the request as this interceptor received it (no allocation). */
    public static Interception proceed() {
        return PROCEED_UNCHANGED;
    }

    /**
     * Sends {@code request} in place of the one received: the provider receives it, and cost
     * estimates and later interceptors and rules see it. Its model is still replaced with the
     * deployment's.
     *
     * @param request the request to send
     * @return the decision
     */
    public static Interception proceed(ChatRequest request) {
        return new Interception(Action.PROCEED, Objects.requireNonNull(request, "request"), null, null, null);
    }

    /**
     * Refuses the request.
     *
     * @param reason why, for the caller (no secrets)
     * @return the decision
     * @throws IllegalArgumentException if {@code reason} is blank
     */
    public static Interception refuse(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank");
        }
        return new Interception(Action.REFUSE, null, reason, null, null);
    }

    /**
     * Answers the request with {@code response}, at no cost.
     *
     * @param response the answer
     * @return the decision
     */
    public static Interception answer(ChatResponse response) {
        return new Interception(Action.ANSWER, null, null, Objects.requireNonNull(response, "response"), null);
    }

    /**
     * Answers the request with {@code response}, charging {@code cost} to the spend and budgets.
     *
     * @param response the answer
     * @param cost what the answer cost
     * @return the decision
     */
    public static Interception answer(ChatResponse response, Cost cost) {
        return new Interception(Action.ANSWER, null, null, Objects.requireNonNull(response, "response"),
                Objects.requireNonNull(cost, "cost"));
    }

    /** What the decision is. */
    public Action action() {
        return action;
    }

    /** The changed request to send; empty when the request goes unchanged, or for a refusal or answer. */
    public Optional<ChatRequest> request() {
        return Optional.ofNullable(request);
    }

    /** The refusal's reason; empty unless {@link Action#REFUSE}. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** The answer; empty unless {@link Action#ANSWER}. */
    public Optional<ChatResponse> answer() {
        return Optional.ofNullable(answer);
    }

    /** The answer's cost when the interceptor gave one; empty means 0. */
    public Optional<Cost> cost() {
        return Optional.ofNullable(cost);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Interception i && action == i.action && Objects.equals(request, i.request)
                && Objects.equals(reason, i.reason) && Objects.equals(answer, i.answer) && Objects.equals(cost, i.cost);
    }

    @Override
    public int hashCode() {
        return Objects.hash(action, request, reason, answer, cost);
    }

    @Override
    public String toString() {
        return switch (action) {
            case PROCEED -> request == null ? "Interception[proceed]" : "Interception[proceed with a changed request]";
            case REFUSE -> "Interception[refuse: " + reason + "]";
            case ANSWER -> "Interception[answer" + (cost == null ? "" : ", cost=" + cost) + "]";
        };
    }
}
