package io.llmrouter.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.completion.TextCompletionRequest;
import io.llmrouter.api.responses.ResponsesRequest;
import io.llmrouter.api.chat.ContentPart;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.api.exception.ContextWindowExceededException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.NoDeploymentAvailableException;
import io.llmrouter.cost.ModelCapability;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * The pre-call filters, applied to a group's deployments once per request and group, before
 * cooldowns, limits, order and the strategy: tags, capabilities, context window. Each raises its
 * own typed error when it leaves nothing, before any network call.
 */
final class RequestFilters {

    /**
     * The tag that untagged requests, and requests whose tags match no deployment of the group, go
     * to when any deployment of the group carries it.
     */
    static final String DEFAULT_TAG = "default";

    private RequestFilters() {
    }

    /**
     * The group's deployments that pass the request's tag, capability ({@code needed}: the
     * request's {@link #needs}, found once per request) and context-window filters.
     */
    static List<DeploymentState> matching(ModelGroup group, RouterRequest request, Set<ModelCapability> needed,
            RouterSettings settings, IntUnaryOperator countTokens) {
        List<DeploymentState> kept = group.deployments();
        if (settings.tagFiltering() && (!request.tags().isEmpty() || group.anyDefaultTag())) {
            kept = byTags(group, kept, request);
        }
        if (!needed.isEmpty() && !(kept == group.deployments() && group.allHave(needed))) {
            List<DeploymentState> capable = new ArrayList<>(kept.size());
            for (DeploymentState d : kept) {
                if (!d.lacksAny(needed)) {
                    capable.add(d);
                }
            }
            if (capable.isEmpty()) {
                throw new BadRequestException("no deployment of model group '" + group.name() + "' supports "
                        + needed + " (from the price table's supports_* flags or Deployment.capabilities)",
                        ErrorContext.builder().model(group.name()).build());
            }
            kept = capable;
        }
        if (group.minKnownWindow() == 0) {
            return kept; // no deployment's window is known
        }
        return byContextWindow(group, kept, request, countTokens);
    }

    private static List<DeploymentState> byTags(ModelGroup group, List<DeploymentState> all, RouterRequest request) {
        List<String> tags = request.tags();
        List<DeploymentState> kept = new ArrayList<>(all.size());
        if (tags.isEmpty()) {
            for (DeploymentState d : all) {
                if (d.tags().contains(DEFAULT_TAG)) {
                    kept.add(d);
                }
            }
            return kept.isEmpty() ? all : kept;
        }
        for (DeploymentState d : all) {
            for (String t : tags) {
                if (d.tags().contains(t)) {
                    kept.add(d);
                    break;
                }
            }
        }
        if (kept.isEmpty()) {
            for (DeploymentState d : all) {
                if (d.tags().contains(DEFAULT_TAG)) {
                    kept.add(d); // tags that match nothing go where untagged requests go, as in LiteLLM
                }
            }
        }
        if (kept.isEmpty()) {
            List<String> ids = new ArrayList<>();
            all.forEach(d -> ids.add(d.id()));
            throw new NoDeploymentAvailableException("no deployment of model group '" + group.name()
                    + "' carries any of the request's tags " + tags + ", nor the tag '" + DEFAULT_TAG + "'", ErrorContext.builder().model(group.name()).build(),
                    group.name(), ids, null, null);
        }
        return kept;
    }

