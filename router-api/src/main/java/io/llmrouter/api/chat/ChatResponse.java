package io.llmrouter.api.chat;

import io.llmrouter.api.RouterResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A chat-completions answer in OpenAI's shape ({@code object: "chat.completion"}): the generated
 * choices and the token usage, plus what the router adds: the {@link #cost()} and how the request
 * was {@linkplain #routing() routed}.
 *
 * <p>Top-level fields this type does not model (e.g. Azure's {@code prompt_filter_results}) are
 * kept in {@link #extraFields()}. Immutable and thread-safe; the builder is not thread-safe.
 *
 * <pre>{@code
 * ChatResponse response = ChatResponse.builder()
 *     .id("chatcmpl-123")
 *     .model("gpt-4o")
 *     .addChoice(Choice.of(0, Message.assistant("Hi!"), FinishReason.STOP))
 *     .usage(Usage.of(9, 2))
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ChatResponse implements RouterResponse {

    /** The OpenAI object type of a chat completion: {@value}. */
    public static final String OBJECT = "chat.completion";

    /** The reason of the {@linkplain #DEFAULT_COST default cost}: {@value}. */
    public static final String NOT_PRICED_REASON = "not priced: the response did not pass through a router";

    /** The cost of a response nobody priced: unpriced, for {@value #NOT_PRICED_REASON}. */
    public static final Cost DEFAULT_COST = Cost.unpriced(NOT_PRICED_REASON);

    /** Wire names of the typed fields, which {@link #extraFields()} may not use. */
    private static final Set<String> TYPED_FIELDS = Set.of("id", "object", "created", "model", "choices", "usage",
            "system_fingerprint", "service_tier");

    private final String id;
    private final long created;
    private final String model;
    private final List<Choice> choices;
    private final Usage usage;
    private final String systemFingerprint;
    private final String serviceTier;
    private final Cost cost;
    private final RoutingInfo routing;
    private final CacheInfo cache;
    private final Map<String, JsonNode> extraFields;
    private final boolean extraFieldsMutable;

    private ChatResponse(Builder b) {
        this.id = b.id;
        this.created = b.created;
        this.model = b.model;
        this.choices = List.copyOf(b.choices);
        this.usage = b.usage;
        this.systemFingerprint = b.systemFingerprint;
        this.serviceTier = b.serviceTier;
        this.cost = b.cost;
        this.routing = b.routing;
        this.cache = b.cache;
        this.extraFields = b.extraFields.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.extraFields));
        this.extraFieldsMutable = JsonFields.hasContainer(extraFields);
    }

    /**
     * A new builder; {@code created} starts at 0 and the cost at {@link #DEFAULT_COST}.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this response's values.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.created = created;
        b.model = model;
        b.choices = choices; // immutable: shared until the builder changes it
        b.usage = usage;
        b.systemFingerprint = systemFingerprint;
        b.serviceTier = serviceTier;
        b.cost = cost;
        b.routing = routing;
        b.cache = cache;
        b.extraFields = extraFields; // unmodifiable: shared until the builder changes it
        return b;
    }

    /**
     * The provider's id of the completion, e.g. {@code chatcmpl-123}.
     *
     * @return the id, never blank
     */
    public String id() {
        return id;
    }

    /**
     * The object type.
     *
     * @return always {@value #OBJECT}
     */
    public String object() {
        return OBJECT;
    }

    /**
     * When the completion was created, in seconds since the epoch.
     *
     * @return the time, 0 when the provider did not say
     */
    public long created() {
        return created;
    }

    /**
     * The model that answered, as the provider names it (e.g. {@code gpt-4o-2024-08-06}).
     *
     * @return the model, never blank
     */
    @Override
    public String model() {
        return model;
    }

    /**
     * The generated choices, at least one.
     *
     * @return the choices in order
     */
    public List<Choice> choices() {
        return choices;
    }

    /**
     * Token usage.
     *
     * @return the usage, or empty when the provider did not report it
     */
    @Override
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    /**
     * The backend configuration fingerprint ({@code system_fingerprint}).
     *
     * @return the fingerprint, or empty
     */
    public Optional<String> systemFingerprint() {
        return Optional.ofNullable(systemFingerprint);
    }

    /**
     * The service tier that served the request ({@code service_tier}).
     *
     * @return the tier, or empty
     */
    public Optional<String> serviceTier() {
        return Optional.ofNullable(serviceTier);
    }

    /**
     * What the answer cost; set by the router.
     *
     * @return the cost, {@link #DEFAULT_COST} (unpriced) when nobody priced it
     */
    @Override
    public Cost cost() {
        return cost;
    }

    /**
     * How the router served the request; set by the router.
     *
     * @return the routing information, or empty when the response did not pass through a router
     */
    @Override
    public Optional<RoutingInfo> routing() {
        return Optional.ofNullable(routing);
    }

    /**
     * How the response came from the router's response cache; set by the router.
     *
     * @return the cache information, or empty when a provider answered this request
     * @since 0.1.0
     */
    @Override
    public Optional<CacheInfo> cache() {
        return Optional.ofNullable(cache);
    }

    /**
     * The first choice's text.
     *
     * @return the text, {@code ""} when there is none
     */
    public String text() {
        return choices.get(0).message().text();
    }

    /**
     * The first choice's finish reason.
     *
     * @return the finish reason
     */
    public Optional<FinishReason> finishReason() {
        return Optional.of(choices.get(0).finishReason());
    }

    /**
     * The first choice's tool calls.
     *
     * @return the calls, empty when there are none
     */
    public List<ToolCall> toolCalls() {
        return choices.get(0).message().toolCalls();
    }

    /**
     * Top-level fields this type does not model, by wire name; the values are copies the caller may
     * change.
     *
     * @return the fields in wire order, empty when there are none
     */
    public Map<String, JsonNode> extraFields() {
        return JsonFields.copyOut(extraFields, extraFieldsMutable);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChatResponse r && id.equals(r.id) && created == r.created && model.equals(r.model)
                && choices.equals(r.choices) && Objects.equals(usage, r.usage)
                && Objects.equals(systemFingerprint, r.systemFingerprint) && Objects.equals(serviceTier, r.serviceTier)
                && cost.equals(r.cost) && Objects.equals(routing, r.routing) && Objects.equals(cache, r.cache)
                && extraFields.equals(r.extraFields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, created, model, choices, usage, systemFingerprint, serviceTier, cost, routing,
                cache, extraFields);
    }

    @Override
    public String toString() {
        return "ChatResponse[id=" + id + ", model=" + model + ", choices=" + choices
                + (usage == null ? "" : ", usage=" + usage) + ", cost=" + cost
                + (routing == null ? "" : ", routing=" + routing) + (cache == null ? "" : ", cache=" + cache)
                + (extraFields.isEmpty() ? "" : ", extraFields=" + extraFields.keySet()) + "]";
    }

    /** Builds a {@link ChatResponse}; not thread-safe. */
    public static final class Builder {
        private String id;
        private long created;
        private String model;
        // Both start as (or are shared) immutable collections and are copied on the first change, so
        // a builder that only sets scalars (the router adding cost and routing) allocates neither.
        private List<Choice> choices = List.of();
        private boolean choicesOwned;
        private Usage usage;
        private String systemFingerprint;
        private String serviceTier;
        private Cost cost = DEFAULT_COST;
        private RoutingInfo routing;
        private CacheInfo cache;
        private Map<String, JsonNode> extraFields = Map.of();
        private boolean extraFieldsOwned;

        private Builder() {
        }

        /**
         * Sets the provider's completion id (required).
         *
         * @param id the id, not blank
         * @return this builder
         * @throws NullPointerException if {@code id} is null
         * @throws IllegalArgumentException if {@code id} is blank
         */
        public Builder id(String id) {
            this.id = nonBlank(id, "id");
            return this;
        }

        /**
         * Sets the creation time.
         *
         * @param created seconds since the epoch, at least 0; default 0
         * @return this builder
         * @throws IllegalArgumentException naming the value when it is negative
         */
        public Builder created(long created) {
            if (created < 0) {
                throw new IllegalArgumentException("created must not be negative, was " + created);
            }
            this.created = created;
            return this;
        }

        /**
         * Sets the model that answered (required).
         *
         * @param model the model, not blank
         * @return this builder
         * @throws NullPointerException if {@code model} is null
         * @throws IllegalArgumentException if {@code model} is blank
         */
        public Builder model(String model) {
            this.model = nonBlank(model, "model");
            return this;
        }

        /**
         * Replaces the choices.
         *
         * @param choices the choices, copied
         * @return this builder
         * @throws NullPointerException if {@code choices} or one of them is null
         */
        public Builder choices(List<Choice> choices) {
            this.choices = List.copyOf(Objects.requireNonNull(choices, "choices"));
            this.choicesOwned = false;
            return this;
        }

        /**
         * Adds one choice.
         *
         * @param choice the choice
         * @return this builder
         * @throws NullPointerException if {@code choice} is null
         */
        public Builder addChoice(Choice choice) {
            Objects.requireNonNull(choice, "choice");
            if (!choicesOwned) {
                choices = new ArrayList<>(choices);
                choicesOwned = true;
            }
            choices.add(choice);
            return this;
        }

        /**
         * Sets the token usage.
         *
         * @param usage the usage
         * @return this builder
         * @throws NullPointerException if {@code usage} is null
         */
        public Builder usage(Usage usage) {
            this.usage = Objects.requireNonNull(usage, "usage");
            return this;
        }

        /**
         * Sets the backend configuration fingerprint.
         *
         * @param systemFingerprint the fingerprint
         * @return this builder
         * @throws NullPointerException if {@code systemFingerprint} is null
         */
        public Builder systemFingerprint(String systemFingerprint) {
            this.systemFingerprint = Objects.requireNonNull(systemFingerprint, "systemFingerprint");
            return this;
        }

        /**
         * Sets the service tier that served the request.
         *
         * @param serviceTier the tier, e.g. {@code default}
         * @return this builder
         * @throws NullPointerException if {@code serviceTier} is null
         */
        public Builder serviceTier(String serviceTier) {
            this.serviceTier = Objects.requireNonNull(serviceTier, "serviceTier");
            return this;
        }

        /**
         * Sets what the answer cost.
         *
         * @param cost the cost; default {@link ChatResponse#DEFAULT_COST}
         * @return this builder
         * @throws NullPointerException if {@code cost} is null
         */
        public Builder cost(Cost cost) {
            this.cost = Objects.requireNonNull(cost, "cost");
            return this;
        }

        /**
         * Sets how the router served the request.
         *
         * @param routing the routing information
         * @return this builder
         * @throws NullPointerException if {@code routing} is null
         */
        public Builder routing(RoutingInfo routing) {
            this.routing = Objects.requireNonNull(routing, "routing");
            return this;
        }

        /**
         * Says the response came from the router's response cache.
         *
         * @param cache the cache information
         * @return this builder
         * @throws NullPointerException if {@code cache} is null
         * @since 0.1.0
         */
        public Builder cache(CacheInfo cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * Replaces the top-level fields this type does not model; deep copies are taken.
         *
         * @param extraFields wire name to value; JSON null is {@code NullNode}
         * @return this builder
         * @throws NullPointerException if the map, a key or a value is null
         * @throws IllegalArgumentException if a key is blank or a typed field's wire name
         */
        public Builder extraFields(Map<String, JsonNode> extraFields) {
            this.extraFields = JsonFields.copyOf(extraFields, "extraFields", TYPED_FIELDS);
            this.extraFieldsOwned = false;
            return this;
        }

        /**
         * Adds or replaces one top-level field this type does not model; a deep copy is taken.
         *
         * @param name the wire name, e.g. {@code prompt_filter_results}
         * @param value the value
         * @return this builder
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code name} is blank or a typed field's wire name
         */
        public Builder putExtraField(String name, JsonNode value) {
            JsonFields.checkKey(name, "extraFields", TYPED_FIELDS);
            JsonNode copy = JsonFields.copy(value, "value");
            if (!extraFieldsOwned) {
                extraFields = new LinkedHashMap<>(extraFields);
                extraFieldsOwned = true;
            }
            extraFields.put(name, copy);
            return this;
        }

        /**
         * Builds the response.
         *
         * @return the response
         * @throws IllegalStateException naming {@code id}, {@code model} or {@code choices} when unset or empty
         */
        public ChatResponse build() {
            if (id == null) {
                throw new IllegalStateException("id is required");
            }
            if (model == null) {
                throw new IllegalStateException("model is required");
            }
            if (choices.isEmpty()) {
                throw new IllegalStateException("choices must contain at least one choice, was empty");
            }
            return new ChatResponse(this);
        }

        private static String nonBlank(String value, String field) {
            Objects.requireNonNull(value, field);
            if (value.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank, was '" + value + "'");
            }
            return value;
        }
    }
}
