package io.llmrouter.providers.openai;

import io.llmrouter.providers.internal.HttpUrls;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One vendor served by the OpenAI adapter: its route prefix, where its API lives, where its key
 * comes from, and the few switches that say how it differs from OpenAI. A vendor is a declaration,
 * not code; {@link OpenAiProvider#of(OpenAiCompatibleVendor)} turns it into a provider.
 *
 * <pre>{@code
 * OpenAiCompatibleVendor corp = OpenAiCompatibleVendor.builder("corp")
 *     .defaultApiBase("https://llm.corp.example/v1")
 *     .apiKeyEnv("CORP_LLM_KEY")
 *     .build();
 * Router.builder().provider("corp", OpenAiProvider.of(corp));
 * }</pre>
 *
 * <p>The built-in vendors are the constants below ({@link #all()}); {@link OpenAiProviderFactory}
 * registers each one's prefix. Defaults of a new declaration: no default base (an {@code apiBase}
 * is then required), no key variable (no {@code Authorization} unless the deployment has a key),
 * fields as given ({@link TokenLimitField#AS_GIVEN}), {@code developer} sent as {@code system},
 * {@code seed} as {@code seed}, no dropped fields, no special statuses, cached tokens only from
 * {@code prompt_tokens_details.cached_tokens}. Streams follow one end-of-stream rule whatever the
 * vendor (see {@link OpenAiProvider#streamAsync}): complete at {@code data: [DONE]} or when the body
 * ends after every choice's {@code finish_reason}, cut otherwise.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class OpenAiCompatibleVendor {

    /** What {@code max_tokens} / {@code max_completion_tokens} become on the wire. */
    public enum TokenLimitField {
        /** Both sent as the request gives them. */
        AS_GIVEN,
        /**
         * {@code max_tokens} renamed {@code max_completion_tokens} (dropped when both are set):
         * OpenAI, whose reasoning models reject {@code max_tokens}.
         */
        MAX_COMPLETION_TOKENS,
        /**
         * {@code max_completion_tokens} renamed {@code max_tokens} (which wins when both are set):
         * vendors whose API knows only {@code max_tokens} (Mistral, DeepSeek).
         */
        MAX_TOKENS
    }

    /** What an HTTP status means for a vendor when it differs from the usual reading. */
    public enum StatusMeaning {
        /**
         * The vendor is out of capacity: a retryable
         * {@link io.llmrouter.api.exception.ServiceUnavailableException} (Groq's 498).
         */
        OVERLOADED,
        /**
         * The account has no credit left: a {@link io.llmrouter.api.exception.RateLimitException}
         * that is not retryable (the deployment cools down and the router falls back), as for
         * OpenAI's {@code insufficient_quota} (DeepSeek's and OpenRouter's 402).
         */
        OUT_OF_CREDIT,
        /**
         * The input was flagged by moderation: a
         * {@link io.llmrouter.api.exception.ContentPolicyViolationException} carrying the
         * error's {@code metadata} as details (OpenRouter's 403).
         */
        CONTENT_POLICY
    }

    private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** OpenAI itself: {@code max_tokens} is sent as {@code max_completion_tokens}; {@code developer} kept. */
    public static final OpenAiCompatibleVendor OPENAI = builder("openai")
            .defaultApiBase("https://api.openai.com/v1")
            .apiKeyEnv("OPENAI_API_KEY")
            .tokenLimitField(TokenLimitField.MAX_COMPLETION_TOKENS)
            .keepDeveloperRole()
            .build();

    /** Groq: 498 (flex capacity exceeded) is a retryable overload. */
    public static final OpenAiCompatibleVendor GROQ = builder("groq")
            .defaultApiBase("https://api.groq.com/openai/v1")
            .apiKeyEnv("GROQ_API_KEY")
            .statusMeaning(498, StatusMeaning.OVERLOADED)
            .build();

    /**
     * Mistral: {@code seed} is sent as {@code random_seed}, {@code max_completion_tokens} as
     * {@code max_tokens}; {@code user}, {@code logprobs}, {@code top_logprobs}, {@code logit_bias}
     * and {@code stream_options} are not in its schema and are dropped (its streams carry usage on
     * the last chunk anyway); cached tokens also from {@code num_cached_tokens}.
     */
    public static final OpenAiCompatibleVendor MISTRAL = builder("mistral")
            .defaultApiBase("https://api.mistral.ai/v1")
            .apiKeyEnv("MISTRAL_API_KEY")
            .tokenLimitField(TokenLimitField.MAX_TOKENS)
            .seedField("random_seed")
            .dropFields(List.of("user", "logprobs", "top_logprobs", "logit_bias", "stream_options"))
            .addCachedTokensField("num_cached_tokens")
            .build();

    /**
     * DeepSeek: {@code max_completion_tokens} is sent as {@code max_tokens}; 402 (insufficient
     * balance) is out of credit; cached tokens from {@code prompt_cache_hit_tokens}.
     */
    public static final OpenAiCompatibleVendor DEEPSEEK = builder("deepseek")
            .defaultApiBase("https://api.deepseek.com")
            .apiKeyEnv("DEEPSEEK_API_KEY")
            .tokenLimitField(TokenLimitField.MAX_TOKENS)
            .statusMeaning(402, StatusMeaning.OUT_OF_CREDIT)
            .addCachedTokensField("prompt_cache_hit_tokens")
            .build();

    /** Together AI; key from {@code TOGETHERAI_API_KEY} (LiteLLM's name), else {@code TOGETHER_API_KEY}. */
    public static final OpenAiCompatibleVendor TOGETHER_AI = builder("together_ai")
            .defaultApiBase("https://api.together.xyz/v1")
            .apiKeyEnv("TOGETHERAI_API_KEY", "TOGETHER_API_KEY")
            .build();

    /** Fireworks AI. */
    public static final OpenAiCompatibleVendor FIREWORKS_AI = builder("fireworks_ai")
            .defaultApiBase("https://api.fireworks.ai/inference/v1")
            .apiKeyEnv("FIREWORKS_API_KEY")
            .build();

    /**
     * OpenRouter: 402 (insufficient credits) is out of credit, 403 (moderation) a content-policy
     * violation; attribution headers from {@link OpenAiProvider#OPENROUTER_REFERER} and
     * {@link OpenAiProvider#OPENROUTER_TITLE}.
     */
    public static final OpenAiCompatibleVendor OPENROUTER = builder("openrouter")
            .defaultApiBase("https://openrouter.ai/api/v1")
            .apiKeyEnv("OPENROUTER_API_KEY")
            .statusMeaning(402, StatusMeaning.OUT_OF_CREDIT)
            .statusMeaning(403, StatusMeaning.CONTENT_POLICY)
            .build();

    /**
     * xAI (Grok): reasoning tokens are reported apart from {@code completion_tokens} (their total is
     * prompt + completion + reasoning) and billed as output, so they are added to the completion tokens.
     */
    public static final OpenAiCompatibleVendor XAI = builder("xai")
            .defaultApiBase("https://api.x.ai/v1")
            .apiKeyEnv("XAI_API_KEY")
            .reasoningReportedApart()
            .build();

    /**
     * Perplexity; key from {@code PERPLEXITYAI_API_KEY} (LiteLLM's name), else {@code PERPLEXITY_API_KEY}.
     * Reasoning tokens ({@code usage.reasoning_tokens}) are reported apart from {@code completion_tokens} and
     * added to them; every answer pays a request fee, so one search is counted when the usage states no
     * {@code num_search_queries}.
     */
    public static final OpenAiCompatibleVendor PERPLEXITY = builder("perplexity")
            .defaultApiBase("https://api.perplexity.ai")
            .apiKeyEnv("PERPLEXITYAI_API_KEY", "PERPLEXITY_API_KEY")
            .reasoningReportedApart()
            .searchFeePerRequest()
            .build();

    /** Cerebras. */
    public static final OpenAiCompatibleVendor CEREBRAS = builder("cerebras")
            .defaultApiBase("https://api.cerebras.ai/v1")
            .apiKeyEnv("CEREBRAS_API_KEY")
            .build();

    /** Ollama's OpenAI-compatible API; no key; {@code OLLAMA_API_BASE} overrides the local default. */
    public static final OpenAiCompatibleVendor OLLAMA = builder("ollama")
            .defaultApiBase("http://localhost:11434/v1")
            .apiBaseEnv("OLLAMA_API_BASE")
            .build();

    /** A vLLM OpenAI-compatible server: {@code apiBase} required; optional key {@code HOSTED_VLLM_API_KEY}. */
    public static final OpenAiCompatibleVendor VLLM = builder("vllm")
            .apiKeyEnv("HOSTED_VLLM_API_KEY")
            .optionalApiKey()
            .build();

    /** A hosted vLLM server (LiteLLM's name): same as {@link #VLLM}. */
    public static final OpenAiCompatibleVendor HOSTED_VLLM = VLLM.toBuilder("hosted_vllm").build();

    /** LM Studio's local server; no key. */
    public static final OpenAiCompatibleVendor LM_STUDIO = builder("lm_studio")
            .defaultApiBase("http://localhost:1234/v1")
            .build();

    /**
     * Hugging Face Inference Providers through its OpenAI-compatible router (the model id may name
     * the provider: {@code deepseek-ai/DeepSeek-R1:together}); a dedicated Inference Endpoint is a
     * deployment {@code apiBase} ({@code https://<endpoint>.endpoints.huggingface.cloud/v1}) with its
     * own key. Key from {@code HF_TOKEN}, else {@code HUGGINGFACE_API_KEY} (LiteLLM's name);
     * {@code max_completion_tokens} is sent as {@code max_tokens}.
     *
     * @since 0.1.0
     */
    public static final OpenAiCompatibleVendor HUGGINGFACE = builder("huggingface")
            .defaultApiBase("https://router.huggingface.co/v1")
            .apiKeyEnv("HF_TOKEN", "HUGGINGFACE_API_KEY")
            .tokenLimitField(TokenLimitField.MAX_TOKENS)
            .build();

    /**
     * Databricks Model Serving: no default base, the workspace's
     * {@code https://<workspace>/serving-endpoints} from the deployment's {@code apiBase} or
     * {@code DATABRICKS_API_BASE}; the model is the serving endpoint's name; a personal access token
     * (or another bearer token) from {@code DATABRICKS_API_KEY}. {@code max_completion_tokens} is
     * sent as {@code max_tokens}; {@code stream_options} is dropped (endpoints backed by other
     * vendors reject it, reported), so streams carry usage only where the endpoint sends it.
     *
     * @since 0.1.0
     */
    public static final OpenAiCompatibleVendor DATABRICKS = builder("databricks")
            .apiBaseEnv("DATABRICKS_API_BASE")
            .apiKeyEnv("DATABRICKS_API_KEY")
            .tokenLimitField(TokenLimitField.MAX_TOKENS)
            .dropFields(List.of("stream_options"))
            .build();

    /**
     * IBM watsonx.ai's OpenAI-compatible model gateway ({@code /ml/gateway/v1}, Dallas by default; a
     * deployment {@code apiBase} for another region or a Software Hub cluster). Its bearer is an IBM
     * Cloud IAM access token from the deployment's key or {@code WATSONX_TOKEN}: the adapter does not
     * exchange an IBM Cloud API key for a token nor refresh it (tokens expire after about an hour),
     * and does not speak watsonx's native {@code /ml/v1/text/chat} API with project ids.
     *
     * @since 0.1.0
     */
    public static final OpenAiCompatibleVendor WATSONX = builder("watsonx")
            .defaultApiBase("https://us-south.ml.cloud.ibm.com/ml/gateway/v1")
            .apiKeyEnv("WATSONX_TOKEN")
            .build();

    /**
     * NVIDIA NIM (the hosted API catalog, or a self-hosted NIM as {@code apiBase} or
     * {@code NVIDIA_NIM_API_BASE}): {@code max_completion_tokens} is sent as {@code max_tokens};
     * {@code stream_options} is dropped (a stream asking for usage is reported to hang).
     *
     * @since 0.1.0
     */
    public static final OpenAiCompatibleVendor NVIDIA_NIM = builder("nvidia_nim")
            .defaultApiBase("https://integrate.api.nvidia.com/v1")
            .apiBaseEnv("NVIDIA_NIM_API_BASE")
            .apiKeyEnv("NVIDIA_NIM_API_KEY")
            .tokenLimitField(TokenLimitField.MAX_TOKENS)
            .dropFields(List.of("stream_options"))
            .build();

    /**
     * SambaNova Cloud: {@code max_completion_tokens} is sent as {@code max_tokens}.
     *
     * @since 0.1.0
     */
    public static final OpenAiCompatibleVendor SAMBANOVA = builder("sambanova")
            .defaultApiBase("https://api.sambanova.ai/v1")
            .apiKeyEnv("SAMBANOVA_API_KEY")
            .tokenLimitField(TokenLimitField.MAX_TOKENS)
            .build();

    /**
     * Novita AI: {@code max_completion_tokens} is sent as {@code max_tokens}.
     *
     * @since 0.1.0
     */
    public static final OpenAiCompatibleVendor NOVITA = builder("novita")
            .defaultApiBase("https://api.novita.ai/v3/openai")
            .apiKeyEnv("NOVITA_API_KEY")
            .tokenLimitField(TokenLimitField.MAX_TOKENS)
            .build();

    /**
     * Nebius AI Studio; {@code NEBIUS_API_BASE} overrides the default base;
     * {@code max_completion_tokens} is sent as {@code max_tokens}.
     *
     * @since 0.1.0
     */
    public static final OpenAiCompatibleVendor NEBIUS = builder("nebius")
            .defaultApiBase("https://api.studio.nebius.ai/v1")
            .apiBaseEnv("NEBIUS_API_BASE")
            .apiKeyEnv("NEBIUS_API_KEY")
            .tokenLimitField(TokenLimitField.MAX_TOKENS)
            .build();

    /**
     * DeepInfra's OpenAI-compatible API: {@code max_completion_tokens} is sent as {@code max_tokens}.
     *
     * @since 0.1.0
     */
    public static final OpenAiCompatibleVendor DEEPINFRA = builder("deepinfra")
            .defaultApiBase("https://api.deepinfra.com/v1/openai")
            .apiKeyEnv("DEEPINFRA_API_KEY")
            .tokenLimitField(TokenLimitField.MAX_TOKENS)
            .build();

    /** Any OpenAI-compatible server: {@code apiBase} required, key only from the deployment. */
    public static final OpenAiCompatibleVendor OPENAI_COMPATIBLE = builder("openai_compatible")
            .build();

    private static final List<OpenAiCompatibleVendor> ALL = List.of(OPENAI, GROQ, MISTRAL, DEEPSEEK, TOGETHER_AI,
            FIREWORKS_AI, OPENROUTER, XAI, PERPLEXITY, CEREBRAS, OLLAMA, VLLM, HOSTED_VLLM, LM_STUDIO,
            HUGGINGFACE, DATABRICKS, WATSONX, NVIDIA_NIM, SAMBANOVA, NOVITA, NEBIUS, DEEPINFRA, OPENAI_COMPATIBLE);

    private final String prefix;
    private final String defaultApiBase;
    private final String apiBaseEnv;
    private final List<String> apiKeyEnvs;
    private final boolean apiKeyRequired;
    private final TokenLimitField tokenLimitField;
    private final boolean keepsDeveloperRole;
    private final String seedField;
    private final Set<String> droppedFields;
    private final Map<Integer, StatusMeaning> statusMeanings;
    private final List<String> cachedTokensFields;
    private final boolean reportsReasoningApart;
    private final boolean billsSearchFeePerRequest;

    private OpenAiCompatibleVendor(Builder b) {
        this.prefix = b.prefix;
        this.defaultApiBase = b.defaultApiBase;
        this.apiBaseEnv = b.apiBaseEnv;
        this.apiKeyEnvs = List.copyOf(b.apiKeyEnvs);
        this.apiKeyRequired = !b.apiKeyEnvs.isEmpty() && !b.optionalApiKey;
        this.tokenLimitField = b.tokenLimitField;
        this.keepsDeveloperRole = b.keepDeveloperRole;
        this.seedField = b.seedField;
        this.droppedFields = Set.copyOf(b.droppedFields);
        this.statusMeanings = Map.copyOf(b.statusMeanings);
        this.cachedTokensFields = List.copyOf(b.cachedTokensFields);
        this.reportsReasoningApart = b.reasoningReportedApart;
        this.billsSearchFeePerRequest = b.searchFeePerRequest;
    }

    /**
     * A builder for a vendor served under {@code prefix}.
     *
     * @param prefix the route prefix: lower-case letters, digits, {@code _ . -}, e.g. {@code groq}
     * @return the builder
     * @throws IllegalArgumentException if the prefix is not of that form
     */
    public static Builder builder(String prefix) {
        return new Builder(prefix);
    }

    /**
     * A builder holding this vendor's values under another prefix, e.g. to declare a second
     * vLLM cluster.
     *
     * @param prefix the new route prefix
     * @return the builder
     */
    public Builder toBuilder(String prefix) {
        Builder b = new Builder(prefix);
        b.defaultApiBase = defaultApiBase;
        b.apiBaseEnv = apiBaseEnv;
        b.apiKeyEnvs.addAll(apiKeyEnvs);
        b.optionalApiKey = !apiKeyEnvs.isEmpty() && !apiKeyRequired;
        b.tokenLimitField = tokenLimitField;
        b.keepDeveloperRole = keepsDeveloperRole;
        b.seedField = seedField;
        b.droppedFields.addAll(droppedFields);
        b.statusMeanings.putAll(statusMeanings);
        b.cachedTokensFields.addAll(cachedTokensFields);
        b.reasoningReportedApart = reportsReasoningApart;
        b.searchFeePerRequest = billsSearchFeePerRequest;
        return b;
    }

    /** A builder holding this vendor's values, same prefix. */
    public Builder toBuilder() {
        return toBuilder(prefix);
    }

    /** Every built-in vendor, OpenAI first. */
    public static List<OpenAiCompatibleVendor> all() {
        return ALL;
    }

    /**
     * The built-in vendor of a route prefix.
     *
     * @param prefix a route prefix (case-insensitive)
     * @return the vendor, when built in
     */
    public static Optional<OpenAiCompatibleVendor> forPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        String p = prefix.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(v -> v.prefix.equals(p)).findFirst();
    }

    /** The route prefix, e.g. {@code groq} for {@code groq/llama-3.3-70b-versatile}. */
    public String prefix() {
        return prefix;
    }

    /** The base URL used when a deployment sets no {@code apiBase}; empty when one is required. */
    public Optional<String> defaultApiBase() {
        return Optional.ofNullable(defaultApiBase);
    }

    /**
     * The environment variable that, when set, replaces {@link #defaultApiBase()} (a deployment's
     * {@code apiBase} still wins). A value with no path gets the default base's path
     * ({@code http://gpu:11434} becomes {@code http://gpu:11434/v1}).
     */
    public Optional<String> apiBaseEnv() {
        return Optional.ofNullable(apiBaseEnv);
    }

    /** The environment variables holding the key, tried in order; empty when the vendor needs none. */
    public List<String> apiKeyEnvs() {
        return apiKeyEnvs;
    }

    /**
     * Whether a call to the vendor's own base fails with an
     * {@link io.llmrouter.api.exception.AuthenticationException} when neither the deployment nor
     * {@link #apiKeyEnvs()} gives a key.
     */
    public boolean isApiKeyRequired() {
        return apiKeyRequired;
    }

    /** How the token limit fields are sent. */
    public TokenLimitField tokenLimitField() {
        return tokenLimitField;
    }

    /** Whether {@code developer} messages are sent as such (else as {@code system}). */
    public boolean keepsDeveloperRole() {
        return keepsDeveloperRole;
    }

    /** The wire name of {@code seed} ({@code random_seed} on Mistral). */
    public String seedField() {
        return seedField;
    }

    /** Top-level request fields the vendor rejects, removed before sending. */
    public Set<String> droppedFields() {
        return droppedFields;
    }

    /** HTTP statuses whose meaning differs from the usual reading. */
    public Map<Integer, StatusMeaning> statusMeanings() {
        return statusMeanings;
    }

    /**
     * Usage fields read as cached tokens, in order, when {@code prompt_tokens_details.cached_tokens}
     * is absent or 0.
     */
    public List<String> cachedTokensFields() {
        return cachedTokensFields;
    }

    /**
     * Whether the vendor reports reasoning tokens apart from {@code completion_tokens} (xAI in
     * {@code completion_tokens_details.reasoning_tokens}, Perplexity in {@code usage.reasoning_tokens}); the
     * adapter then adds them to {@link io.llmrouter.api.chat.Usage#completionTokens()}, which always includes
     * reasoning, so the answer is billed for them.
     */
    public boolean reportsReasoningApart() {
        return reportsReasoningApart;
    }

    /**
     * Whether every answer pays one search (request) fee: the adapter reports one
     * {@linkplain io.llmrouter.api.chat.Usage#searchQueries() search} when the usage states no
     * {@code num_search_queries} (Perplexity's Sonar request fee).
     */
    public boolean billsSearchFeePerRequest() {
        return billsSearchFeePerRequest;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpenAiCompatibleVendor v && prefix.equals(v.prefix)
                && Objects.equals(defaultApiBase, v.defaultApiBase) && Objects.equals(apiBaseEnv, v.apiBaseEnv)
                && apiKeyEnvs.equals(v.apiKeyEnvs) && apiKeyRequired == v.apiKeyRequired
                && tokenLimitField == v.tokenLimitField && keepsDeveloperRole == v.keepsDeveloperRole
                && seedField.equals(v.seedField) && droppedFields.equals(v.droppedFields)
                && statusMeanings.equals(v.statusMeanings) && cachedTokensFields.equals(v.cachedTokensFields)
                && reportsReasoningApart == v.reportsReasoningApart
                && billsSearchFeePerRequest == v.billsSearchFeePerRequest;
    }

    @Override
    public int hashCode() {
        return Objects.hash(prefix, defaultApiBase, apiKeyEnvs);
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleVendor[" + prefix + ", defaultApiBase=" + defaultApiBase + ", apiKeyEnvs="
                + apiKeyEnvs + (apiKeyRequired ? " (required)" : "") + "]";
    }

    /**
     * Builds an {@link OpenAiCompatibleVendor}. Not thread-safe; the built vendor is immutable and
     * thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final String prefix;
        private String defaultApiBase;
        private String apiBaseEnv;
        private final List<String> apiKeyEnvs = new ArrayList<>();
        private boolean optionalApiKey;
        private TokenLimitField tokenLimitField = TokenLimitField.AS_GIVEN;
        private boolean keepDeveloperRole;
        private String seedField = "seed";
        private final Set<String> droppedFields = new LinkedHashSet<>();
        private final Map<Integer, StatusMeaning> statusMeanings = new LinkedHashMap<>();
        private final List<String> cachedTokensFields = new ArrayList<>();
        private boolean reasoningReportedApart;
        private boolean searchFeePerRequest;

        private Builder(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (!PREFIX.matcher(prefix).matches()) {
                throw new IllegalArgumentException("prefix must be lower-case letters, digits, '_', '.' or '-', was '"
                        + prefix + "'");
            }
            this.prefix = prefix;
        }

        /**
         * The base URL for deployments without {@code apiBase}, e.g. {@code https://api.groq.com/openai/v1};
         * a trailing slash is removed. Default: none (an {@code apiBase} is required).
         *
         * @param url an absolute http(s) URL
         * @return this builder
         * @throws IllegalArgumentException if it is not one
         */
        public Builder defaultApiBase(String url) {
            this.defaultApiBase = HttpUrls.checkedBase(url, "defaultApiBase");
            return this;
        }

        /**
         * The environment variable that overrides the default base, e.g. {@code OLLAMA_API_BASE}.
         *
         * @param name the variable's name
         * @return this builder
         */
        public Builder apiBaseEnv(String name) {
            this.apiBaseEnv = checkedEnv(name, "apiBaseEnv");
            return this;
        }

        /**
         * The environment variables holding the key, tried in order (replacing earlier ones). A key
         * is then required for calls to the vendor's own base unless {@link #optionalApiKey()}.
         *
         * @param names one or more variable names
         * @return this builder
         */
        public Builder apiKeyEnv(String... names) {
            Objects.requireNonNull(names, "names");
            List<String> checked = new ArrayList<>();
            for (String n : names) {
                checked.add(checkedEnv(n, "apiKeyEnv"));
            }
            apiKeyEnvs.clear();
            apiKeyEnvs.addAll(checked);
            return this;
        }

        /** Declares the key optional: without one, no {@code Authorization} header is sent. */
        public Builder optionalApiKey() {
            this.optionalApiKey = true;
            return this;
        }

        /** How the token limit fields are sent; default {@link TokenLimitField#AS_GIVEN}. */
        public Builder tokenLimitField(TokenLimitField field) {
            this.tokenLimitField = Objects.requireNonNull(field, "tokenLimitField");
            return this;
        }

        /** Sends {@code developer} messages as such (default: as {@code system}, which every server knows). */
        public Builder keepDeveloperRole() {
            this.keepDeveloperRole = true;
            return this;
        }

        /** The wire name of {@code seed}; default {@code seed}. */
        public Builder seedField(String name) {
            Objects.requireNonNull(name, "seedField");
            if (name.isBlank()) {
                throw new IllegalArgumentException("seedField must not be blank");
            }
            this.seedField = name;
            return this;
        }

        /** Top-level request fields to remove before sending (replacing earlier ones). */
        public Builder dropFields(Collection<String> fields) {
            Objects.requireNonNull(fields, "fields");
            List<String> copy = List.copyOf(fields);
            droppedFields.clear();
            droppedFields.addAll(copy);
            return this;
        }

        /**
         * What {@code status} means for this vendor.
         *
         * @param status an HTTP status, 400-599
         * @param meaning its meaning
         * @return this builder
         * @throws IllegalArgumentException if the status is not an error status
         */
        public Builder statusMeaning(int status, StatusMeaning meaning) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("status must be 400-599, was " + status);
            }
            statusMeanings.put(status, Objects.requireNonNull(meaning, "meaning"));
            return this;
        }

        /** Adds a usage field read as cached tokens when OpenAI's field is absent or 0. */
        public Builder addCachedTokensField(String field) {
            Objects.requireNonNull(field, "field");
            if (field.isBlank()) {
                throw new IllegalArgumentException("cached tokens field must not be blank");
            }
            cachedTokensFields.add(field);
            return this;
        }

        /**
         * Declares that the vendor reports reasoning tokens apart from {@code completion_tokens}, to be added
         * to them (see {@link OpenAiCompatibleVendor#reportsReasoningApart()}). Default: reasoning is inside
         * {@code completion_tokens}, as at OpenAI.
         *
         * @return this builder
         */
        public Builder reasoningReportedApart() {
            this.reasoningReportedApart = true;
            return this;
        }

        /**
         * Declares that every answer pays one search (request) fee (see
         * {@link OpenAiCompatibleVendor#billsSearchFeePerRequest()}). Default: only reported searches are billed.
         *
         * @return this builder
         */
        public Builder searchFeePerRequest() {
            this.searchFeePerRequest = true;
            return this;
        }

        /**
         * The vendor.
         *
         * @return a new vendor
         * @throws IllegalStateException if {@link #optionalApiKey()} was declared without a key variable
         */
        public OpenAiCompatibleVendor build() {
            if (optionalApiKey && apiKeyEnvs.isEmpty()) {
                throw new IllegalStateException("optionalApiKey needs apiKeyEnv: without a variable no key is read");
            }
            return new OpenAiCompatibleVendor(this);
        }

        private static String checkedEnv(String name, String field) {
            Objects.requireNonNull(name, field);
            if (!ENV.matcher(name).matches()) {
                throw new IllegalArgumentException(field + " must be an environment variable name, was '" + name + "'");
            }
            return name;
        }
    }
}
