/**
 * {@link io.llmrouter.litellm.LiteLlmConfig}: loads a LiteLLM {@code config.yaml} into a
 * {@link io.llmrouter.Router.Builder}. Jackson's YAML reader is used inside only, so it is read but
 * not re-exported.
 *
 * @since 0.1.0
 */
module io.llmrouter.litellm {
    requires transitive io.llmrouter.core;
    requires io.llmrouter.api;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.dataformat.yaml;
    // Optional: Redis settings need router-redis, detected at run time.
    requires static io.llmrouter.redis;
    // Optional: provider-specific params use the adapters' option keys, detected at run time.
    requires static io.llmrouter.providers;

    exports io.llmrouter.litellm;

    uses io.llmrouter.spi.ProviderFactory;
}
