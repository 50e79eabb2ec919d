package io.llmrouter.cost;

import java.util.Objects;
import java.util.Optional;

/**
 * A capability a model's price entry declares, from LiteLLM's {@code supports_*} flags.
 *
 * <p>In the TSV price table the capabilities of one model are one cell of comma-separated
 * {@linkplain #tableName() table names}, e.g. {@code function_calling,vision,prompt_caching}.
 *
 * @since 0.1.0
 */
public enum ModelCapability {

    /** Tools / function calling (LiteLLM {@code supports_function_calling}). */
    FUNCTION_CALLING("function_calling"),
    /** Several tool calls in one answer (LiteLLM {@code supports_parallel_function_calling}). */
    PARALLEL_FUNCTION_CALLING("parallel_function_calling"),
    /** Image input (LiteLLM {@code supports_vision}). */
    VISION("vision"),
    /** Structured output with a JSON schema (LiteLLM {@code supports_response_schema}). */
    RESPONSE_SCHEMA("response_schema"),
    /** Provider-side prompt caching (LiteLLM {@code supports_prompt_caching}). */
    PROMPT_CACHING("prompt_caching"),
    /** Reasoning / thinking tokens (LiteLLM {@code supports_reasoning}). */
    REASONING("reasoning");

    private static final ModelCapability[] VALUES = values();

    private final String tableName;

    ModelCapability(String tableName) {
        this.tableName = tableName;
    }

    /**
     * The name used in the TSV price table: the constant's name in lower case, e.g. {@code prompt_caching}.
     *
     * @return the table name, never null
     */
    public String tableName() {
        return tableName;
    }

    /**
     * The LiteLLM field that declares this capability, e.g. {@code supports_prompt_caching}.
     *
     * @return the LiteLLM field name, never null
     */
    public String liteLlmField() {
        return "supports_" + tableName;
    }

    /**
     * The capability with the given {@linkplain #tableName() table name}.
     *
     * @param tableName a table name such as {@code vision}; case-sensitive
     * @return the capability, or empty when the name is unknown
     * @throws NullPointerException if {@code tableName} is null
     */
    public static Optional<ModelCapability> fromTableName(String tableName) {
        Objects.requireNonNull(tableName, "tableName");
        for (ModelCapability c : VALUES) {
            if (c.tableName.equals(tableName)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
