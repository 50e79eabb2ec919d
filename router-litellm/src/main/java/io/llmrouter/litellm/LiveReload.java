package io.llmrouter.litellm;

import io.llmrouter.ChangeReport;
import io.llmrouter.CooldownPolicy;
import io.llmrouter.RetryPolicy;
import io.llmrouter.Router;
import io.llmrouter.RouterChange;
import io.llmrouter.litellm.internal.ConfigReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Applies a loaded config to a running router: its deployments, fallbacks and aliases in one
 * atomic {@link Router#apply(RouterChange)}, and a note for each setting that differs from the
 * router's but cannot change live.
 */
final class LiveReload {

    /** How a rebuild note's reason starts. */
    static final String REBUILD = "needs a new router";

    private LiveReload() {
    }

    static ReloadResult apply(ConfigReader.Result config, Router router) {
        Objects.requireNonNull(router, "router");
        List<ConfigNote> notes = new ArrayList<>(config.notes());
        differs(notes, "routing_strategy", router.strategy().toString(), config.strategy().toString());
        // Only what a LiteLLM config can say: backoff and other values set in Java are not compared.
        RetryPolicy r = router.retryPolicy();
        RetryPolicy f = config.retryPolicy();
        differs(notes, "num_retries", r.numRetries(), f.numRetries());
        differs(notes, "retry_policy", r.retriesByKind(), f.retriesByKind());
        differs(notes, "num_retries by model group", r.numRetriesByGroup(), f.numRetriesByGroup());
        CooldownPolicy c = router.cooldownPolicy();
        CooldownPolicy g = config.cooldownPolicy();
        differs(notes, "allowed_fails", c.allowedFails(), g.allowedFails());
        differs(notes, "allowed_fails_policy", c.allowedFailsByKind(), g.allowedFailsByKind());
        differs(notes, "cooldown_time", c.cooldownTime(), g.cooldownTime());
        differs(notes, "timeout", router.timeouts().callTimeout(), config.timeouts().callTimeout());
        differs(notes, "stream_timeout", router.timeouts().firstTokenTimeout(), config.timeouts().firstTokenTimeout());
        differs(notes, "enable_tag_filtering", router.isFilteringByTags(), config.tagFiltering());
        differs(notes, "model_group_retry_policy", r.retriesByGroupAndKind(), f.retriesByGroupAndKind());
        differs(notes, "rpm/tpm meaning (routing_strategy, enable_pre_call_checks)", router.rateLimits(),
                config.rateLimits());
        if (config.stateRedis() != null) {
            notes.add(new ConfigNote(0, "router_settings.redis_*",
                    "not reapplied by a reload: the running router keeps its state store (a new router changes it)"));
        }
        if (config.cache() != null) {
            notes.add(new ConfigNote(0, "litellm_settings.cache",
                    "not reapplied by a reload: the running router keeps its response cache (a new router changes it)"));
        }
        RouterChange.Builder change = RouterChange.builder().deployments(config.deployments())
                .fallbackPolicy(config.fallbackPolicy()).noAliases();
        config.aliases().forEach((alias, target) -> change.alias(alias, target.group(), target.hidden()));
        ChangeReport report = router.apply(change.build());
        return new ReloadResult(report, notes);
    }

    private static String shown(Object value) {
        if (value instanceof java.util.Optional<?> o) {
            return o.map(String::valueOf).orElse("unset");
        }
        if (value instanceof java.util.OptionalInt i) {
            return i.isPresent() ? String.valueOf(i.getAsInt()) : "unset";
        }
        return String.valueOf(value);
    }

    private static void differs(List<ConfigNote> notes, String key, Object running, Object loaded) {
        if (!running.equals(loaded)) {
            notes.add(new ConfigNote(0, key, REBUILD + " to change: the running router has " + shown(running)
                    + ", the file " + shown(loaded) + "; it cannot change live"));
        }
    }
}