    /**
     * Keeps the deployments whose context window holds the request. The cheap bounds decide
     * most windows; the token count runs only when one is undecided, and only as far as the
     * largest undecided window ({@code countTokens} takes that limit: past it, no answer changes).
     */
    private static List<DeploymentState> byContextWindow(ModelGroup group, List<DeploymentState> all,
            RouterRequest request, IntUnaryOperator countTokens) {
        int maxOutput = maxOutputTokens(request).orElse(0);
        TokenEstimator.Bounds bounds = TokenEstimator.bounds(request);
        long upper = (long) bounds.upper() + maxOutput;
        if (upper <= group.minKnownWindow()) {
            return all; // fits the smallest known window: fits them all
        }
        long lower = (long) bounds.lower() + maxOutput;
        int undecided = 0;
        for (int i = 0; i < all.size(); i++) {
            int window = all.get(i).contextWindow();
            if (window > 0 && upper > window && lower <= window) {
                undecided = Math.max(undecided, window);
            }
        }
        int tokens = bounds.lower();
        boolean counted = false;
        if (undecided > 0) {
            int limit = (int) Math.max(0, undecided - (long) maxOutput);
            tokens = countTokens.applyAsInt(limit);
            counted = tokens <= limit;
        }
        long needed = (long) tokens + maxOutput;
        int largest = 0;
        List<DeploymentState> kept = null;
        for (int i = 0; i < all.size(); i++) {
            DeploymentState d = all.get(i);
            int window = d.contextWindow();
            boolean fits = true;
            if (window > 0) {
                largest = Math.max(largest, window);
                fits = upper <= window || (lower <= window && needed <= window);
            }
            if (!fits && kept == null) {
                kept = new ArrayList<>(all.subList(0, i));
            } else if (fits && kept != null) {
                kept.add(d);
            }
        }
        if (kept == null) {
            return all;
        }
        if (kept.isEmpty()) {
            throw new ContextWindowExceededException("the request's estimated " + (counted ? "" : "at least ")
                    + tokens + " input tokens" + (maxOutput > 0 ? " + " + maxOutput + " max output tokens" : "")
                    + " do not fit the context window of any deployment of model group '" + group.name()
                    + "' (largest: " + largest + " tokens)", ErrorContext.builder().model(group.name()).build());
        }
        return kept;
    }

    /** What the request needs the model to do. */
    static Set<ModelCapability> needs(RouterRequest request) {
        if (!(request instanceof ChatRequest chat)) {
            return Set.of();
        }
        boolean tools = !chat.tools().isEmpty();
        boolean schema = chat.responseFormat().isPresent()
                && chat.responseFormat().get().type() == ResponseFormat.Type.JSON_SCHEMA;
        boolean images = hasImage(chat);
        if (!tools && !schema && !images) {
            return Set.of(); // the common case, without allocating
        }
        Set<ModelCapability> needed = EnumSet.noneOf(ModelCapability.class);
        if (tools) {
            needed.add(ModelCapability.FUNCTION_CALLING);
        }
        if (schema) {
            needed.add(ModelCapability.RESPONSE_SCHEMA);
        }
        if (images) {
            needed.add(ModelCapability.VISION);
        }
        return needed;
    }

    private static boolean hasImage(ChatRequest chat) {
        List<Message> messages = chat.messages();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (!m.isMultipart()) {
                continue;
            }
            List<ContentPart> parts = m.contentParts();
            for (int j = 0; j < parts.size(); j++) {
                if (parts.get(j) instanceof ImagePart) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The request's output-token cap, when it sets one. */
    /** Whether the request generates text (chat, text completion), so output tokens are to be expected. */
    static boolean generatesText(RouterRequest request) {
        return request instanceof ChatRequest || request instanceof TextCompletionRequest
                || request instanceof ResponsesRequest;
    }

    static OptionalInt maxOutputTokens(RouterRequest request) {
        if (request instanceof ChatRequest chat) {
            OptionalInt m = chat.maxCompletionTokens();
            return m.isPresent() ? m : chat.maxTokens();
        }
        if (request instanceof TextCompletionRequest completion) {
            return completion.maxTokens();
        }
        if (request instanceof ResponsesRequest responses) {
            JsonNode max = responses.body().get("max_output_tokens");
            return max != null && max.canConvertToInt() && max.intValue() > 0 ? OptionalInt.of(max.intValue())
                    : OptionalInt.empty();
        }
        return OptionalInt.empty();
    }
}
