package io.llmrouter.readiness;

import java.util.List;
import java.util.Objects;

/**
 * The router's effective configuration, as {@code router.describe()} reports it: every model
 * group with its deployments (route, provider, api base host, order, weight, limits, tags,
 * timeouts, capabilities, context window, prices), whether the group is a primary or only reached
 * as a fallback, the fallback chains of each kind, retries, cooldowns, the strategy and the
 * budgets; every value marked as set or default. Rendered as Markdown and JSON; neither ever
 * contains a secret (credentials show only their source, e.g. {@code env:OPENAI_API_KEY}).
 *
 * @since 0.1.0
 */
public final class RouterDescription {

    private final String json;
    private final String markdown;
    private final List<String> primaryGroups;
    private final List<String> fallbackOnlyGroups;

    /**
     * @param json the JSON rendering
     * @param markdown the Markdown rendering
     * @param primaryGroups groups that are not only fallbacks
     * @param fallbackOnlyGroups groups reached only as fallbacks
     */
    public RouterDescription(String json, String markdown, List<String> primaryGroups, List<String> fallbackOnlyGroups) {
        this.json = Objects.requireNonNull(json, "json");
        this.markdown = Objects.requireNonNull(markdown, "markdown");
        this.primaryGroups = List.copyOf(primaryGroups);
        this.fallbackOnlyGroups = List.copyOf(fallbackOnlyGroups);
    }

    /** The description as pretty-printed JSON. */
    public String toJson() {
        return json;
    }

    /** The description as Markdown. */
    public String toMarkdown() {
        return markdown;
    }

    /** Groups that are primaries (not only reached as another group's fallback). */
    public List<String> primaryGroups() {
        return primaryGroups;
    }

    /** Groups reached only as fallbacks. */
    public List<String> fallbackOnlyGroups() {
        return fallbackOnlyGroups;
    }

    @Override
    public String toString() {
        return markdown;
    }
}
