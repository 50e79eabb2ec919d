package io.llmrouter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.budget.Budget;
import io.llmrouter.cost.ModelCapability;
import io.llmrouter.internal.RouterEngine;
import io.llmrouter.internal.RouterEngine.ResolvedDeployment;
import io.llmrouter.internal.RouterSettings;
import io.llmrouter.readiness.ConfigurationRisk;
import io.llmrouter.readiness.ConfigurationRisk.Severity;
import io.llmrouter.readiness.RouterDescription;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.strategy.UsageBasedStrategy;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Builds the router's description of itself and its static configuration checks. */
final class RouterInventory {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private final RouterSettings s;
    private final List<ResolvedDeployment> deployments;
    private final Map<String, List<ResolvedDeployment>> groups = new LinkedHashMap<>();

    private final CachePolicy cache;
    private final String cacheBackend;
    /** Each alias with its group, "(hidden)" after a hidden one's; empty when none. */
    private Map<String, String> aliases = Map.of();

    RouterInventory(RouterEngine engine) {
        this.s = engine.effectiveSettings();
        this.cache = engine.cachePolicy();
        this.cacheBackend = engine.cacheBackend().orElse("none");
        this.deployments = engine.resolvedDeployments();
        deployments.forEach(d -> groups.computeIfAbsent(d.modelGroup(), k -> new ArrayList<>()).add(d));
    }

    /** Every group some other group can fall back to. */
    private Set<String> reachedAsFallback() {
        Set<String> reached = new HashSet<>();
        s.fallbacks().values().forEach(reached::addAll);
        s.contextWindowFallbacks().values().forEach(reached::addAll);
        s.contentPolicyFallbacks().values().forEach(reached::addAll);
        reached.addAll(s.defaultFallbacks());
        return reached;
    }

    private List<String> generalFallbacks(String group) {
        List<String> own = s.fallbacks().get(group);
        if (own != null) {
            return own;
        }
        List<String> defaults = new ArrayList<>(s.defaultFallbacks());
        defaults.remove(group);
        return defaults;
    }

    /** Adds the model group aliases to the description. */
    RouterInventory aliases(Map<String, String> labels) {
        this.aliases = labels;
        return this;
    }

