package io.llmrouter.litellm.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.llmrouter.CachePolicy;
import io.llmrouter.CooldownPolicy;
import io.llmrouter.Deployment;
import io.llmrouter.FailureKind;
import io.llmrouter.FallbackPolicy;
import io.llmrouter.RateLimitMode;
import io.llmrouter.RetryPolicy;
import io.llmrouter.Router;
import io.llmrouter.Timeouts;
import io.llmrouter.api.Secret;
import io.llmrouter.cost.ModelPrice;
import io.llmrouter.cost.PriceTable;
import io.llmrouter.litellm.ConfigNote;
import io.llmrouter.litellm.LiteLlmConfigException;
import io.llmrouter.spi.ProviderFactory;
import io.llmrouter.spi.RoutingStrategy;
import io.llmrouter.strategy.LeastBusyStrategy;
import io.llmrouter.strategy.LowestCostStrategy;
import io.llmrouter.strategy.LowestLatencyStrategy;
import io.llmrouter.strategy.UsageBasedStrategy;
import io.llmrouter.strategy.WeightedShuffleStrategy;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.Set;

/** Reads a LiteLLM config.yaml into deployments and policies. One use per instance. */
public final class ConfigReader {

    private static final String ENV_PREFIX = "os.environ/";

    private static final Set<String> PROXY_SECTIONS = Set.of("general_settings", "environment_variables",
            "guardrails", "credential_list", "mcp_servers", "callback_settings", "files_settings",
            "assistant_settings", "finetune_settings", "vector_store_registry", "search_tools", "include");

    private static final Set<String> LITELLM_SETTINGS_NOT_APPLIED = Set.of("drop_params", "set_verbose",
            "success_callback", "failure_callback", "callbacks", "service_callback",
            "json_logs", "turn_off_message_logging", "redact_user_api_key_info", "telemetry", "max_budget",
            "budget_duration", "default_team_settings", "modify_params", "enable_preview_features", "force_ipv4",
            "max_internal_user_budget", "ssl_verify", "disable_end_user_cost_tracking", "return_response_headers",
            "upperbound_key_generate_params", "default_internal_user_params", "disable_add_transform_inline_image_block",
            "key_generation_settings", "enable_json_schema_validation", "disable_hf_tokenizer_download");

    private static final Set<String> ROUTER_SETTINGS_NOT_APPLIED = Set.of("cache_kwargs", "client_ttl",
            "routing_strategy_args", "provider_budget_config", "default_litellm_params", "set_verbose",
            "debug_level", "optional_pre_call_checks", "polling_interval", "retry_after", "alerting_config",
            "default_max_parallel_requests", "default_priority", "model_group_affinity_config");

    private static final Set<String> PARAMS_NOT_APPLIED = Set.of("aws_profile_name", "aws_role_name",
            "aws_session_name", "aws_web_identity_token", "aws_sts_endpoint", "aws_bedrock_runtime_endpoint", "drop_params", "custom_llm_provider", "mock_response", "use_in_pass_through", "merge_reasoning_content_in_choices");

    private static final Map<String, FailureKind> POLICY_KINDS = Map.of(
            "BadRequestError", FailureKind.BAD_REQUEST,
            "AuthenticationError", FailureKind.AUTHENTICATION,
            "TimeoutError", FailureKind.TIMEOUT,
            "RateLimitError", FailureKind.RATE_LIMIT,
            "ContentPolicyViolationError", FailureKind.CONTENT_POLICY_VIOLATION,
            "InternalServerError", FailureKind.SERVER_ERROR);

    /** Completion parameters LiteLLM sends with every call to a deployment (per-deployment request defaults). */
    private static final Set<String> REQUEST_DEFAULTS = Set.of("temperature", "max_tokens", "max_completion_tokens",
            "top_p", "seed", "stop", "frequency_penalty", "presence_penalty", "response_format", "reasoning_effort",
            "num_retries", "stream", "user", "n");

    private final String source;
    private final Map<String, String> environment;
    private final boolean lenient;
    private final boolean skipUnresolved;
    private final List<ConfigNote> notes = new ArrayList<>();
    private final Settings litellm = new Settings();
    private final Settings router = new Settings();
    private final boolean redisPresent;
    private final boolean providersPresent = ProvidersSupport.isPresent();
    private PriceTable priceTable;
    private Set<String> servedPrefixes;

    /** A reader for one load. */
    public ConfigReader(String source, Map<String, String> environment, boolean lenient, boolean skipUnresolved) {
        this(source, environment, lenient, skipUnresolved, RedisSupport.isPresent());
    }

    /** A reader for one load, told whether router-redis is present (tests). */
    ConfigReader(String source, Map<String, String> environment, boolean lenient, boolean skipUnresolved,
            boolean redisPresent) {
        this.redisPresent = redisPresent;
        this.source = source;
        this.environment = environment;
        this.lenient = lenient;
        this.skipUnresolved = skipUnresolved;
    }

    /** What a load produced. */
    public record Result(List<Deployment> deployments, List<ConfigNote> notes, RoutingStrategy strategy,
            RetryPolicy retryPolicy, CooldownPolicy cooldownPolicy, FallbackPolicy fallbackPolicy, Timeouts timeouts,
            Map<String, Alias> aliases, boolean tagFiltering, RateLimitMode rateLimits, RedisConfig stateRedis,
            CacheConfig cache) {

        /** A new builder holding all of it. */
        public Router.Builder newBuilder() {
            Router.Builder b = Router.builder()
                    .deployments(deployments)
                    .strategy(strategy)
                    .retryPolicy(retryPolicy)
                    .cooldownPolicy(cooldownPolicy)
                    .fallbackPolicy(fallbackPolicy)
                    .timeouts(timeouts)
                    .rateLimits(rateLimits);
            aliases.forEach((alias, target) -> b.alias(alias, target.group(), target.hidden()));
            if (tagFiltering) {
                b.filterByTags();
            }
            CachePolicy.Builder cachePolicy = null;
            if (cache != null) {
                cachePolicy = CachePolicy.builder();
                if (cache.ttl() != null) {
                    cachePolicy.ttl(cache.ttl());
                }
                if (cache.namespace() != null) {
                    cachePolicy.namespace(cache.namespace());
                }
                if (cache.semanticGroup() != null) {
                    cachePolicy.semantic(cache.semanticGroup());
                }
                if (cache.similarityThreshold() != null) {
                    cachePolicy.semanticThreshold(cache.similarityThreshold());
                }
            }
            if (stateRedis != null || (cache != null && cache.redis() != null)) {
                // Each builder gets its own clients, which the router built from it closes.
                RedisSupport.apply(b, stateRedis, cache == null ? null : cache.redis(), cachePolicy);
            }
            if (cachePolicy != null) {
                b.cache(cachePolicy.build());
            }
            return b;
        }
    }

