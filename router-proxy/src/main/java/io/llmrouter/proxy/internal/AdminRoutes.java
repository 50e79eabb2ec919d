package io.llmrouter.proxy.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.llmrouter.DeploymentStatus;
import io.llmrouter.Deployment;
import io.llmrouter.proxy.store.ApiKeys;
import io.llmrouter.proxy.store.DuplicateKeyException;
import io.llmrouter.proxy.store.SpendSummary;
import io.llmrouter.proxy.store.VirtualKey;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API, master key only: LiteLLM-compatible {@code /key/generate}, {@code /key/info},
 * {@code /key/update}, {@code /key/delete}, {@code /key/list}; and for the admin page
 * {@code /global/spend/keys}, {@code /global/spend/models}, {@code /admin/deployments}. The JSON
 * shapes are documented in src-docs/proxy.md and kept stable.
 */
final class AdminRoutes {

    private static final int MAX_PAGE = 1_000;

    private final ProxyApp app;

    AdminRoutes(ProxyApp app) {
        this.app = app;
    }

    void register(RoutesConfig routes) {
        app.route(routes, "POST", "/key/generate", admin(this::generate));
        app.route(routes, "GET", "/key/info", admin(this::info));
        app.route(routes, "POST", "/key/update", admin(this::update));
        app.route(routes, "POST", "/key/delete", admin(this::delete));
        app.route(routes, "GET", "/key/list", admin(this::list));
        app.route(routes, "GET", "/global/spend/keys", admin(this::spendByKey));
        app.route(routes, "GET", "/global/spend/models", admin(this::spendByModel));
        app.route(routes, "GET", "/admin/deployments", admin(this::deployments));
    }

    private interface AdminHandler {
        void handle(Context ctx) throws IOException;
    }

    private io.javalin.http.Handler admin(AdminHandler h) {
        return ctx -> {
            app.auth.requireMaster(app.presentedKey(ctx));
            h.handle(ctx);
        };
    }

    private ObjectNode bodyObject(Context ctx) throws IOException {
        byte[] body = app.body(ctx);
        if (body.length == 0) {
            return JsonOut.MAPPER.createObjectNode();
        }
        try {
            JsonNode n = JsonOut.MAPPER.readTree(body);
            if (n instanceof ObjectNode o) {
                return o;
            }
        } catch (JsonProcessingException e) {
            throw ProxyError.badRequest("$: not JSON");
        }
        throw ProxyError.badRequest("$: expected an object");
    }

    private static void json(Context ctx, JsonNode body) {
        ctx.status(200).contentType(ProxyApp.JSON).result(body.toString());
    }

    // ---- keys

    private void generate(Context ctx) throws IOException {
        ObjectNode body = bodyObject(ctx);
        String key = ApiKeys.generate();
        Instant now = app.clock.instant();
        VirtualKey.Builder b = VirtualKey.builderFor(key).createdAt(now).updatedAt(now);
        apply(body, b, now);
        VirtualKey v = b.build();
        if (v.budgetDuration().isPresent()) {
            v = v.toBuilder().budgetResetAt(KeyBudgets.period(v).nextReset(now)).build();
        }
        try {
            app.store.keys().insert(v);
        } catch (DuplicateKeyException e) {
            throw ProxyError.badRequest("key_alias '" + v.keyAlias().orElse("") + "' is taken");
        }
        app.budgets.register(v, now);
        ObjectNode out = JsonOut.MAPPER.createObjectNode();
        out.put("key", key); // the only time the key is shown
        out.setAll(keyInfo(v));
        json(ctx, out);
    }

