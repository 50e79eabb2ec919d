package io.llmrouter.providers.openai;

import io.llmrouter.spi.Provider;
import io.llmrouter.spi.ProviderFactory;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Registers the OpenAI adapter for the route prefix of every built-in
 * {@link OpenAiCompatibleVendor} ({@code openai}, {@code groq}, {@code mistral}, {@code deepseek},
 * {@code together_ai}, {@code fireworks_ai}, {@code openrouter}, {@code xai}, {@code perplexity},
 * {@code cerebras}, {@code ollama}, {@code vllm}, {@code hosted_vllm}, {@code lm_studio},
 * {@code huggingface}, {@code databricks}, {@code watsonx}, {@code nvidia_nim}, {@code sambanova},
 * {@code novita}, {@code nebius}, {@code deepinfra}, {@code openai_compatible}), found by {@link java.util.ServiceLoader}.
 *
 * <p>Each prefix gets its own {@link OpenAiProvider} ({@link #create(String)}, which the router
 * calls once per prefix); all share the one default OkHttp client. {@link #create()} is the
 * {@code openai} provider.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class OpenAiProviderFactory implements ProviderFactory {

    /** The route prefix of OpenAI itself. */
    public static final String ROUTE_PREFIX = OpenAiProvider.NAME;

    private static final Set<String> PREFIXES;

    static {
        Set<String> prefixes = new LinkedHashSet<>();
        OpenAiCompatibleVendor.all().forEach(v -> prefixes.add(v.prefix()));
        PREFIXES = Set.copyOf(prefixes);
    }

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public OpenAiProviderFactory() {
    }

    /** The prefixes of every built-in vendor. */
    @Override
    public Set<String> routePrefixes() {
        return PREFIXES;
    }

    /**
     * One provider for every prefix of {@link #routePrefixes()}: it hands each call to that
     * prefix's {@link OpenAiProvider}, chosen by the call's route ({@code groq/llama-3.3-70b-versatile}
     * goes to Groq's), and fails a call of any other prefix with a
     * {@link io.llmrouter.api.exception.BadRequestException}. Its {@code name()} is
     * {@value #ROUTE_PREFIX}.
     *
     * @return a new provider
     */
    @Override
    public Provider create() {
        return OpenAiProvider.create();
    }

    /**
     * The provider of one route prefix, with the shared default OkHttp client.
     *
     * @param routePrefix a prefix of {@link #routePrefixes()} (case-insensitive)
     * @return a new provider for that vendor
     * @throws IllegalArgumentException if the prefix is not one of them
     */
    @Override
    public OpenAiProvider create(String routePrefix) {
        Objects.requireNonNull(routePrefix, "routePrefix");
        return OpenAiProvider.of(OpenAiCompatibleVendor.forPrefix(routePrefix.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new IllegalArgumentException("routePrefix '" + routePrefix
                        + "' is not served by the OpenAI adapter; known: " + new TreeSet<>(PREFIXES))));
    }
}