    /** An alias's target. */
    public record Alias(String group, boolean hidden) {
    }

    private record RawDeployment(Deployment.Builder builder, String group, OptionalInt rpm, OptionalInt tpm,
            int line, String key) {
    }

    /** One section's router settings; unset fields are null. */
    private static final class Settings {
        String strategy;
        int strategyLine;
        Integer numRetries;
        Duration timeout;
        Duration streamTimeout;
        Integer allowedFails;
        Duration cooldownTime;
        Boolean disableCooldowns;
        Map<FailureKind, Integer> retryPolicy;
        Map<FailureKind, Integer> allowedFailsPolicy;
        Map<String, List<String>> fallbacks;
        Map<String, List<String>> contextWindowFallbacks;
        Map<String, List<String>> contentPolicyFallbacks;
        List<String> defaultFallbacks;
        Integer maxFallbacks;
        Map<String, Alias> aliases;
        Boolean preCallChecks;
        Boolean tagFiltering;
        Map<String, Map<FailureKind, Integer>> groupRetryPolicy;
        String redisHost;
        Integer redisPort;
        Secret redisPassword;
        RedisConfig redisUrl;
        int redisLine;
        Boolean cache;
        int cacheLine;
        CacheParams cacheParams;
    }

    /** {@code litellm_settings.cache_params}; unset fields are null. */
    private static final class CacheParams {
        String type;
        int typeLine;
        String host;
        Integer port;
        Secret password;
        Duration ttl;
        Duration inMemoryTtl;
        Duration inRedisTtl;
        String namespace;
        Double similarityThreshold;
        String embeddingModel;
        int line;
    }

