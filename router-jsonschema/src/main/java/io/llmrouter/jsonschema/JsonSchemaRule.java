package io.llmrouter.jsonschema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.control.AttemptContext;
import io.llmrouter.control.ResponseRule;
import io.llmrouter.control.RuleVerdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A response rule for structured outputs: when the request asks for
 * {@code response_format: {"type": "json_schema", ...}}, every choice's text must be JSON that is
 * valid against the request's schema, else the answer is rejected (and so retried on another
 * deployment or fallen back from, like any rejected answer). Requests without a JSON schema, and
 * choices that carry a refusal, only tool calls, or a content-filter finish, are accepted as they
 * are: they are not schema answers.
 *
 * <p>The schema's {@code $schema} picks its draft; without one it is read as draft 2020-12 (what
 * OpenAI's structured outputs use). Remote {@code $ref}s are never fetched: a schema must be self
 * contained ({@code $defs}). Compiled schemas are cached, at most {@link #DEFAULT_MAX_CACHED_SCHEMAS}
 * by default (the cache is emptied when full). A rejection names the first problems found, at most
 * {@value #MAX_REPORTED_ERRORS}, each at its JSON pointer (e.g. {@code /age: string found, integer
 * expected}), in the validator's words.
 *
 * <pre>{@code
 * Router router = Router.builder().deployment(d).responseRule(JsonSchemaRule.create()).build();
 * }</pre>
 *
 * <p>Thread-safe; the builder is not.
 *
 * @since 0.1.0
 */
public final class JsonSchemaRule implements ResponseRule {

    /** Compiled schemas kept by default: {@value}. */
    public static final int DEFAULT_MAX_CACHED_SCHEMAS = 256;
    /** The most validation errors a rejection reason lists: {@value}. */
    public static final int MAX_REPORTED_ERRORS = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean countsTowardCooldown;
    private final int maxCachedSchemas;
    private final SchemaRegistry registry;
    private final Map<JsonNode, Schema> schemas = new ConcurrentHashMap<>();

    private JsonSchemaRule(Builder b) {
        this.countsTowardCooldown = b.countsTowardCooldown;
        this.maxCachedSchemas = b.maxCachedSchemas;
        // No remote $ref is ever fetched: a request's schema must not make the router call out.
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                r -> r.schemaLoader(l -> l.fetchRemoteResources(false)));
    }

    /** The rule with its defaults: rejections do not count toward cooldowns. */
    public static JsonSchemaRule create() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public RuleVerdict check(AttemptContext attempt, ChatRequest request, ChatResponse response) {
        Optional<ResponseFormat> format = request.responseFormat();
        if (format.isEmpty() || format.get().type() != ResponseFormat.Type.JSON_SCHEMA
                || format.get().schema().isEmpty()) {
            return RuleVerdict.accept();
        }
        JsonNode schemaNode = format.get().schema().get();
        Schema schema;
        try {
            schema = compiled(schemaNode);
        } catch (RuntimeException e) {
            // The request's schema itself is unusable: no answer can be checked against it; let the caller see the answer.
            return RuleVerdict.accept();
        }
        List<Choice> choices = response.choices();
        for (Choice c : choices) {
            String problem = problem(schema, c);
            if (problem != null) {
                String name = format.get().name().map(n -> " '" + n + "'").orElse("");
                String where = choices.size() > 1 ? "choice " + c.index() + ": " : "";
                return RuleVerdict.reject(where + "the answer does not match the JSON schema" + name + ": " + problem);
            }
        }
        return RuleVerdict.accept();
    }

    /** What is wrong with choice {@code c}'s answer, or null when it is valid or not a schema answer. */
    private static String problem(Schema schema, Choice c) {
        Message m = c.message();
        if (m.refusal().isPresent() || c.finishReason() == FinishReason.CONTENT_FILTER
                || (!m.toolCalls().isEmpty() && m.text().isBlank())) {
            return null;
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(m.text());
        } catch (JsonProcessingException e) {
            return "not valid JSON" + (c.finishReason() == FinishReason.LENGTH ? " (cut at the token limit)" : "")
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        if (answer == null || answer.isMissingNode()) {
            return "empty answer";
        }
        List<Error> errors = schema.validate(answer);
        if (errors.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < errors.size() && i < MAX_REPORTED_ERRORS; i++) {
            if (i > 0) {
                sb.append("; ");
            }
            Error e = errors.get(i);
            String at = String.valueOf(e.getInstanceLocation());
            sb.append(at.isEmpty() ? "/" : at).append(": ").append(e.getMessage());
        }
        if (errors.size() > MAX_REPORTED_ERRORS) {
            sb.append(" (and ").append(errors.size() - MAX_REPORTED_ERRORS).append(" more)");
        }
        return sb.toString();
    }

    private Schema compiled(JsonNode schemaNode) {
        Schema s = schemas.get(schemaNode);
        if (s != null) {
            return s;
        }
        s = registry.getSchema(schemaNode);
        if (schemas.size() >= maxCachedSchemas) {
            schemas.clear();
        }
        schemas.put(schemaNode.deepCopy(), s);
        return s;
    }

    @Override
    public boolean countsTowardCooldown() {
        return countsTowardCooldown;
    }

    @Override
    public String name() {
        return "json-schema";
    }

    @Override
    public String toString() {
        return "JsonSchemaRule[countsTowardCooldown=" + countsTowardCooldown + ", maxCachedSchemas=" + maxCachedSchemas
                + "]";
    }

    /** Builds a {@link JsonSchemaRule}. Not thread-safe. */
    public static final class Builder {
        private boolean countsTowardCooldown;
        private int maxCachedSchemas = DEFAULT_MAX_CACHED_SCHEMAS;

        private Builder() {
        }

        /**
         * Whether a rejection counts toward the deployment's cooldown; default false (a model that
         * answers badly now and then is not down).
         *
         * @param counts true to count rejections as the deployment's failures
         * @return this builder
         */
        public Builder countsTowardCooldown(boolean counts) {
            this.countsTowardCooldown = counts;
            return this;
        }

        /**
         * How many compiled schemas are kept; default {@value JsonSchemaRule#DEFAULT_MAX_CACHED_SCHEMAS}.
         *
         * @param max 1 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code max} is below 1
         */
        public Builder maxCachedSchemas(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxCachedSchemas must be at least 1, was " + max);
            }
            this.maxCachedSchemas = max;
            return this;
        }

        /** The rule. */
        public JsonSchemaRule build() {
            return new JsonSchemaRule(this);
        }
    }
}
