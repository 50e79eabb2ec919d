package io.llmrouter.internal;

import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InterceptorException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.RequestRefusedException;
import io.llmrouter.api.exception.ResponseRejectedException;
import io.llmrouter.control.AttemptContext;
import io.llmrouter.control.Interception;
import io.llmrouter.control.RequestInterceptor;
import io.llmrouter.control.ResponseRule;
import io.llmrouter.control.RuleVerdict;
import java.util.List;

/**
 * The router's interceptors and response rules (the chain of the request-control step), run by the
 * attempt step before the provider call ({@link #beforeCall}), by the settle step on an answer
 * ({@link #check}) and by a stream on each chunk ({@link #checkChunk}). The engine holds none when
 * nothing is registered, so an empty chain costs one null check per attempt.
 *
 * <p>Immutable; the interceptors and rules are the user's (thread-safe by their contract). A
 * throwing interceptor or rule is a bug, not a verdict: it becomes an {@link InterceptorException}.
 */
final class RequestControls {

    private final RequestInterceptor[] interceptors;
    private final ResponseRule[] rules;
    /** The rules that check each streamed chunk, or null when none does. */
    private final ResponseRule[] chunkRules;

    private RequestControls(List<RequestInterceptor> interceptors, List<ResponseRule> rules) {
        this.interceptors = interceptors.toArray(new RequestInterceptor[0]);
        this.rules = rules.toArray(new ResponseRule[0]);
        ResponseRule[] chunked = rules.stream().filter(ResponseRule::checksChunks).toArray(ResponseRule[]::new);
        this.chunkRules = chunked.length == 0 ? null : chunked;
    }

    /** The chain of {@code interceptors} and {@code rules}, or null when both are empty. */
    static RequestControls of(List<RequestInterceptor> interceptors, List<ResponseRule> rules) {
        return interceptors.isEmpty() && rules.isEmpty() ? null : new RequestControls(interceptors, rules);
    }

    boolean hasRules() {
        return rules.length > 0;
    }

    boolean checksChunks() {
        return chunkRules != null;
    }

    /** What the interceptors decided for one attempt when it was not to send the request. */
    static final class Stop {
        /** The interceptor's answer, or null. */
        final ChatResponse answer;
        final Interception decision;
        final String interceptor;
        /** The refusal or the interceptor's bug, or null. */
        final LlmRouterException failure;

        private Stop(ChatResponse answer, Interception decision, String interceptor, LlmRouterException failure) {
            this.answer = answer;
            this.decision = decision;
            this.interceptor = interceptor;
            this.failure = failure;
        }
    }

    /**
     * Runs the interceptors in order on {@code request}: returns the request to send, or a
     * {@link Stop} when one refused, answered or threw.
     */
    Object beforeCall(AttemptContext attempt, ChatRequest request, ErrorContext where) {
        ChatRequest current = request;
        for (RequestInterceptor i : interceptors) {
            Interception d;
            try {
                d = i.beforeCall(attempt, current);
            } catch (RequestRefusedException refused) {
                return new Stop(null, null, nameOf(i), refused);
            } catch (RuntimeException e) {
                return new Stop(null, null, nameOf(i), bug("request interceptor", nameOf(i), e, where));
            }
            if (d == null) {
                return new Stop(null, null, nameOf(i), bug("request interceptor", nameOf(i),
                        new NullPointerException("beforeCall returned null"), where));
            }
            switch (d.action()) {
                case PROCEED -> current = d.request().orElse(current);
                case REFUSE -> {
                    String name = nameOf(i);
                    String reason = d.reason().orElseThrow();
                    return new Stop(null, null, name, new RequestRefusedException("request interceptor '" + name
                            + "' refused the request: " + reason, where, name, reason));
                }
                default -> {
                    return new Stop(d.answer().orElseThrow(), d, nameOf(i), null);
                }
            }
        }
        return current;
    }

    /**
     * Runs the rules in order on {@code response}: null when every rule accepts it, else the
     * rejection ({@link ResponseRejectedException}) or a rule's bug ({@link InterceptorException}).
     */
    LlmRouterException check(AttemptContext attempt, ChatRequest sent, ChatResponse response, ErrorContext where) {
        for (ResponseRule r : rules) {
            RuleVerdict v;
            try {
                v = r.check(attempt, sent, response);
            } catch (RuntimeException e) {
                return bug("response rule", nameOf(r), e, where);
            }
            LlmRouterException rejected = rejection(r, v, "answer", where);
            if (rejected != null) {
                return rejected;
            }
        }
        return null;
    }

    /** Runs the chunk-checking rules on a streamed chunk; null when accepted, as {@link #check}. */
    LlmRouterException checkChunk(AttemptContext attempt, ChatChunk chunk, String textSoFar, ErrorContext where) {
        for (ResponseRule r : chunkRules) {
            RuleVerdict v;
            try {
                v = r.checkChunk(attempt, chunk, textSoFar);
            } catch (RuntimeException e) {
                return bug("response rule", nameOf(r), e, where);
            }
            LlmRouterException rejected = rejection(r, v, "streamed chunk", where);
            if (rejected != null) {
                return rejected;
            }
        }
        return null;
    }

    private static LlmRouterException rejection(ResponseRule r, RuleVerdict v, String what, ErrorContext where) {
        if (v == null) {
            return bug("response rule", nameOf(r), new NullPointerException("the rule returned null"), where);
        }
        if (v.isAccepted()) {
            return null;
        }
        String name = nameOf(r);
        String reason = v.reason().orElseThrow();
        return new ResponseRejectedException("response rule '" + name + "' rejected the " + what + " of deployment '"
                + where.deploymentId().orElse("?") + "': " + reason, where, name, reason, r.countsTowardCooldown());
    }

    private static InterceptorException bug(String kind, String name, RuntimeException e, ErrorContext where) {
        return new InterceptorException(kind + " '" + name + "' threw " + e.getClass().getName(), where, name, e);
    }

    private static String nameOf(RequestInterceptor i) {
        try {
            return i.name();
        } catch (RuntimeException e) {
            return i.getClass().getName();
        }
    }

    private static String nameOf(ResponseRule r) {
        try {
            return r.name();
        } catch (RuntimeException e) {
            return r.getClass().getName();
        }
    }
}