    RouterDescription describe() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode groupNodes = root.putArray("model_groups");
        List<String> primaries = new ArrayList<>();
        List<String> fallbackOnly = new ArrayList<>();
        Set<String> reached = reachedAsFallback();
        for (Map.Entry<String, List<ResolvedDeployment>> e : groups.entrySet()) {
            String name = e.getKey();
            boolean onlyFallback = reached.contains(name) && !s.fallbacks().containsKey(name)
                    && generalFallbacks(name).isEmpty();
            (onlyFallback ? fallbackOnly : primaries).add(name);
            ObjectNode g = groupNodes.addObject();
            g.put("name", name);
            g.put("role", onlyFallback ? "fallback-only" : "primary");
            ObjectNode fb = g.putObject("fallbacks");
            list(fb.putArray("general"), generalFallbacks(name));
            fb.put("general_source", s.fallbacks().containsKey(name) ? "own" : "default");
            list(fb.putArray("context_window"), s.contextWindowFallbacks().getOrDefault(name, List.of()));
            list(fb.putArray("content_policy"), s.contentPolicyFallbacks().getOrDefault(name, List.of()));
            Integer ownRetries = s.numRetriesByGroup().get(name);
            value(g, "num_retries", ownRetries != null ? ownRetries : s.numRetries(), ownRetries == null);
            Map<FailureKind, Integer> ownKinds = s.retryPolicy().retriesByGroupAndKind().get(name);
            if (ownKinds != null) {
                g.put("retry_policy", "RetryPolicy" + ownKinds);
            }
            ArrayNode ds = g.putArray("deployments");
            for (ResolvedDeployment r : e.getValue()) {
                ds.add(deploymentNode(r));
            }
        }
        ObjectNode settings = root.putObject("settings");
        settings.put("strategy", s.strategy().toString());
        value(settings, "num_retries", s.numRetries(), s.numRetries() == RetryPolicy.DEFAULT_NUM_RETRIES);
        settings.put("retry_policy", "RetryPolicy" + s.retryPolicy().retriesByKind());
        duration(settings, "initial_backoff", s.initialBackoff(), RetryPolicy.DEFAULT_INITIAL_BACKOFF);
        duration(settings, "max_backoff", s.maxBackoff(), RetryPolicy.DEFAULT_MAX_BACKOFF);
        duration(settings, "max_retry_after", s.maxRetryAfter(), RetryPolicy.DEFAULT_MAX_RETRY_AFTER);
        duration(settings, "timeout", s.timeout(), Timeouts.DEFAULT_CALL_TIMEOUT);
        if (s.deadline() == null) {
            value(settings, "deadline", "none", true);
        } else {
            value(settings, "deadline", s.deadline().toString(), false);
        }
        duration(settings, "first_token_timeout", s.firstTokenTimeout(), Timeouts.DEFAULT_FIRST_TOKEN_TIMEOUT);
        duration(settings, "stream_idle_timeout", s.streamIdleTimeout(), Timeouts.DEFAULT_STREAM_IDLE_TIMEOUT);
        CooldownPolicy cooldown = s.cooldownPolicy();
        if (cooldown.allowedFails().isPresent()) {
            value(settings, "allowed_fails", cooldown.allowedFails().getAsInt(), false);
        } else {
            value(settings, "allowed_fails", cooldown.usesAllowedFails() ? CooldownPolicy.DEFAULT_ALLOWED_FAILS
                    : "unset (default rule)", true);
        }
        settings.put("allowed_fails_policy", "AllowedFailsPolicy" + s.cooldownPolicy().allowedFailsByKind());
        duration(settings, "cooldown_time", s.cooldownTime(), CooldownPolicy.DEFAULT_COOLDOWN_TIME);
        value(settings, "failure_rate_threshold", s.failureRateThreshold(),
                s.failureRateThreshold() == CooldownPolicy.DEFAULT_FAILURE_RATE_THRESHOLD);
        value(settings, "single_deployment_failure_threshold", s.singleDeploymentFailureThreshold(),
                s.singleDeploymentFailureThreshold() == CooldownPolicy.DEFAULT_SINGLE_DEPLOYMENT_FAILURE_THRESHOLD);
        value(settings, "max_fallback_depth", s.maxFallbackDepth(),
                s.maxFallbackDepth() == FallbackPolicy.DEFAULT_MAX_DEPTH);
        boolean fromUnknown = s.fallbackPolicy().isFallbackFromUnknownGroups();
        value(settings, "fallback_from_unknown_groups", fromUnknown,
                fromUnknown == FallbackPolicy.DEFAULT_FALLBACK_FROM_UNKNOWN_GROUPS);
        value(settings, "tag_filtering", s.tagFiltering(), !s.tagFiltering());
        value(settings, "rate_limits", s.rateLimits() == RateLimitMode.ENFORCED
                ? "enforced (rpm/tpm are limits and weights)" : "weights only (rpm/tpm weigh selection, never enforced)",
                s.rateLimits() == Router.DEFAULT_RATE_LIMITS);
        value(settings, "max_spend_keys", s.maxSpendKeys(), s.maxSpendKeys() == Router.DEFAULT_MAX_SPEND_KEYS);
        value(settings, "state_store", s.stateStore() == null ? "in memory" : s.stateStore(), s.stateStore() == null);
        if (s.stateStore() != null) {
            settings.put("state_store_availability", s.stateStore().availability().name());
        }
        settings.put("price_table", s.priceTable().version().toString());
        if (!aliases.isEmpty()) {
            settings.put("model_group_alias", aliases.toString());
        }
        cacheNode(root.putObject("cache"));
        ArrayNode budgets = root.putArray("budgets");
        for (Budget b : s.budgets()) {
            ObjectNode o = budgets.addObject();
            o.put("budget", b.name());
            o.put("limit_usd", b.limitUsd().toPlainString());
            o.put("period", b.period().toString());
            o.put("store_outage", b.storeOutage().name());
        }
        String json;
        try {
            json = JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        return new RouterDescription(json, markdown(root), primaries, fallbackOnly);
    }