    /** Reads the whole config. */
    public Result read(Reader reader) {
        YamlNode root;
        try (JsonParser p = new YAMLFactory().createParser(reader)) {
            p.nextToken();
            root = YamlNode.read(p);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new LiteLlmConfigException(source, at == null ? 0 : at.getLineNr(), "",
                    "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + source, e);
        }
        if (root.value() == null) {
            throw new LiteLlmConfigException(source, root.line(), "", "the config is empty");
        }
        Map<String, YamlNode.Entry> top = map(root, "");
        List<RawDeployment> raw = new ArrayList<>();
        for (YamlNode.Entry e : top.values()) {
            switch (e.key()) {
                case "model_list" -> raw = modelList(e);
                case "router_settings" -> settings(e, router, false);
                case "litellm_settings" -> settings(e, litellm, true);
                default -> {
                    if (PROXY_SECTIONS.contains(e.key())) {
                        notes.add(new ConfigNote(e.line(), e.key(), "proxy-only section, not used by the library"));
                    } else {
                        unknown(e, e.key());
                    }
                }
            }
        }
        return build(raw);
    }

    private Result build(List<RawDeployment> raw) {
        String strategyName = pick(router.strategy, litellm.strategy);
        RoutingStrategy strategy = strategyName == null ? WeightedShuffleStrategy.instance() : strategy(strategyName);
        boolean usageBased = strategy instanceof UsageBasedStrategy;
        boolean preCallChecks = Boolean.TRUE.equals(pick(router.preCallChecks, litellm.preCallChecks));
        boolean limits = usageBased || preCallChecks;
        // LiteLLM: rpm/tpm are limits only under usage-based routing or pre-call checks; otherwise
        // they only weigh simple-shuffle (weights if any is set, else rpm, else tpm), which the
        // router does itself under RateLimitMode.WEIGHTS_ONLY; the deployments keep their values.
        List<Deployment> deployments = new ArrayList<>();
        for (RawDeployment r : raw) {
            r.rpm().ifPresent(r.builder()::rpm);
            r.tpm().ifPresent(r.builder()::tpm);
            try {
                deployments.add(r.builder().build());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new LiteLlmConfigException(source, r.line(), r.key(), "invalid deployment: " + e.getMessage());
            }
        }
        if (!limits && raw.stream().anyMatch(r -> r.rpm().isPresent() || r.tpm().isPresent())) {
            notes.add(new ConfigNote(0, "model_list.rpm/tpm",
                    "used as selection weights, not limits (as LiteLLM's simple-shuffle): the router is built with"
                            + " RateLimitMode.WEIGHTS_ONLY; limits apply under usage-based-routing or"
                            + " enable_pre_call_checks"));
        }

        RetryPolicy.Builder retry = RetryPolicy.builder();
        Integer numRetries = pick(router.numRetries, litellm.numRetries);
        if (numRetries != null) {
            retry.numRetries(numRetries);
        }
        Map<FailureKind, Integer> retryByKind = pick(router.retryPolicy, litellm.retryPolicy);
        if (retryByKind != null) {
            retryByKind.forEach(retry::retries);
        }
        Map<String, Map<FailureKind, Integer>> groupRetry = pick(router.groupRetryPolicy, litellm.groupRetryPolicy);
        if (groupRetry != null) {
            groupRetry.forEach((g, kinds) -> kinds.forEach((k, n) -> retry.retries(g, k, n)));
        }

        CooldownPolicy.Builder cooldown = CooldownPolicy.builder();
        Integer allowedFails = pick(router.allowedFails, litellm.allowedFails);
        if (allowedFails != null) {
            cooldown.allowedFails(allowedFails);
        }
        Map<FailureKind, Integer> failsByKind = pick(router.allowedFailsPolicy, litellm.allowedFailsPolicy);
        if (failsByKind != null) {
            failsByKind.forEach(cooldown::allowedFails);
        }
        Duration cooldownTime = pick(router.cooldownTime, litellm.cooldownTime);
        if (Boolean.TRUE.equals(pick(router.disableCooldowns, litellm.disableCooldowns))) {
            cooldownTime = Duration.ZERO;
        }
        if (cooldownTime != null) {
            cooldown.cooldownTime(cooldownTime);
        }

        FallbackPolicy.Builder fallback = FallbackPolicy.builder();
        Map<String, List<String>> fb = pick(router.fallbacks, litellm.fallbacks);
        if (fb != null) {
            fb.forEach((g, to) -> fallback.fallbacks(g, to.toArray(String[]::new)));
        }
        Map<String, List<String>> cw = pick(router.contextWindowFallbacks, litellm.contextWindowFallbacks);
        if (cw != null) {
            cw.forEach((g, to) -> fallback.contextWindowFallbacks(g, to.toArray(String[]::new)));
        }
        Map<String, List<String>> cp = pick(router.contentPolicyFallbacks, litellm.contentPolicyFallbacks);
        if (cp != null) {
            cp.forEach((g, to) -> fallback.contentPolicyFallbacks(g, to.toArray(String[]::new)));
        }
        List<String> df = pick(router.defaultFallbacks, litellm.defaultFallbacks);
        if (df != null) {
            fallback.defaultFallbacks(df.toArray(String[]::new));
        }
        Integer maxFallbacks = pick(router.maxFallbacks, litellm.maxFallbacks);
        if (maxFallbacks != null) {
            fallback.maxDepth(maxFallbacks);
        }

        Timeouts.Builder timeouts = Timeouts.builder();
        Duration timeout = pick(router.timeout, litellm.timeout);
        if (timeout != null) {
            timeouts.callTimeout(timeout);
        }
        Duration streamTimeout = pick(router.streamTimeout, litellm.streamTimeout);
        if (streamTimeout != null) {
            timeouts.firstTokenTimeout(streamTimeout);
        }
        Map<String, Alias> aliases = pick(router.aliases, litellm.aliases);
        RedisConfig routerRedis = routerRedis();
        RedisConfig stateRedis = routerRedis;
        if (routerRedis != null && !redisPresent) {
            notes.add(new ConfigNote(router.redisLine, "router_settings.redis_host", "router-redis is not on the"
                    + " class path, so state stays in memory: add io.llmrouter:router-redis (on the module path also"
                    + " --add-modules io.llmrouter.redis) to share it in Redis"));
            stateRedis = null;
        }
        CacheConfig cache = cache(routerRedis);
        return new Result(List.copyOf(deployments), List.copyOf(notes), strategy, retry.build(), cooldown.build(),
                fallback.build(), timeouts.build(), aliases == null ? Map.of() : java.util.Collections.unmodifiableMap(aliases),
                Boolean.TRUE.equals(pick(router.tagFiltering, litellm.tagFiltering)),
                limits ? RateLimitMode.ENFORCED : RateLimitMode.WEIGHTS_ONLY, stateRedis, cache);
    }

    private static <T> T pick(T routerValue, T litellmValue) {
        return routerValue != null ? routerValue : litellmValue;
    }

    private RoutingStrategy strategy(String name) {
        return switch (name) {
            case "simple-shuffle" -> WeightedShuffleStrategy.instance();
            case "least-busy" -> LeastBusyStrategy.instance();
            case "usage-based-routing", "usage-based-routing-v2" -> UsageBasedStrategy.instance();
            case "latency-based-routing" -> LowestLatencyStrategy.instance();
            case "cost-based-routing" -> LowestCostStrategy.instance();
            default -> throw new LiteLlmConfigException(source, router.strategy != null ? router.strategyLine
                    : litellm.strategyLine, "routing_strategy", "unknown routing strategy '" + name
                    + "' (simple-shuffle, least-busy, usage-based-routing, usage-based-routing-v2,"
                    + " latency-based-routing, cost-based-routing)");
        };
    }

    // ---- model_list

    private List<RawDeployment> modelList(YamlNode.Entry e) {
        List<RawDeployment> out = new ArrayList<>();
        List<YamlNode> items = list(e.node(), "model_list");
        for (int i = 0; i < items.size(); i++) {
            RawDeployment d = deployment(items.get(i), "model_list[" + i + "]");
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    private RawDeployment deployment(YamlNode node, String path) {
        Map<String, YamlNode.Entry> entry = map(node, path);
        YamlNode.Entry name = entry.get("model_name");
        if (name == null) {
            throw new LiteLlmConfigException(source, node.line(), path + ".model_name", "is required");
        }
        String group = string(name.node(), path + ".model_name");
        YamlNode.Entry paramsEntry = entry.get("litellm_params");
        if (paramsEntry == null) {
            throw new LiteLlmConfigException(source, node.line(), path + ".litellm_params", "is required");
        }
        String pp = path + ".litellm_params";
        Map<String, YamlNode.Entry> params = map(paramsEntry.node(), pp);
        YamlNode.Entry modelEntry = params.get("model");
        if (modelEntry == null) {
            throw new LiteLlmConfigException(source, paramsEntry.line(), pp + ".model", "is required");
        }
        String model = string(modelEntry.node(), pp + ".model");
        String route = route(model);
        if (route == null) {
            String problem = "no provider prefix, and '" + model + "' is not in the price table to infer one"
                    + " (write e.g. openai/" + model + ")";
            if (!skipUnresolved) {
                throw new LiteLlmConfigException(source, modelEntry.line(), pp + ".model", problem);
            }
            notes.add(new ConfigNote(modelEntry.line(), pp + ".model", "deployment skipped: " + problem));
            return null;
        }
        String prefix = route.substring(0, route.indexOf('/'));
        if (!servedPrefixes().contains(prefix)) {
            // Java may still register a provider for it (Router.Builder.provider) before build().
            String problem = "no provider adapter on the class path serves '" + prefix + "/'";
            if (skipUnresolved) {
                notes.add(new ConfigNote(modelEntry.line(), pp + ".model", "deployment skipped: " + problem));
                return null;
            }
            notes.add(new ConfigNote(modelEntry.line(), pp + ".model", problem
                    + "; register one with Router.Builder.provider(\"" + prefix + "\", ...) before build()"));
        }
        Deployment.Builder b = Deployment.builder(group, route);
        OptionalInt rpm = OptionalInt.empty();
        OptionalInt tpm = OptionalInt.empty();
        ModelPrice.Builder price = null; // set when the config prices the deployment itself
        Aws aws = new Aws();
        for (YamlNode.Entry p : params.values()) {
            String key = pp + "." + p.key();
            try {
                param(b, p, key, prefix, aws);
            } catch (LiteLlmConfigException e) {
                throw e;
            } catch (IllegalArgumentException | IllegalStateException e) {
                // The builder's message may quote the value: only for keys that never hold a secret.
                boolean mayBeSecret = p.key().equals("api_key") || p.key().contains("headers")
                        || p.key().contains("secret") || p.key().contains("token")
                        || String.valueOf(p.node().value()).startsWith(ENV_PREFIX);
                throw new LiteLlmConfigException(source, p.line(), key, mayBeSecret ? "invalid value" : e.getMessage());
            }
            switch (p.key()) {
                case "rpm" -> rpm = OptionalInt.of(positiveInt(p.node(), key));
                case "tpm" -> tpm = OptionalInt.of(positiveInt(p.node(), key));
                case "input_cost_per_token" -> price = price(price).inputPerToken(usd(p.node(), key));
                case "output_cost_per_token" -> price = price(price).outputPerToken(usd(p.node(), key));
                default -> { }
            }
        }
        awsCredentials(b, aws, pp);
        for (YamlNode.Entry x : entry.values()) {
            String key = path + "." + x.key();
            switch (x.key()) {
                case "model_name", "litellm_params" -> { }
                case "rpm" -> rpm = OptionalInt.of(positiveInt(x.node(), key));
                case "tpm" -> tpm = OptionalInt.of(positiveInt(x.node(), key));
                case "model_info" -> price = modelInfo(x, key, b, price);
                default -> unknown(x, key);
            }
        }
        if (price != null) {
            b.price(price.build());
        }
        return new RawDeployment(b, group, rpm, tpm, modelEntry.line(), pp + ".model");
    }

    /** A Bedrock deployment's static AWS credentials, as its keys are read. */
    private static final class Aws {
        String accessKeyId;
        Secret secretAccessKey;
        Secret sessionToken;
        int line;
        String key;
    }

    /** Applies the AWS credentials once all of a deployment's keys are read. */
    private void awsCredentials(Deployment.Builder b, Aws aws, String pp) {
        if (aws.key == null) {
            return;
        }
        if (aws.accessKeyId == null || aws.secretAccessKey == null) {
            throw new LiteLlmConfigException(source, aws.line, aws.accessKeyId == null ? pp + ".aws_access_key_id"
                    : pp + ".aws_secret_access_key", "is required with the other AWS credential keys");
        }
        try {
            ProvidersSupport.bedrockCredentials(b, aws.accessKeyId, aws.secretAccessKey, aws.sessionToken);
        } catch (IllegalArgumentException e) {
            throw new LiteLlmConfigException(source, aws.line, aws.key, "invalid AWS credentials");
        }
    }

    /**
     * Whether a provider-specific key applies: the deployment's route has {@code prefix} and the
     * adapters are present; otherwise it is noted.
     */
    private boolean applies(YamlNode.Entry p, String key, String routePrefix, String prefix) {
        if (!routePrefix.equals(prefix)) {
            notes.add(new ConfigNote(p.line(), key, "applies to " + prefix + "/ deployments only"));
            return false;
        }
        if (!providersPresent) {
            notes.add(new ConfigNote(p.line(), key, "router-providers is not on the class path"));
            return false;
        }
        return true;
    }

    /** Applies one {@code litellm_params} key to the builder (rpm and tpm are decided later). */
    private void param(Deployment.Builder b, YamlNode.Entry p, String key, String routePrefix, Aws aws) {
        switch (p.key()) {
            case "model" -> { }
            case "api_base" -> b.apiBase(resolved(p.node(), key));
            case "api_key" -> b.apiKey(Secret.of(resolved(p.node(), key)));
            case "api_version" -> {
                String version = resolved(p.node(), key);
                if (applies(p, key, routePrefix, "azure")) {
                    ProvidersSupport.azureApiVersion(b, version);
                }
            }
            case "aws_region_name", "region_name" -> {
                String region = resolved(p.node(), key);
                if (applies(p, key, routePrefix, "bedrock")) {
                    ProvidersSupport.bedrockRegion(b, region);
                }
            }
            case "aws_access_key_id", "aws_secret_access_key", "aws_session_token" -> {
                String value = resolved(p.node(), key);
                if (applies(p, key, routePrefix, "bedrock")) {
                    switch (p.key()) {
                        case "aws_access_key_id" -> aws.accessKeyId = value;
                        case "aws_secret_access_key" -> aws.secretAccessKey = Secret.of(value);
                        default -> aws.sessionToken = Secret.of(value);
                    }
                    if (aws.key == null) {
                        aws.key = key;
                        aws.line = p.line();
                    }
                }
            }
            case "vertex_project", "vertex_location" -> {
                String value = resolved(p.node(), key);
                if (applies(p, key, routePrefix, "vertex_ai")) {
                    if (p.key().equals("vertex_project")) {
                        ProvidersSupport.vertexProject(b, value);
                    } else {
                        ProvidersSupport.vertexLocation(b, value);
                    }
                }
            }
            case "vertex_credentials" -> {
                String value = resolved(p.node(), key);
                if (applies(p, key, routePrefix, "vertex_ai")) {
                    try {
                        ProvidersSupport.vertexCredentials(b, value);
                    } catch (IllegalStateException e) {
                        // google-auth is missing: the credentials could never be used, so the load fails.
                        throw new LiteLlmConfigException(source, p.line(), key, e.getMessage());
                    }
                }
            }
            case "organization" -> {
                String organization = resolved(p.node(), key);
                if (applies(p, key, routePrefix, "openai")) {
                    ProvidersSupport.openAiOrganization(b, organization);
                }
            }
            case "max_retries" -> {
                nonNegativeInt(p.node(), key);
                notes.add(new ConfigNote(p.line(), key, "not applied: in LiteLLM it is the provider SDK client's own"
                        + " retries, under the router's; here the router's retry policy (num_retries, retry_policy)"
                        + " makes every retry"));
            }
            case "rpm", "tpm" -> positiveInt(p.node(), key);
            case "input_cost_per_token", "output_cost_per_token" -> usd(p.node(), key);
            case "weight" -> b.weight(positiveInt(p.node(), key));
            case "order" -> b.order(nonNegativeInt(p.node(), key));
            case "max_parallel_requests" -> b.maxParallelRequests(positiveInt(p.node(), key));
            case "cooldown_time" -> b.cooldownTime(nonNegativeSeconds(p.node(), key));
            case "timeout" -> b.timeout(seconds(p.node(), key));
            case "stream_timeout" -> b.firstTokenTimeout(seconds(p.node(), key));
            case "tags" -> b.tags(strings(p.node(), key));
            case "headers", "extra_headers" -> map(p.node(), key).values()
                    .forEach(h -> b.addHeader(h.key(), resolved(h.node(), key + "." + h.key())));
            default -> {
                if (REQUEST_DEFAULTS.contains(p.key())) {
                    notes.add(new ConfigNote(p.line(), key, "not applied: a deployment has no default request"
                            + " parameters here; set them on the ChatRequest"));
                } else if (PARAMS_NOT_APPLIED.contains(p.key())) {
                    notes.add(new ConfigNote(p.line(), key, "not supported by the library yet"));
                } else {
                    unknown(p, key);
                }
            }
        }
    }

    /** Applies {@code model_info}; returns the price builder, started if it sets a price. */
    private ModelPrice.Builder modelInfo(YamlNode.Entry info, String path, Deployment.Builder b,
            ModelPrice.Builder price) {
        ModelPrice.Builder out = price;
        for (YamlNode.Entry x : map(info.node(), path).values()) {
            String key = path + "." + x.key();
            switch (x.key()) {
                case "id" -> b.id(string(x.node(), key));
                case "base_model" -> b.baseModel(string(x.node(), key));
                case "max_input_tokens" -> b.contextWindow(positiveInt(x.node(), key));
                case "input_cost_per_token" -> out = price(out).inputPerToken(usd(x.node(), key));
                case "output_cost_per_token" -> out = price(out).outputPerToken(usd(x.node(), key));
                default -> notes.add(new ConfigNote(x.line(), key, "model_info metadata, not used by the router"));
            }
        }
        return out;
    }

    private static ModelPrice.Builder price(ModelPrice.Builder price) {
        return price != null ? price : ModelPrice.builder();
    }

    /** The route prefixes the provider adapters found through {@link ServiceLoader} serve. */
    private Set<String> servedPrefixes() {
        if (servedPrefixes == null) {
            servedPrefixes = new HashSet<>();
            for (ProviderFactory f : ServiceLoader.load(ProviderFactory.class, ConfigReader.class.getClassLoader())) {
                servedPrefixes.addAll(f.routePrefixes());
            }
        }
        return servedPrefixes;
    }

    private String route(String model) {
        int slash = model.indexOf('/');
        if (slash > 0) {
            return model;
        }
        if (priceTable == null) {
            priceTable = PriceTable.bundled();
        }
        return priceTable.get(model).flatMap(ModelPrice::provider).map(p -> p + "/" + model).orElse(null);
    }

    // ---- router_settings / litellm_settings

    private void settings(YamlNode.Entry section, Settings s, boolean litellmSection) {
        String name = section.key();
        if (section.node().value() == null) {
            return;
        }
        for (YamlNode.Entry x : map(section.node(), name).values()) {
            String key = name + "." + x.key();
            YamlNode v = x.node();
            switch (x.key()) {
                case "routing_strategy" -> {
                    s.strategy = string(v, key);
                    s.strategyLine = x.line();
                }
                case "num_retries" -> s.numRetries = nonNegativeInt(v, key);
                case "timeout", "request_timeout" -> s.timeout = seconds(v, key);
                case "stream_timeout" -> s.streamTimeout = seconds(v, key);
                case "allowed_fails" -> s.allowedFails = nonNegativeInt(v, key);
                case "cooldown_time" -> s.cooldownTime = nonNegativeSeconds(v, key);
                case "disable_cooldowns" -> s.disableCooldowns = bool(v, key);
                case "retry_policy" -> s.retryPolicy = kindCounts(v, key, "Retries");
                case "allowed_fails_policy" -> s.allowedFailsPolicy = kindCounts(v, key, "AllowedFails");
                case "fallbacks" -> s.fallbacks = fallbacks(v, key);
                case "context_window_fallbacks" -> s.contextWindowFallbacks = fallbacks(v, key);
                case "content_policy_fallbacks" -> s.contentPolicyFallbacks = fallbacks(v, key);
                case "default_fallbacks" -> s.defaultFallbacks = strings(v, key);
                case "max_fallbacks" -> s.maxFallbacks = nonNegativeInt(v, key);
                case "model_group_alias" -> s.aliases = aliases(v, key);
                case "enable_pre_call_checks" -> s.preCallChecks = bool(v, key);
                case "enable_tag_filtering" -> s.tagFiltering = bool(v, key);
                case "model_group_retry_policy" -> {
                    if (litellmSection) {
                        other(x, key, true);
                    } else {
                        s.groupRetryPolicy = groupRetryPolicy(v, key);
                    }
                }
                case "redis_host", "redis_port", "redis_password", "redis_url", "cache_responses" -> {
                    if (litellmSection) {
                        other(x, key, true);
                    } else {
                        routerOnly(x, key, s);
                    }
                }
                case "cache" -> {
                    if (litellmSection) {
                        s.cache = bool(v, key);
                        s.cacheLine = x.line();
                    } else {
                        other(x, key, false);
                    }
                }
                case "cache_params" -> {
                    if (litellmSection) {
                        s.cacheParams = cacheParams(x, key);
                    } else {
                        other(x, key, false);
                    }
                }
                default -> other(x, key, litellmSection);
            }
        }
    }

    /** A settings key the reader does not apply: noted when LiteLLM has it, else unknown. */
    private void other(YamlNode.Entry x, String key, boolean litellmSection) {
        Set<String> notApplied = litellmSection ? LITELLM_SETTINGS_NOT_APPLIED : ROUTER_SETTINGS_NOT_APPLIED;
        if (notApplied.contains(x.key())) {
            notes.add(new ConfigNote(x.line(), key, "not supported by the library yet"));
        } else {
            unknown(x, key);
        }
    }

    /** {@code router_settings}' Redis and cache keys. */
    private void routerOnly(YamlNode.Entry x, String key, Settings s) {
        YamlNode v = x.node();
        switch (x.key()) {
            case "redis_host" -> {
                s.redisHost = resolved(v, key);
                s.redisLine = x.line();
            }
            case "redis_port" -> s.redisPort = port(v, key);
            case "redis_password" -> s.redisPassword = Secret.of(resolved(v, key));
            case "redis_url" -> {
                s.redisUrl = redisUrl(resolved(v, key), v, key);
                s.redisLine = x.line();
            }
            case "cache_responses" -> {
                s.cache = bool(v, key);
                s.cacheLine = x.line();
            }
            default -> throw new IllegalStateException(x.key());
        }
    }

    private Map<String, Map<FailureKind, Integer>> groupRetryPolicy(YamlNode v, String path) {
        Map<String, Map<FailureKind, Integer>> out = new LinkedHashMap<>();
        for (YamlNode.Entry x : map(v, path).values()) {
            out.put(x.key(), kindCounts(x.node(), path + "." + x.key(), "Retries"));
        }
        return out;
    }

    /** A port number, 1 to 65535, written as a number or a string (also {@code os.environ/VAR}). */
    private int port(YamlNode node, String key) {
        if (node.value() instanceof String text) {
            String value = text.startsWith(ENV_PREFIX) ? resolved(node, key) : text;
            try {
                int p = Integer.parseInt(value.strip());
                if (p > 0 && p <= 65535) {
                    return p;
                }
            } catch (NumberFormatException notANumber) {
                // reported below, without the value
            }
            throw new LiteLlmConfigException(source, node.line(), key, "expected a port number, 1 to 65535");
        }
        int p = positiveInt(node, key);
        if (p > 65535) {
            throw new LiteLlmConfigException(source, node.line(), key, "expected a port number, 1 to 65535");
        }
        return p;
    }

    /**
     * A {@code redis://[[user]:password@]host[:port][/db]} or {@code rediss://} URL; an error never
     * quotes it (it may hold the password).
     */
    private RedisConfig redisUrl(String url, YamlNode node, String key) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        String scheme = uri == null ? null : uri.getScheme();
        if (uri == null || uri.getHost() == null || !("redis".equals(scheme) || "rediss".equals(scheme))) {
            throw new LiteLlmConfigException(source, node.line(), key,
                    "expected a redis:// or rediss:// URL with a host");
        }
        String user = null;
        Secret password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            String u = colon < 0 ? info : info.substring(0, colon);
            user = u.isEmpty() || colon < 0 ? null : decode(u);
            String pw = colon < 0 ? u : info.substring(colon + 1);
            password = pw.isEmpty() ? null : Secret.of(decode(pw));
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new LiteLlmConfigException(source, node.line(), key, "the URL's path must be a database number");
            }
        }
        return new RedisConfig(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : RedisConfig.DEFAULT_PORT, user,
                password, database, "rediss".equals(scheme));
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The Redis server {@code router_settings} names (its URL wins, as in LiteLLM), or null. */
    private RedisConfig routerRedis() {
        if (router.redisUrl != null) {
            return router.redisUrl;
        }
        if (router.redisHost != null) {
            return new RedisConfig(router.redisHost, router.redisPort != null ? router.redisPort
                    : RedisConfig.DEFAULT_PORT, null, router.redisPassword, 0, false);
        }
        if (router.redisPort != null || router.redisPassword != null) {
            notes.add(new ConfigNote(0, "router_settings.redis_port/redis_password",
                    "ignored without redis_host or redis_url"));
        }
        return null;
    }

    /** The response cache the config turns on, or null (router_settings.cache_responses wins over litellm_settings.cache). */
    private CacheConfig cache(RedisConfig routerRedis) {
        Boolean on = pick(router.cache, litellm.cache);
        CacheParams p = litellm.cacheParams;
        int line = router.cache != null ? router.cacheLine : litellm.cacheLine;
        if (!Boolean.TRUE.equals(on)) {
            if (p != null) {
                notes.add(new ConfigNote(p.line, "litellm_settings.cache_params", "caching is off: set"
                        + " litellm_settings.cache (or router_settings.cache_responses) to true"));
            }
            return null;
        }
        if (p == null) {
            p = new CacheParams();
        }
        // LiteLLM: a router with cache_responses caches in its Redis when it has one, else in memory.
        String type = p.type != null ? p.type : routerRedis != null ? "redis" : "local";
        Duration ttl = p.ttl;
        switch (type) {
            case "local" -> {
                if (ttl == null) {
                    ttl = p.inMemoryTtl;
                }
                return new CacheConfig(null, ttl, p.namespace, null, null);
            }
            case "redis", "redis-semantic" -> {
                if (ttl == null) {
                    ttl = p.inRedisTtl;
                }
                RedisConfig redis = cacheRedis(p, routerRedis, line);
                if (!redisPresent) {
                    notes.add(new ConfigNote(p.type != null ? p.typeLine : line, "litellm_settings.cache_params.type",
                            "router-redis is not on the class path, so caching is off: add io.llmrouter:router-redis"
                                    + " (on the module path also --add-modules io.llmrouter.redis)"));
                    return null;
                }
                String semantic = null;
                if (type.equals("redis-semantic")) {
                    if (p.embeddingModel == null) {
                        throw new LiteLlmConfigException(source, p.typeLine, "litellm_settings.cache_params"
                                + ".redis_semantic_cache_embedding_model", "is required for a redis-semantic cache"
                                + " (a model_name of model_list that embeds)");
                    }
                    semantic = p.embeddingModel;
                } else if (p.similarityThreshold != null || p.embeddingModel != null) {
                    notes.add(new ConfigNote(p.line, "litellm_settings.cache_params",
                            "similarity_threshold and redis_semantic_cache_embedding_model apply to redis-semantic only"));
                }
                return new CacheConfig(redis, ttl, p.namespace, semantic, semantic == null ? null : p.similarityThreshold);
            }
            case "qdrant-semantic", "s3", "gcs", "disk", "azure-blob" -> {
                notes.add(new ConfigNote(p.typeLine, "litellm_settings.cache_params.type", "cache type '" + type
                        + "' is not available in the library, so caching is off (types: local, redis, redis-semantic)"));
                return null;
            }
            default -> throw new LiteLlmConfigException(source, p.typeLine, "litellm_settings.cache_params.type",
                    "unknown cache type '" + type + "' (local, redis, redis-semantic, qdrant-semantic, s3, gcs, disk,"
                            + " azure-blob)");
        }
    }

    /**
     * The cache's Redis server: {@code cache_params}' host, else {@code router_settings}', else the
     * environment's {@code REDIS_URL} or {@code REDIS_HOST}/{@code REDIS_PORT}/{@code REDIS_PASSWORD}
     * (LiteLLM's defaults).
     */
    private RedisConfig cacheRedis(CacheParams p, RedisConfig routerRedis, int line) {
        if (p.host != null) {
            return new RedisConfig(p.host, p.port != null ? p.port : RedisConfig.DEFAULT_PORT, null, p.password, 0,
                    false);
        }
        if (routerRedis != null) {
            return routerRedis;
        }
        String url = environment.get("REDIS_URL");
        if (url != null && !url.isEmpty()) {
            return redisUrl(url, new YamlNode(null, line), "REDIS_URL");
        }
        String host = environment.get("REDIS_HOST");
        if (host != null && !host.isEmpty()) {
            int port = RedisConfig.DEFAULT_PORT;
            String portText = environment.get("REDIS_PORT");
            if (portText != null && !portText.isEmpty()) {
                try {
                    port = Integer.parseInt(portText.strip());
                } catch (NumberFormatException e) {
                    throw new LiteLlmConfigException(source, line, "REDIS_PORT", "expected a port number");
                }
            }
            String pw = environment.get("REDIS_PASSWORD");
            return new RedisConfig(host, port, null, pw == null || pw.isEmpty() ? null : Secret.of(pw), 0, false);
        }
        throw new LiteLlmConfigException(source, p.type != null ? p.typeLine : line, "litellm_settings.cache_params",
                "a Redis cache needs a server: cache_params.host, router_settings.redis_host or redis_url, or the"
                        + " REDIS_URL or REDIS_HOST environment variable");
    }

    private CacheParams cacheParams(YamlNode.Entry e, String path) {
        CacheParams p = new CacheParams();
        p.line = e.line();
        for (YamlNode.Entry x : map(e.node(), path).values()) {
            String key = path + "." + x.key();
            YamlNode v = x.node();
            switch (x.key()) {
                case "type" -> {
                    p.type = string(v, key);
                    p.typeLine = x.line();
                }
                case "host" -> p.host = resolved(v, key);
                case "port" -> p.port = port(v, key);
                case "password" -> p.password = Secret.of(resolved(v, key));
                case "ttl" -> p.ttl = seconds(v, key);
                case "default_in_memory_ttl" -> p.inMemoryTtl = seconds(v, key);
                case "default_in_redis_ttl" -> p.inRedisTtl = seconds(v, key);
                case "namespace" -> {
                    p.namespace = string(v, key);
                    if (!p.namespace.matches("[A-Za-z0-9._-]{1,64}")) {
                        throw new LiteLlmConfigException(source, x.line(), key,
                                "a namespace has 1 to 64 letters, digits, '-', '_' or '.'");
                    }
                }
                case "similarity_threshold" -> {
                    BigDecimal d = decimal(v);
                    if (d == null || d.signum() <= 0 || d.compareTo(BigDecimal.ONE) > 0) {
                        throw wrongType(v, key, "a number above 0 and at most 1");
                    }
                    p.similarityThreshold = d.doubleValue();
                }
                case "redis_semantic_cache_embedding_model" -> p.embeddingModel = string(v, key);
                case "supported_call_types" -> {
                    strings(v, key);
                    notes.add(new ConfigNote(x.line(), key, "not applied: the cache serves completions and"
                            + " embeddings alike (RequestOptions.noCache()/noStore() bypass it per request)"));
                }
                case "mode" -> {
                    String mode = string(v, key);
                    if (!mode.equals("default_on")) {
                        throw new LiteLlmConfigException(source, x.line(), key, "only default_on is supported (the"
                                + " cache serves every request; RequestOptions.noCache()/noStore() opt one out)");
                    }
                }
                default -> {
                    String k = x.key();
                    if (k.startsWith("s3_") || k.startsWith("gcs_") || k.startsWith("qdrant_")
                            || k.startsWith("azure_") || k.startsWith("disk_") || k.startsWith("redis_")
                            || k.equals("max_connections") || k.equals("username")) {
                        notes.add(new ConfigNote(x.line(), key, "not supported by the library"));
                    } else {
                        unknown(x, key);
                    }
                }
            }
        }
        return p;
    }

    private Map<FailureKind, Integer> kindCounts(YamlNode v, String path, String suffix) {
        Map<FailureKind, Integer> out = new LinkedHashMap<>();
        for (YamlNode.Entry x : map(v, path).values()) {
            String key = path + "." + x.key();
            FailureKind kind = x.key().endsWith(suffix)
                    ? POLICY_KINDS.get(x.key().substring(0, x.key().length() - suffix.length())) : null;
            if (kind == null) {
                unknown(x, key);
                continue;
            }
            int count = nonNegativeInt(x.node(), key);
            if (suffix.equals("AllowedFails") && kind.isAboutRequest()) {
                notes.add(new ConfigNote(x.line(), key, "failures about the request never cool a deployment here"));
                continue;
            }
            out.put(kind, count);
        }
        return out;
    }

    private Map<String, List<String>> fallbacks(YamlNode v, String path) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<YamlNode> items = list(v, path);
        for (int i = 0; i < items.size(); i++) {
            String p = path + "[" + i + "]";
            for (YamlNode.Entry x : map(items.get(i), p).values()) {
                out.put(x.key(), strings(x.node(), p + "." + x.key()));
            }
        }
        return out;
    }

