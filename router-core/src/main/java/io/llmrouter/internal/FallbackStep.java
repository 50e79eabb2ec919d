package io.llmrouter.internal;

import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.InterceptorException;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.exception.NoDeploymentAvailableException;
import io.llmrouter.api.exception.NotFoundException;
import io.llmrouter.api.exception.PermissionDeniedException;
import io.llmrouter.api.exception.ProviderConnectionException;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.exception.RateLimitException;
import io.llmrouter.api.exception.RequestCancelledException;
import io.llmrouter.api.exception.RequestRefusedException;
import io.llmrouter.api.exception.RequestTimeoutException;
import io.llmrouter.api.exception.ResponseRejectedException;
import io.llmrouter.api.exception.RouterClosedException;
import io.llmrouter.api.exception.ServiceUnavailableException;
import io.llmrouter.api.exception.StreamInterruptedException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fallback step: which model group a request tries after a group has failed, if any, and the
 * request's final error when every group failed.
 *
 * <p>Fallbacks nest, depth first (as LiteLLM's {@code async_function_with_fallbacks} recursion):
 * a failed group's list is pushed as a {@link Frame} one level deeper than the group; the next
 * group is the first untried one of the innermost frame that has one. Frames deeper than the
 * policy's {@code maxDepth} are never pushed, and a group already tried is never tried again, so
 * chains cannot loop. The frames are the request's ({@link RequestExecution#fallbackFrames()}),
 * made only once a group fails.
 */
final class FallbackStep {

    /**
     * One fallback list on the request's stack.
     *
     * @param groups the list, in order
     * @param depth the nesting depth of its groups (the requested group's fallbacks: 1)
     * @param contentPolicy whether it is a content-policy list (a filtered answer may continue it)
     */
    record Frame(List<String> groups, int depth, boolean contentPolicy) {
    }

    private FallbackStep() {
    }

    /**
     * The next group to try after {@code failedGroup} failed with {@code failure}: the failed
     * group's list for the failure's kind is pushed (context-window or content-policy when it has
     * one, else its general list, else the default list; a filtered answer only its content-policy
     * list), then the first untried group of the innermost frame is taken; null when none is left,
     * after a budget or interceptor refusal or an interceptor's bug, or when the failure cannot be
     * recovered (after a stream's first chunk).
     */
    static String nextGroup(RequestExecution<?, ?> x, String failedGroup, LlmRouterException failure) {
        if (failure instanceof BudgetExceededException || failure instanceof RequestRefusedException
                || failure instanceof InterceptorException || !x.mayRecover()) {
            return null;
        }
        RouterSettings settings = x.settings;
        int depth = x.fallbackDepth() + 1;
        if (depth <= settings.maxFallbackDepth()) {
            List<String> list = null;
            boolean contentPolicy = false;
            if (failure instanceof ContextWindowExceededException) {
                list = settings.contextWindowFallbacks().get(failedGroup);
            } else if (failure instanceof ContentPolicyViolationException) {
                list = settings.contentPolicyFallbacks().get(failedGroup);
                contentPolicy = list != null;
            }
            if (list == null && !x.isFilteredAnswer(failure)) {
                List<String> own = settings.fallbacks().get(failedGroup); // the request's policy is laid over the router's
                list = own != null ? own : settings.defaultFallbacks();
            }
            if (list != null && !list.isEmpty()) {
                x.fallbackFrames().add(new Frame(list, depth, contentPolicy));
            }
        }
        List<Frame> frames = x.fallbackFramesIfAny();
        while (frames != null && !frames.isEmpty()) {
            Frame top = frames.get(frames.size() - 1);
            String next = firstUntried(x, top.groups());
            if (next != null) {
                x.fallbackDepth(top.depth());
                return next;
            }
            frames.remove(frames.size() - 1);
        }
        return null;
    }

    /**
     * Whether an answer of the current group stopped by a content filter should become a
     * failure that falls back: the group has a content-policy list with a group left to try within
     * the depth limit, or the list that led to the group is a content-policy list with a group left.
     */
    static boolean fallsBackAfterFilteredAnswer(RequestExecution<?, ?> x) {
        if (!x.mayRecover()) {
            return false;
        }
        List<String> own = x.settings.contentPolicyFallbacks().get(x.modelGroup());
        if (own != null && x.fallbackDepth() < x.settings.maxFallbackDepth() && firstUntried(x, own) != null) {
            return true;
        }
        List<Frame> frames = x.fallbackFramesIfAny();
        for (int i = frames == null ? -1 : frames.size() - 1; i >= 0; i--) {
            Frame f = frames.get(i);
            if (firstUntried(x, f.groups()) != null) {
                return f.contentPolicy();
            }
        }
        return false;
    }

    private static String firstUntried(RequestExecution<?, ?> x, List<String> groups) {
        for (int i = 0; i < groups.size(); i++) {
            String g = groups.get(i);
            if (!x.tried(g)) {
                return g;
            }
        }
        return null;
    }

    /**
     * The request's final error after fallbacks: {@code last} itself when only one group was tried,
     * for a budget refusal, a cancel or a closed router, or when a stream already delivered chunks;
     * otherwise an exception of
     * {@code first}'s type (the requested group's; a provider's own subtype: its nearest built-in
     * type) with {@code first}'s context and retry details, whose message adds the groups tried and
     * the last error, caused by {@code first}, with {@code last} suppressed in it.
     */
    static LlmRouterException finalFailure(LlmRouterException first, LlmRouterException last, List<String> triedGroups,
            boolean mayRecover) {
        if (first == null || first == last || triedGroups.size() < 2 || last instanceof BudgetExceededException
                || last instanceof RequestCancelledException || last instanceof RouterClosedException
                || last instanceof RequestRefusedException || last instanceof InterceptorException || !mayRecover) {
            return last;
        }
        String lastGroup = triedGroups.get(triedGroups.size() - 1);
        String message = first.getMessage() + " (model groups tried: " + triedGroups + "; last error, from '"
                + lastGroup + "': " + last.getClass().getSimpleName() + ": " + last.getMessage() + ")";
        LlmRouterException copy = sameType(first, message);
        if (copy.getCause() != first) {
            copy.addSuppressed(first);
        }
        copy.addSuppressed(last);
        return copy;
    }

    /** An exception of {@code e}'s type (or nearest built-in type) and details, with {@code message}, caused by {@code e}. */
    private static LlmRouterException sameType(LlmRouterException e, String message) {
        var ctx = e.context();
        var retryAfter = e.retryAfter().orElse(null);
        if (e instanceof ResponseRejectedException r) {
            return new ResponseRejectedException(message, ctx, r.rule(), r.reason(), r.countsTowardCooldown(), e);
        }
        if (e instanceof ContextWindowExceededException) {
            return new ContextWindowExceededException(message, ctx, e);
        }
        if (e instanceof ContentPolicyViolationException c) {
            return new ContentPolicyViolationException(message, ctx, c.details().orElse(null), e);
        }
        if (e instanceof BadRequestException) {
            return new BadRequestException(message, ctx, e);
        }
        if (e instanceof AuthenticationException) {
            return new AuthenticationException(message, ctx, e);
        }
        if (e instanceof PermissionDeniedException) {
            return new PermissionDeniedException(message, ctx, e);
        }
        if (e instanceof NotFoundException) {
            return new NotFoundException(message, ctx, e);
        }
        if (e instanceof RateLimitException) {
            return new RateLimitException(message, ctx, retryAfter, e.isRetryable(), e);
        }
        if (e instanceof RequestTimeoutException) {
            return new RequestTimeoutException(message, ctx, e);
        }
        if (e instanceof ServiceUnavailableException) {
            return new ServiceUnavailableException(message, ctx, retryAfter, e);
        }
        if (e instanceof ProviderServerException) {
            return new ProviderServerException(message, ctx, e);
        }
        if (e instanceof ProviderConnectionException) {
            return new ProviderConnectionException(message, ctx, e);
        }
        if (e instanceof InvalidProviderResponseException) {
            return new InvalidProviderResponseException(message, ctx, e);
        }
        if (e instanceof RequestCancelledException) {
            return new RequestCancelledException(message, ctx, e);
        }
        if (e instanceof NoDeploymentAvailableException n) {
            return new NoDeploymentAvailableException(message, ctx, n.modelGroup(), n.deploymentIds(),
                    n.retryAt().orElse(null), retryAfter);
        }
        if (e instanceof RouterClosedException) {
            return new RouterClosedException(message, ctx);
        }
        if (e instanceof StreamInterruptedException s) {
            return new StreamInterruptedException(message, ctx, s.partialText(), s.chunksReceived(), e);
        }
        return new LlmRouterException(message, ctx, e);
    }

    /** A new, empty frame stack (for {@link RequestExecution}). */
    static List<Frame> newFrames() {
        return new ArrayList<>(4);
    }
}