    /** The response cache's configuration (see {@code src-docs/caching.md}). */
    private void cacheNode(ObjectNode c) {
        c.put("enabled", cache.isEnabled());
        if (!cache.isEnabled()) {
            return;
        }
        c.put("backend", cacheBackend);
        ArrayNode groupList = c.putArray("groups");
        cache.groups().stream().sorted().forEach(groupList::add);
        c.put("ttl", cache.ttl().toString());
        c.put("max_entries", cache.maxEntries());
        c.put("max_weight_bytes", cache.maxWeightBytes());
        ArrayNode stored = c.putArray("stored_finish_reasons");
        cache.storedFinishReasons().stream().map(r -> r.wireValue()).sorted().forEach(stored::add);
        c.put("single_flight", cache.singleFlight());
        c.put("namespace", cache.namespace().orElse("none"));
        c.put("semantic_group", cache.semanticGroup().orElse("none"));
        if (cache.semanticGroup().isPresent()) {
            c.put("semantic_threshold", cache.semanticThreshold());
            c.put("semantic_max_entries", cache.semanticMaxEntries());
        }
    }

    private ObjectNode deploymentNode(ResolvedDeployment r) {
        Deployment d = r.deployment();
        ObjectNode o = JSON.createObjectNode();
        o.put("id", r.id());
        o.put("route", d.providerRoute());
        o.put("provider", d.providerPrefix());
        o.put("api_base_host", d.apiBase().map(RouterInventory::host).orElse("(provider default)"));
        o.put("credential", d.apiKey().map(k -> k.environmentVariable().map(v -> "env:" + v).orElse("value (hidden)"))
                .orElse("(provider default)"));
        value(o, "order", d.order(), d.order() == Deployment.DEFAULT_ORDER);
        value(o, "weight", r.effectiveWeight(), !d.hasExplicitWeight());
        o.put("rpm", d.rpm().isPresent() ? String.valueOf(d.rpm().getAsInt()) : "none");
        o.put("tpm", d.tpm().isPresent() ? String.valueOf(d.tpm().getAsInt()) : "none");
        o.put("max_parallel_requests", d.maxParallelRequests().isPresent()
                ? String.valueOf(d.maxParallelRequests().getAsInt()) : "unlimited");
        list(o.putArray("tags"), List.copyOf(d.tags()));
        value(o, "timeout", d.timeout().orElse(s.timeout()).toString(), d.timeout().isEmpty());
        value(o, "max_response_bytes", d.maxResponseBytes().orElse(Endpoint.DEFAULT_MAX_RESPONSE_BYTES),
                d.maxResponseBytes().isEmpty());
        value(o, "max_stream_event_bytes", d.maxStreamEventBytes().orElse(Endpoint.DEFAULT_MAX_STREAM_EVENT_BYTES),
                d.maxStreamEventBytes().isEmpty());
        value(o, "cooldown_time", d.cooldownTime().map(Duration::toString).orElse("retry-after, else the router's"),
                d.cooldownTime().isEmpty());
        o.put("capabilities", r.capabilities() == null ? "unknown (assumed capable)"
                : r.capabilities().toString().toLowerCase(Locale.ROOT));
        o.put("context_window", r.contextWindow() > 0 ? String.valueOf(r.contextWindow()) : "unknown");
        if (r.price() == null) {
            o.put("price", "unpriced");
        } else {
            ObjectNode p = o.putObject("price");
            p.put("input_per_million_usd", r.price().inputPerToken().map(v -> perMillion(v)).orElse("-"));
            p.put("output_per_million_usd", r.price().outputPerToken().map(v -> perMillion(v)).orElse("-"));
            p.put("priced_by", r.pricedBy());
        }
        if (!d.options().isEmpty()) {
            o.put("provider_options", d.options().toString());
            // Regions are not secret (they also tell deployments' default ids apart): shown with their values.
            d.options().keys().stream().filter(k -> k.name().endsWith("region") || k.name().endsWith("location"))
                    .sorted(java.util.Comparator.comparing(k -> k.name()))
                    .forEach(k -> o.put(k.name(), String.valueOf(d.options().get(k).orElse(null))));
        }
        return o;
    }

