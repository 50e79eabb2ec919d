package io.llmrouter.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.List;
import java.util.Map;

/**
 * LangChain4j's JSON schema elements as the JSON Schema documents OpenAI's {@code tools} and
 * {@code response_format} carry, written as LangChain4j's own OpenAI model writes them (references
 * point into {@code #/$defs/}).
 */
final class JsonSchemas {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonSchemas() {
    }

    static JsonNode toJson(JsonSchemaElement element) {
        if (element instanceof JsonRawSchema raw) {
            try {
                return MAPPER.readTree(raw.schema());
            } catch (JsonProcessingException e) {
                throw new InvalidRequestException("the raw JSON schema is not valid JSON", e);
            }
        }
        ObjectNode node = NODES.objectNode();
        if (element instanceof JsonObjectSchema object) {
            node.put("type", "object");
            description(node, object.description());
            ObjectNode properties = node.putObject("properties");
            for (Map.Entry<String, JsonSchemaElement> property : object.properties().entrySet()) {
                properties.set(property.getKey(), toJson(property.getValue()));
            }
            strings(node, "required", object.required());
            if (object.additionalProperties() != null) {
                node.put("additionalProperties", object.additionalProperties().booleanValue());
            }
            if (object.definitions() != null && !object.definitions().isEmpty()) {
                ObjectNode defs = node.putObject("$defs");
                for (Map.Entry<String, JsonSchemaElement> def : object.definitions().entrySet()) {
                    defs.set(def.getKey(), toJson(def.getValue()));
                }
            }
        } else if (element instanceof JsonStringSchema string) {
            node.put("type", "string");
            description(node, string.description());
        } else if (element instanceof JsonIntegerSchema integer) {
            node.put("type", "integer");
            description(node, integer.description());
        } else if (element instanceof JsonNumberSchema number) {
            node.put("type", "number");
            description(node, number.description());
        } else if (element instanceof JsonBooleanSchema bool) {
            node.put("type", "boolean");
            description(node, bool.description());
        } else if (element instanceof JsonEnumSchema enumeration) {
            node.put("type", "string");
            description(node, enumeration.description());
            strings(node, "enum", enumeration.enumValues());
        } else if (element instanceof JsonArraySchema array) {
            node.put("type", "array");
            description(node, array.description());
            node.set("items", toJson(array.items()));
        } else if (element instanceof JsonReferenceSchema reference) {
            node.put("$ref", "#/$defs/" + reference.reference());
        } else if (element instanceof JsonAnyOfSchema anyOf) {
            description(node, anyOf.description());
            ArrayNode options = node.putArray("anyOf");
            anyOf.anyOf().forEach(option -> options.add(toJson(option)));
        } else if (element instanceof JsonNullSchema) {
            node.put("type", "null");
        } else {
            throw new UnsupportedFeatureException("JSON schema element " + element.getClass().getName()
                    + " is not supported by llmrouter's LangChain4j models");
        }
        return node;
    }

    private static void description(ObjectNode node, String description) {
        if (description != null) {
            node.put("description", description);
        }
    }

    private static void strings(ObjectNode node, String field, List<String> values) {
        if (values != null && !values.isEmpty()) {
            ArrayNode array = node.putArray(field);
            values.forEach(array::add);
        }
    }
}