    /** Applies LiteLLM's key fields present in {@code body}; null clears. */
    private static void apply(ObjectNode body, VirtualKey.Builder b, Instant now) {
        for (Map.Entry<String, JsonNode> f : body.properties()) {
            JsonNode v = f.getValue();
            boolean clear = v == null || v.isNull();
            switch (f.getKey()) {
                case "key", "keys" -> { }
                case "key_alias" -> {
                    if (clear) {
                        b.clearKeyAlias();
                    } else {
                        b.keyAlias(text(v, "key_alias"));
                    }
                }
                case "models" -> b.models(clear ? List.of() : strings(v, "models"));
                case "max_budget" -> {
                    if (clear) {
                        b.clearMaxBudget();
                    } else {
                        BigDecimal max = money(v, "max_budget");
                        if (max.signum() <= 0) {
                            throw param("max_budget", "max_budget must be positive");
                        }
                        b.maxBudget(max);
                    }
                }
                case "budget_duration" -> {
                    if (clear) {
                        b.clearBudgetDuration().clearBudgetResetAt();
                    } else {
                        Duration d = duration(text(v, "budget_duration"), "budget_duration");
                        b.budgetDuration(d);
                    }
                }
                case "rpm_limit" -> {
                    if (clear) {
                        b.clearRpmLimit();
                    } else {
                        b.rpmLimit(count(v, "rpm_limit"));
                    }
                }
                case "tpm_limit" -> {
                    if (clear) {
                        b.clearTpmLimit();
                    } else {
                        b.tpmLimit(count(v, "tpm_limit"));
                    }
                }
                case "duration" -> {
                    if (clear) {
                        b.clearExpires();
                    } else {
                        b.expires(now.plus(duration(text(v, "duration"), "duration")));
                    }
                }
                case "expires" -> {
                    if (clear) {
                        b.clearExpires();
                    } else {
                        try {
                            b.expires(Instant.parse(text(v, "expires")));
                        } catch (DateTimeParseException e) {
                            throw param("expires", "expires: an ISO-8601 instant is required, e.g."
                                    + " 2030-01-01T00:00:00Z");
                        }
                    }
                }
                case "metadata" -> {
                    if (clear) {
                        b.metadata(Map.of());
                    } else if (v.isObject()) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> m = JsonOut.MAPPER.convertValue(v, HashMap.class);
                        b.metadata(m);
                    } else {
                        throw param("metadata", "metadata: an object is required");
                    }
                }
                case "user_id" -> {
                    if (clear) {
                        b.clearUserId();
                    } else {
                        b.userId(text(v, "user_id"));
                    }
                }
                case "team_id" -> {
                    if (clear) {
                        b.clearTeamId();
                    } else {
                        b.teamId(text(v, "team_id"));
                    }
                }
                case "blocked" -> {
                    if (!v.isBoolean()) {
                        throw param("blocked", "blocked: true or false");
                    }
                    b.blocked(v.asBoolean());
                }
                default -> throw param(f.getKey(), "unsupported field '" + f.getKey() + "'");
            }
        }
    }

    private static ProxyError param(String param, String message) {
        return new ProxyError(400, "invalid_request_error", null, param, message, -1);
    }

    private static String text(JsonNode v, String field) {
        if (!v.isTextual() || v.asText().isBlank()) {
            throw param(field, field + ": a non-blank string is required");
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode v, String field) {
        if (!v.isArray()) {
            throw param(field, field + ": an array of strings is required");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : v) {
            out.add(text(n, field));
        }
        return out;
    }

    private static BigDecimal money(JsonNode v, String field) {
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isTextual()) {
            try {
                return new BigDecimal(v.asText());
            } catch (NumberFormatException e) {
                // below
            }
        }
        throw param(field, field + ": a number is required");
    }

    private static long count(JsonNode v, String field) {
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            throw param(field, field + ": a non-negative integer is required");
        }
        return v.asLong();
    }

    /** LiteLLM's durations: {@code 30s}, {@code 30m}, {@code 24h}, {@code 30d}, {@code 1w}, {@code 1mo} (30 days). */
    static Duration duration(String text, String field) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 9) {
            throw param(field, field + ": a duration like 30s, 30m, 24h, 30d is required, was '" + text + "'");
        }
        long n = Long.parseLong(t.substring(0, i));
        Duration d = switch (t.substring(i)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            case "mo" -> Duration.ofDays(30 * n);
            default -> throw param(field, field + ": a duration like 30s, 30m, 24h, 30d is required, was '"
                    + text + "'");
        };
        if (d.getSeconds() < 1) {
            throw param(field, field + ": must be at least 1s");
        }
        return d;
    }

    static String durationText(Duration d) {
        long s = d.getSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    /** A key as LiteLLM shows it (without the key itself). */
    static ObjectNode keyInfo(VirtualKey k) {
        ObjectNode o = JsonOut.MAPPER.createObjectNode();
        o.put("token", k.tokenHash());
        o.put("key_name", k.keyName());
        putOpt(o, "key_alias", k.keyAlias());
        ArrayNode models = o.putArray("models");
        k.models().forEach(models::add);
        o.put("spend", k.spend());
        if (k.maxBudget().isPresent()) {
            o.put("max_budget", k.maxBudget().get());
        } else {
            o.putNull("max_budget");
        }
        putOpt(o, "budget_duration", k.budgetDuration().map(AdminRoutes::durationText));
        putOpt(o, "budget_reset_at", k.budgetResetAt().map(Instant::toString));
        if (k.rpmLimit().isPresent()) {
            o.put("rpm_limit", k.rpmLimit().getAsLong());
        } else {
            o.putNull("rpm_limit");
        }
        if (k.tpmLimit().isPresent()) {
            o.put("tpm_limit", k.tpmLimit().getAsLong());
        } else {
            o.putNull("tpm_limit");
        }
        putOpt(o, "expires", k.expires().map(Instant::toString));
        putOpt(o, "user_id", k.userId());
        putOpt(o, "team_id", k.teamId());
        o.set("metadata", JsonOut.MAPPER.valueToTree(k.metadata()));
        o.put("blocked", k.blocked());
        o.put("created_at", k.createdAt().toString());
        o.put("updated_at", k.updatedAt().toString());
        return o;
    }

    private static void putOpt(ObjectNode o, String field, Optional<String> value) {
        if (value.isPresent()) {
            o.put(field, value.get());
        } else {
            o.putNull(field);
        }
    }

    /** A key given as the key itself ({@code sk-...}) or as its token hash. */
    private static String tokenHash(String keyOrHash) {
        return keyOrHash.startsWith(ApiKeys.PREFIX) ? ApiKeys.hash(keyOrHash) : keyOrHash;
    }

    private VirtualKey find(String keyOrHash) {
        return app.store.keys().find(tokenHash(keyOrHash))
                .orElseThrow(() -> ProxyError.notFound("no such key"));
    }

    private void info(Context ctx) {
        String key = ctx.queryParam("key");
        if (key == null || key.isBlank()) {
            throw param("key", "key: the key or its token hash is required (?key=...)");
        }
        VirtualKey k = find(key);
        ObjectNode out = JsonOut.MAPPER.createObjectNode();
        out.put("key", k.tokenHash());
        out.set("info", keyInfo(k));
        json(ctx, out);
    }

    private void update(Context ctx) throws IOException {
        ObjectNode body = bodyObject(ctx);
        JsonNode key = body.get("key");
        if (key == null || !key.isTextual()) {
            throw param("key", "key: the key or its token hash is required");
        }
        Instant now = app.clock.instant();
        ObjectNode changes = body.deepCopy();
        changes.remove("key");
        apply(changes, VirtualKey.builderFor("sk-validation-only"), now); // validate before the transaction
        Optional<VirtualKey> updated;
        try {
            updated = app.store.keys().update(tokenHash(key.asText()), b -> {
                apply(changes, b, now);
                b.updatedAt(now);
                VirtualKey v = b.build();
                if (changes.has("budget_duration") && v.budgetDuration().isPresent()) {
                    b.budgetResetAt(KeyBudgets.period(v).nextReset(now));
                }
                return b;
            });
        } catch (DuplicateKeyException e) {
            throw ProxyError.badRequest("key_alias is taken");
        }
        VirtualKey v = updated.orElseThrow(() -> ProxyError.notFound("no such key"));
        app.budgets.register(v, now);
        app.limits.forget(v.tokenHash());
        app.auth.forget(v.tokenHash());
        ObjectNode out = JsonOut.MAPPER.createObjectNode();
        out.put("key", v.tokenHash());
        out.setAll(keyInfo(v));
        json(ctx, out);
    }

    private void delete(Context ctx) throws IOException {
        ObjectNode body = bodyObject(ctx);
        List<String> keys = new ArrayList<>();
        JsonNode list = body.get("keys");
        if (list != null) {
            keys.addAll(strings(list, "keys"));
        }
        JsonNode aliases = body.get("key_aliases");
        if (aliases != null) {
            for (String alias : strings(aliases, "key_aliases")) {
                app.store.keys().findByAlias(alias).ifPresent(k -> keys.add(k.tokenHash()));
            }
        }
        if (keys.isEmpty()) {
            throw param("keys", "keys: an array of keys or token hashes is required");
        }
        ArrayNode deleted = JsonOut.MAPPER.createArrayNode();
        for (String k : keys) {
            String hash = tokenHash(k);
            if (app.store.keys().delete(hash)) {
                app.budgets.remove(hash);
                app.limits.forget(hash);
                app.auth.forget(hash);
                deleted.add(hash);
            }
        }
        ObjectNode out = JsonOut.MAPPER.createObjectNode();
        out.set("deleted_keys", deleted);
        json(ctx, out);
    }

    private void list(Context ctx) {
        int page = intParam(ctx, "page", 1, 1, Integer.MAX_VALUE);
        int size = intParam(ctx, "size", 100, 1, MAX_PAGE);
        List<VirtualKey> keys = app.store.keys().list((page - 1) * size, size);
        ObjectNode out = JsonOut.MAPPER.createObjectNode();
        ArrayNode arr = out.putArray("keys");
        keys.forEach(k -> arr.add(keyInfo(k)));
        out.put("current_page", page);
        out.put("size", size);
        json(ctx, out);
    }

    private static int intParam(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw param(name, name + ": an integer from " + min + " to " + max + " is required");
    }

    // ---- spend and deployments

    private Instant[] range(Context ctx) {
        Instant to = instantParam(ctx, "end_date", app.clock.instant().plusSeconds(1));
        Instant from = instantParam(ctx, "start_date", Instant.EPOCH);
        return new Instant[] {from, to};
    }

    private static Instant instantParam(Context ctx, String name, Instant dflt) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return v.length() == 10 ? Instant.parse(v + "T00:00:00Z") : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw param(name, name + ": a date (2030-01-31) or an ISO-8601 instant is required");
        }
    }

    private void spendByKey(Context ctx) {
        Instant[] r = range(ctx);
        int limit = intParam(ctx, "limit", 100, 1, MAX_PAGE);
        ArrayNode out = JsonOut.MAPPER.createArrayNode();
        for (SpendSummary s : app.store.spendLog().spendByKey(r[0], r[1], limit)) {
            out.addObject().put("token", s.id()).put("key_name", s.name()).put("requests", s.requests())
                    .put("total_tokens", s.totalTokens()).put("spend", s.cost());
        }
        json(ctx, out);
    }

    private void spendByModel(Context ctx) {
        Instant[] r = range(ctx);
        int limit = intParam(ctx, "limit", 100, 1, MAX_PAGE);
        ArrayNode out = JsonOut.MAPPER.createArrayNode();
        for (SpendSummary s : app.store.spendLog().spendByModel(r[0], r[1], limit)) {
            out.addObject().put("model", s.name()).put("requests", s.requests())
                    .put("total_tokens", s.totalTokens()).put("spend", s.cost());
        }
        json(ctx, out);
    }

    private void deployments(Context ctx) {
        Map<String, Deployment> byId = new HashMap<>();
        for (Deployment d : app.router.deployments()) {
            byId.put(d.id(), d);
        }
        Map<String, BigDecimal> spend = app.router.spend().byDeployment();
        ArrayNode out = JsonOut.MAPPER.createArrayNode();
        for (DeploymentStatus s : app.router.deploymentStatuses()) {
            ObjectNode o = out.addObject();
            o.put("id", s.deploymentId());
            o.put("model_group", s.modelGroup());
            Deployment d = byId.get(s.deploymentId());
            if (d != null) {
                o.put("route", d.providerRoute());
            } else {
                o.putNull("route");
            }
            o.put("status", s.state().name().toLowerCase(Locale.ROOT));
            putOpt(o, "cooling_until", s.coolingUntil().map(Instant::toString));
            o.put("in_flight", s.inFlight());
            o.put("recent_failures", s.recentFailures());
            o.put("spend", spend.getOrDefault(s.deploymentId(), BigDecimal.ZERO));
        }
        json(ctx, out);
    }
}