    private Map<String, Alias> aliases(YamlNode v, String path) {
        Map<String, Alias> out = new LinkedHashMap<>();
        for (YamlNode.Entry x : map(v, path).values()) {
            String key = path + "." + x.key();
            if (x.node().isMap()) {
                Map<String, YamlNode.Entry> m = map(x.node(), key);
                YamlNode.Entry model = m.get("model");
                if (model == null) {
                    throw new LiteLlmConfigException(source, x.line(), key + ".model", "is required");
                }
                YamlNode.Entry hidden = m.get("hidden");
                for (YamlNode.Entry y : m.values()) {
                    if (!y.key().equals("model") && !y.key().equals("hidden")) {
                        unknown(y, key + "." + y.key());
                    }
                }
                out.put(x.key(), new Alias(string(model.node(), key + ".model"),
                        hidden != null && bool(hidden.node(), key + ".hidden")));
            } else {
                out.put(x.key(), new Alias(string(x.node(), key), false));
            }
        }
        return out;
    }

    // ---- typed values

    private void unknown(YamlNode.Entry e, String key) {
        if (!lenient) {
            throw new LiteLlmConfigException(source, e.line(), key, "unknown key");
        }
        notes.add(new ConfigNote(e.line(), key, "unknown key, ignored (lenient)"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, YamlNode.Entry> map(YamlNode node, String key) {
        if (node.value() instanceof Map<?, ?> m) {
            return (Map<String, YamlNode.Entry>) m;
        }
        throw wrongType(node, key, "a map");
    }

    @SuppressWarnings("unchecked")
    private List<YamlNode> list(YamlNode node, String key) {
        if (node.value() instanceof List<?> l) {
            return (List<YamlNode>) l;
        }
        throw wrongType(node, key, "a list");
    }

    private String string(YamlNode node, String key) {
        if (node.value() instanceof String s && !s.isBlank()) {
            return s;
        }
        if (node.value() instanceof Long || node.value() instanceof BigDecimal) {
            return String.valueOf(node.value());
        }
        throw wrongType(node, key, "a non-empty string");
    }

    /** A string, or an {@code os.environ/VAR} reference resolved; the value never reaches a message. */
    private String resolved(YamlNode node, String key) {
        String s = string(node, key);
        if (!s.startsWith(ENV_PREFIX)) {
            return s;
        }
        String var = s.substring(ENV_PREFIX.length());
        String value = environment.get(var);
        if (value == null || value.isEmpty()) {
            throw new LiteLlmConfigException(source, node.line(), key,
                    "environment variable " + var + " is not set");
        }
        return value;
    }

    private List<String> strings(YamlNode node, String key) {
        if (node.value() instanceof String) {
            return List.of(string(node, key));
        }
        List<YamlNode> items = list(node, key);
        List<String> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(string(items.get(i), key + "[" + i + "]"));
        }
        return out;
    }

    private boolean bool(YamlNode node, String key) {
        if (node.value() instanceof Boolean b) {
            return b;
        }
        throw wrongType(node, key, "true or false");
    }

    private int nonNegativeInt(YamlNode node, String key) {
        if (node.value() instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        throw wrongType(node, key, "a whole number, 0 or more");
    }

    private int positiveInt(YamlNode node, String key) {
        int n = nonNegativeInt(node, key);
        if (n == 0) {
            throw wrongType(node, key, "a whole number, 1 or more");
        }
        return n;
    }

    private Duration seconds(YamlNode node, String key) {
        Duration d = nonNegativeSeconds(node, key);
        if (d.isZero()) {
            throw wrongType(node, key, "a number of seconds above 0");
        }
        return d;
    }

    private Duration nonNegativeSeconds(YamlNode node, String key) {
        BigDecimal s = decimal(node);
        if (s != null) {
            if (s.signum() >= 0) {
                return Duration.ofNanos(s.movePointRight(9).longValue());
            }
        }
        throw wrongType(node, key, "a number of seconds, 0 or more");
    }

    /** The number, exactly, or null when the node is not a number. */
    private static BigDecimal decimal(YamlNode node) {
        if (node.value() instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        return node.value() instanceof BigDecimal d ? d : null;
    }

    /** A price in USD per token, 0 or more, as the exact decimal written. */
    private String usd(YamlNode node, String key) {
        BigDecimal d = decimal(node);
        if (d == null && node.value() instanceof String text) {
            try {
                d = new BigDecimal(text.strip()); // YAML 1.1 reads 6e-7 (no dot) as a string, PyYAML too
            } catch (NumberFormatException notANumber) {
                d = null;
            }
        }
        if (d == null || d.signum() < 0) {
            throw wrongType(node, key, "a price in USD per token, 0 or more");
        }
        return d.toPlainString();
    }

    private LiteLlmConfigException wrongType(YamlNode node, String key, String expected) {
        // Names the type found, never the value: it may be a secret.
        return new LiteLlmConfigException(source, node.line(), key, "expected " + expected + ", found " + node.typeName());
    }
}
