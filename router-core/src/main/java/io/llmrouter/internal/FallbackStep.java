package io.llmrouter.internal;

import io.llmrouter.api.exception.BudgetExceededException;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.LlmRouterException;
import java.util.List;
import java.util.Map;

/**
 * The fallback step: which model group a request tries after a group has failed, if any.
 * Stateless: the groups already tried are the request's ({@link RequestExecution#triedAll}).
 */
final class FallbackStep {

    private FallbackStep() {
    }

    /**
     * The next group to try after {@code failure}: from the context-window or content-policy list
     * when the failure is of that kind and the requested group has such a list, else from the
     * request's or the group's general list, else the default list; never a group already tried;
     * null when none is left, after a budget refusal, or when the failure cannot be recovered
     * (after a stream's first chunk).
     */
    static String nextGroup(RequestExecution<?, ?> x, LlmRouterException failure) {
        if (failure instanceof BudgetExceededException || !x.mayRecover() || x.fallbackDepthReached()) {
            return null;
        }
        RouterSettings settings = x.settings;
        String model = x.request().model();
        List<String> list = null;
        if (failure instanceof ContextWindowExceededException) {
            list = settings.contextWindowFallbacks().get(model);
        } else if (failure instanceof ContentPolicyViolationException) {
            list = settings.contentPolicyFallbacks().get(model);
        }
        if (list == null) {
            list = fallbacksOf(settings, settings.fallbacks(), model); // the request's policy is laid over the router's
        }
        for (String g : list) {
            if (!x.tried(g)) {
                return g;
            }
        }
        return null;
    }

    private static List<String> fallbacksOf(RouterSettings settings, Map<String, List<String>> map, String model) {
        List<String> own = map.get(model);
        return own != null ? own : settings.defaultFallbacks();
    }
}