    private static String perMillion(BigDecimal perToken) {
        return perToken.multiply(MILLION).stripTrailingZeros().toPlainString();
    }

    private static String host(String url) {
        try {
            String h = URI.create(url).getHost();
            return h == null ? url : h;
        } catch (IllegalArgumentException e) {
            return "(invalid)";
        }
    }

    private static void list(ArrayNode node, List<String> values) {
        values.forEach(node::add);
    }

    private static void value(ObjectNode node, String field, Object value, boolean isDefault) {
        ObjectNode v = node.putObject(field);
        v.put("value", String.valueOf(value));
        v.put("default", isDefault);
    }

    private static void duration(ObjectNode node, String field, Duration value, Duration dflt) {
        value(node, field, value.toString(), value.equals(dflt));
    }

    private static String markdown(ObjectNode root) {
        StringBuilder sb = new StringBuilder("# Router configuration\n\n## Model groups\n\n");
        sb.append("| group | role | deployments | fallbacks | context-window fallbacks | content-policy fallbacks"
                + " | retries |\n|---|---|---|---|---|---|---|\n");
        root.get("model_groups").forEach(g -> {
            List<String> ids = new ArrayList<>();
            g.get("deployments").forEach(d -> ids.add(d.get("id").asText()));
            JsonNodes fb = new JsonNodes(g.get("fallbacks"));
            sb.append("| ").append(g.get("name").asText()).append(" | ").append(g.get("role").asText())
                    .append(" | ").append(String.join(", ", ids))
                    .append(" | ").append(fb.list("general")).append(fb.text("general_source").equals("default")
                            && !fb.list("general").equals("none") ? " (default)" : "")
                    .append(" | ").append(fb.list("context_window")).append(" | ").append(fb.list("content_policy"))
                    .append(" | ").append(setting(g.get("num_retries")))
                    .append(g.has("retry_policy") ? ", " + g.get("retry_policy").asText() : "").append(" |\n");
        });
        sb.append("\n## Deployments\n\n| id | group | route | api base | credential | order | weight | rpm | tpm"
                + " | max parallel | tags | timeout | capabilities | context window | price (USD per 1M in / out) |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        root.get("model_groups").forEach(g -> g.get("deployments").forEach(d -> {
            String price = d.get("price").isTextual() ? "unpriced"
                    : d.get("price").get("input_per_million_usd").asText() + " / "
                            + d.get("price").get("output_per_million_usd").asText() + " ("
                            + d.get("price").get("priced_by").asText() + ")";
            List<String> tags = new ArrayList<>();
            d.get("tags").forEach(t -> tags.add(t.asText()));
            sb.append("| ").append(d.get("id").asText()).append(" | ").append(g.get("name").asText())
                    .append(" | ").append(d.get("route").asText()).append(" | ").append(d.get("api_base_host").asText())
                    .append(" | ").append(d.get("credential").asText()).append(" | ").append(setting(d.get("order")))
                    .append(" | ").append(setting(d.get("weight"))).append(" | ").append(d.get("rpm").asText())
                    .append(" | ").append(d.get("tpm").asText()).append(" | ")
                    .append(d.get("max_parallel_requests").asText()).append(" | ")
                    .append(tags.isEmpty() ? "-" : String.join(", ", tags)).append(" | ")
                    .append(setting(d.get("timeout"))).append(" | ").append(d.get("capabilities").asText())
                    .append(" | ").append(d.get("context_window").asText()).append(" | ").append(price).append(" |\n");
        }));
        sb.append("\n## Settings\n\n| setting | value |\n|---|---|\n");
        root.get("settings").properties().forEach(e -> sb.append("| ").append(e.getKey()).append(" | ")
                .append(e.getValue().isObject() ? setting(e.getValue()) : e.getValue().asText()).append(" |\n"));
        sb.append("\n## Response cache\n\n");
        com.fasterxml.jackson.databind.JsonNode c = root.get("cache");
        if (!c.get("enabled").asBoolean()) {
            sb.append("off\n");
        } else {
            sb.append("| setting | value |\n|---|---|\n");
            c.properties().forEach(e -> {
                if (!e.getKey().equals("enabled")) {
                    String v = e.getValue().isArray() ? (e.getValue().isEmpty() ? "all" : joined(e.getValue()))
                            : e.getValue().asText();
                    sb.append("| ").append(e.getKey()).append(" | ").append(v).append(" |\n");
                }
            });
        }
        sb.append("\n## Budgets\n\n");
        if (root.get("budgets").isEmpty()) {
            sb.append("none\n");
        } else {
            sb.append("| budget | limit (USD) | period |\n|---|---|---|\n");
            root.get("budgets").forEach(b -> sb.append("| ").append(b.get("budget").asText()).append(" | ")
                    .append(b.get("limit_usd").asText()).append(" | ").append(b.get("period").asText()).append(" |\n"));
        }
        return sb.toString();
    }

    private static String joined(com.fasterxml.jackson.databind.JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return String.join(", ", out);
    }

    private static String setting(com.fasterxml.jackson.databind.JsonNode v) {
        return v.get("value").asText() + (v.get("default").asBoolean() ? " (default)" : " (set)");
    }

    /** Small reader for the fallback node. */
    private record JsonNodes(com.fasterxml.jackson.databind.JsonNode node) {
        String list(String field) {
            List<String> out = new ArrayList<>();
            node.get(field).forEach(n -> out.add(n.asText()));
            return out.isEmpty() ? "none" : String.join(" → ", out);
        }

        String text(String field) {
            return node.get(field).asText();
        }
    }

    List<ConfigurationRisk> checks() {
        List<ConfigurationRisk> risks = new ArrayList<>();
        Set<String> reached = reachedAsFallback();
        for (Map.Entry<String, List<ResolvedDeployment>> e : groups.entrySet()) {
            String g = e.getKey();
            List<ResolvedDeployment> ds = e.getValue();
            boolean hasFallback = !generalFallbacks(g).isEmpty();
            if (!hasFallback && !reached.contains(g)) {
                risks.add(new ConfigurationRisk(Severity.WARNING, "no-fallback", g,
                        "no fallback group: when all its deployments fail, requests fail"));
            }
            if (ds.size() == 1) {
                risks.add(new ConfigurationRisk(Severity.INFO, "single-deployment", g,
                        "one deployment ('" + ds.get(0).id() + "'): a 429 is waited out, never routed around"
                                + (hasFallback ? "" : ", and there is no fallback")));
            }
            Set<String> models = new LinkedHashSet<>();
            ds.forEach(d -> models.add(modelIdentity(d)));
            if (models.size() > 1) {
                risks.add(new ConfigurationRisk(Severity.WARNING, "mixed-models", g,
                        "one alias serves different models " + models + ": answers and prices differ by deployment"));
            }
            Set<ModelCapability> primaryCaps = common(ds);
            for (String fb : generalFallbacks(g)) {
                Set<ModelCapability> fbCaps = common(groups.getOrDefault(fb, List.of()));
                if (primaryCaps != null && fbCaps != null && !fbCaps.containsAll(primaryCaps)) {
                    Set<ModelCapability> missing = EnumSet.copyOf(primaryCaps);
                    missing.removeAll(fbCaps);
                    risks.add(new ConfigurationRisk(Severity.WARNING, "fallback-lacks-capability", g,
                            "fallback '" + fb + "' lacks " + missing.toString().toLowerCase(Locale.ROOT)
                                    + " that '" + g + "' has: requests using it will fail there"));
                }
            }
            for (ResolvedDeployment d : ds) {
                if (d.price() == null) {
                    risks.add(new ConfigurationRisk(s.budgets().isEmpty() ? Severity.INFO : Severity.ERROR,
                            s.budgets().isEmpty() ? "unpriced" : "unpriced-under-budget", g,
                            "deployment '" + d.id() + "' has no price: its cost is unpriced"
                                    + (s.budgets().isEmpty() ? "" : " and budgets refuse calls to it")
                                    + "; set Deployment.price(..) or baseModel(..)"));
                }
                if (s.strategy() instanceof UsageBasedStrategy && d.deployment().rpm().isEmpty()
                        && d.deployment().tpm().isEmpty()) {
                    risks.add(new ConfigurationRisk(Severity.WARNING, "usage-strategy-without-limits", g,
                            "deployment '" + d.id() + "' has no rpm/tpm: the usage-based strategy sees it as"
                                    + " always empty"));
                }
            }
        }
        for (String loop : loops()) {
            risks.add(new ConfigurationRisk(Severity.WARNING, "fallback-loop", loop.substring(0, loop.indexOf(' ')),
                    "fallback chain loops: " + loop + " (each group is tried once per request, so the loop"
                            + " ends, but the chain is probably not what was meant)"));
        }
        return List.copyOf(risks);
    }

    private static String modelIdentity(ResolvedDeployment d) {
        return d.deployment().baseModel().orElse(d.pricedBy() != null && d.price() != null
                && !d.pricedBy().startsWith("deployment ") ? d.pricedBy() : d.deployment().providerModel());
    }

    /** The capabilities every deployment of the list is known to have, or null when any is unknown. */
    private static Set<ModelCapability> common(List<ResolvedDeployment> ds) {
        Set<ModelCapability> common = null;
        for (ResolvedDeployment d : ds) {
            if (d.capabilities() == null) {
                return null;
            }
            if (common == null) {
                common = d.capabilities().isEmpty() ? EnumSet.noneOf(ModelCapability.class)
                        : EnumSet.copyOf(d.capabilities());
            } else {
                common.retainAll(d.capabilities());
            }
        }
        return common;
    }

    /** Cycles in the groups' own general fallbacks, as "a → b → a". */
    private List<String> loops() {
        List<String> found = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        for (String start : groups.keySet()) { // definition order: the same report every time
            if (s.fallbacks().containsKey(start)) {
                walk(start, new ArrayList<>(List.of(start)), found, reported);
            }
        }
        return found;
    }

    private void walk(String at, List<String> path, List<String> found, Set<String> reported) {
        for (String next : s.fallbacks().getOrDefault(at, List.of())) {
            if (next.equals(path.get(0))) {
                List<String> cycle = new ArrayList<>(path);
                Set<String> key = new java.util.TreeSet<>(cycle);
                if (reported.add(key.toString())) {
                    cycle.add(next);
                    found.add(String.join(" → ", cycle));
                }
            } else if (!path.contains(next) && path.size() < 16) {
                path.add(next);
                walk(next, path, found, reported);
                path.remove(path.size() - 1);
            }
        }
    }

    @Override
    public String toString() {
        return "RouterInventory[" + Objects.toString(groups.keySet()) + "]";
    }
}
