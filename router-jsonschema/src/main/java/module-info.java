/**
 * {@link io.llmrouter.jsonschema.JsonSchemaRule}: a response rule that validates answers to
 * requests with {@code response_format: json_schema} against the request's schema, with
 * networknt's json-schema-validator.
 *
 * @since 0.1.0
 */
module io.llmrouter.jsonschema {
    requires transitive io.llmrouter.api;
    requires transitive io.llmrouter.core;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.networknt.schema;

    exports io.llmrouter.jsonschema;
}
