package io.llmrouter.api.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.internal.OpenAiJsonCodec.FastResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal: not API, may change in any release. Reads a common OpenAI chat-completions answer
 * straight from its UTF-8 bytes with one streaming parser, without a tree of the whole document;
 * behind {@link OpenAiJsonCodec#readResponseFast}.
 *
 * <p>Every result equals what {@code readResponse(parse(bytes))} gives for the same bytes. Anything
 * the reader is not sure to read the same way (a type it does not expect, content parts, a known key
 * twice, a floating-point count, a value a builder rejects, malformed JSON, trailing tokens) makes it
 * give up with {@code null}, and the caller reads the bytes with the tree reader, which gives the
 * exact result or the exact error with its JSON path. Values kept as trees (unknown fields,
 * {@code logprobs}) are read with the same mapper configuration as the tree reader. Stateless and
 * thread-safe.
 */
final class ResponseBytesReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // bits of the known keys seen in one object, so that a key given twice makes the reader give up
    private static final int ID = 1;
    private static final int OBJECT = 1 << 1;
    private static final int CREATED = 1 << 2;
    private static final int MODEL = 1 << 3;
    private static final int CHOICES = 1 << 4;
    private static final int USAGE = 1 << 5;
    private static final int FINGERPRINT = 1 << 6;
    private static final int TIER = 1 << 7;

    private static final int INDEX = 1;
    private static final int MESSAGE = 1 << 1;
    private static final int FINISH = 1 << 2;
    private static final int LOGPROBS = 1 << 3;

    private static final int ROLE = 1;
    private static final int CONTENT = 1 << 1;
    private static final int NAME = 1 << 2;
    private static final int REFUSAL = 1 << 3;
    private static final int TOOL_CALLS = 1 << 4;
    private static final int TOOL_CALL_ID = 1 << 5;
    private static final int REASONING = 1 << 6;

    private final ObjectMapper mapper;
    private final ObjectReader subtrees;

    /**
     * @param mapper the tree reader's mapper: its factory parses, and values kept as trees are read
     *     with its configuration (without the trailing-token check, which applies to whole documents)
     */
    ResponseBytesReader(ObjectMapper mapper) {
        this.mapper = mapper;
        this.subtrees = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** See {@link OpenAiJsonCodec#readResponseFast}; null to give up. */
    FastResponse read(byte[] utf8, String missingModel, boolean keepUsageTree) {
        try (JsonParser p = mapper.createParser(utf8)) {
            FastResponse r = readRoot(p, missingModel, keepUsageTree);
            // the tree reader refuses content after the document
            return r != null && p.nextToken() == null ? r : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private FastResponse readRoot(JsonParser p, String missingModel, boolean keepUsageTree) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        ChatResponse.Builder b = ChatResponse.builder();
        int seen = 0;
        String id = null;
        String model = null;
        boolean hasChoices = false;
        Usage.Builder usage = null;
        boolean usageHasTier = false;
        JsonNode usageTree = null;
        String tier = null;
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            int bit = switch (key) {
                case "id" -> ID;
                case "object" -> OBJECT;
                case "created" -> CREATED;
                case "model" -> MODEL;
                case "choices" -> CHOICES;
                case "usage" -> USAGE;
                case "system_fingerprint" -> FINGERPRINT;
                case "service_tier" -> TIER;
                default -> 0;
            };
            if ((seen & bit) != 0) {
                return null;
            }
            seen |= bit;
            switch (key) {
                case "id" -> {
                    if (t != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    id = p.getText();
                }
                case "object" -> p.skipChildren(); // any value: the tree reader ignores it
                case "created" -> {
                    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                        b.created(p.getLongValue());
                    } else if (t != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                case "model" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        model = p.getText();
                    } else if (t != JsonToken.VALUE_NULL || missingModel == null) {
                        return null;
                    }
                }
                case "choices" -> {
                    if (t != JsonToken.START_ARRAY) {
                        return null;
                    }
                    for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                        Choice c = readChoice(p, i);
                        if (c == null) {
                            return null;
                        }
                        b.addChoice(c);
                        hasChoices = true;
                    }
                }
                case "usage" -> {
                    if (t == JsonToken.VALUE_NULL) {
                        break;
                    }
                    if (t != JsonToken.START_OBJECT) {
                        return null;
                    }
                    if (keepUsageTree) {
                        usageTree = subtrees.readTree(p);
                    } else {
                        usage = Usage.builder();
                        int hasTier = readUsage(p, usage);
                        if (hasTier < 0) {
                            return null;
                        }
                        usageHasTier = hasTier == 1;
                    }
                }
                case "system_fingerprint" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        b.systemFingerprint(p.getText());
                    } else if (t != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                case "service_tier" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        tier = p.getText();
                        b.serviceTier(tier);
                    } else if (t != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                default -> b.putExtraField(key, value(p, t));
            }
        }
        if (id == null || !hasChoices) {
            return null;
        }
        if (model == null || model.isEmpty()) {
            if (missingModel == null) {
                return null;
            }
            model = missingModel;
        }
        b.id(id).model(model);
        if (usage != null) {
            if (!usageHasTier && tier != null) {
                usage.serviceTier(tier);
            }
            b.usage(usage.build());
        } else if (usageTree != null) {
            b.usage(OpenAiJsonCodec.readUsage(usageTree, tier == null ? null : NODES.textNode(tier)));
        }
        return new FastResponse(b.build(), usageTree);
    }

    /** The choice at the parser's {@code START_OBJECT} (else null), read to its end; null to give up. */
    private Choice readChoice(JsonParser p, int position) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return null;
        }
        Choice.Builder b = Choice.builder().index(position);
        int seen = 0;
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            int bit = switch (key) {
                case "index" -> INDEX;
                case "message" -> MESSAGE;
                case "finish_reason" -> FINISH;
                case "logprobs" -> LOGPROBS;
                default -> 0;
            };
            if ((seen & bit) != 0) {
                return null;
            }
            seen |= bit;
            switch (key) {
                case "index" -> {
                    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                        b.index(p.getIntValue());
                    } else if (t != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                case "message" -> {
                    Message m = readMessage(p, t);
                    if (m == null) {
                        return null;
                    }
                    b.message(m);
                }
                case "finish_reason" -> {
                    if (t != JsonToken.VALUE_STRING) {
                        return null; // null in a complete answer is an error with its path
                    }
                    String raw = p.getText();
                    b.finishReason(FinishReason.fromWire(raw)).rawFinishReason(raw);
                }
                case "logprobs" -> {
                    if (t != JsonToken.VALUE_NULL) {
                        b.logprobs(subtrees.readTree(p));
                    }
                }
                default -> b.putExtraField(key, value(p, t));
            }
        }
        if ((seen & (MESSAGE | FINISH)) != (MESSAGE | FINISH)) {
            return null;
        }
        return b.build();
    }

    /** The response message at {@code t} (an object, else null); null to give up. */
    private Message readMessage(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            return null;
        }
        // the role may come after the other fields, and the builder needs it first
        int seen = 0;
        String role = null;
        String content = null;
        String name = null;
        String refusal = null;
        List<ToolCall> toolCalls = null;
        String toolCallId = null;
        String reasoning = null;
        List<Object> extras = null; // key, value, key, value...
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            int bit = switch (key) {
                case "role" -> ROLE;
                case "content" -> CONTENT;
                case "name" -> NAME;
                case "refusal" -> REFUSAL;
                case "tool_calls" -> TOOL_CALLS;
                case "tool_call_id" -> TOOL_CALL_ID;
                case Message.REASONING_CONTENT -> REASONING;
                default -> 0;
            };
            if ((seen & bit) != 0) {
                return null;
            }
            seen |= bit;
            if (bit == 0) {
                if (extras == null) {
                    extras = new ArrayList<>(4);
                }
                extras.add(key);
                extras.add(value(p, v));
                continue;
            }
            if (v == JsonToken.VALUE_NULL) {
                continue; // a known field that is null counts as absent
            }
            if (bit == TOOL_CALLS) {
                if (v != JsonToken.START_ARRAY) {
                    return null;
                }
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    ToolCall c = readToolCall(p);
                    if (c == null) {
                        return null;
                    }
                    if (toolCalls == null) {
                        toolCalls = new ArrayList<>(2);
                    }
                    toolCalls.add(c);
                }
                continue;
            }
            if (v != JsonToken.VALUE_STRING) {
                return null; // content parts and wrong types: the tree reader decides
            }
            String text = p.getText();
            switch (bit) {
                case ROLE -> role = text;
                case CONTENT -> content = text;
                case NAME -> name = text;
                case REFUSAL -> refusal = text;
                case TOOL_CALL_ID -> toolCallId = text;
                default -> reasoning = text;
            }
        }
        Message.Builder b = Message.builder(role == null ? Role.ASSISTANT : Role.fromWire(role));
        boolean hasSomething = false;
        if (content != null) {
            b.content(content);
            hasSomething = true;
        }
        if (name != null) {
            b.name(name);
        }
        if (refusal != null) {
            b.refusal(refusal);
            hasSomething = true;
        }
        if (toolCalls != null) {
            for (ToolCall c : toolCalls) {
                b.addToolCall(c);
            }
            hasSomething = true;
        }
        if (toolCallId != null) {
            b.toolCallId(toolCallId);
        }
        if (reasoning != null) {
            b.reasoningContent(reasoning);
            hasSomething = true;
        }
        if (extras != null) {
            for (int i = 0; i < extras.size(); i += 2) {
                b.putExtraField((String) extras.get(i), (JsonNode) extras.get(i + 1));
            }
            hasSomething = true;
        }
        if (!hasSomething) {
            b.content(""); // as the tree reader: an answer with nothing in it has empty text
        }
        return b.build();
    }

    /** The tool call at the parser's {@code START_OBJECT} (else null); null to give up. */
    private static ToolCall readToolCall(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String id = null;
        String name = null;
        String arguments = null;
        boolean typeSeen = false;
        boolean functionSeen = false;
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            switch (key) {
                case "id" -> {
                    if (id != null || t != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    id = p.getText();
                }
                case "type" -> {
                    if (typeSeen || !(t == JsonToken.VALUE_NULL
                            || t == JsonToken.VALUE_STRING && ToolCall.TYPE_FUNCTION.equals(p.getText()))) {
                        return null;
                    }
                    typeSeen = true;
                }
                case "function" -> {
                    if (functionSeen || t != JsonToken.START_OBJECT) {
                        return null;
                    }
                    functionSeen = true;
                    for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
                        JsonToken ft = p.nextToken();
                        if (f.equals("name")) {
                            if (name != null || ft != JsonToken.VALUE_STRING) {
                                return null;
                            }
                            name = p.getText();
                        } else if (f.equals("arguments")) {
                            if (arguments != null || ft != JsonToken.VALUE_STRING) {
                                return null;
                            }
                            arguments = p.getText();
                        } else {
                            p.skipChildren(); // ignored by the tree reader too
                        }
                    }
                }
                default -> p.skipChildren(); // e.g. a stream's index: ignored by the tree reader too
            }
        }
        if (id == null || name == null || arguments == null) {
            return null;
        }
        return ToolCall.of(id, name, arguments);
    }

    /**
     * Reads the {@code usage} object at the parser's {@code START_OBJECT} into {@code u}, as the tree
     * reader does; 1 when it states a service tier, 0 when not, -1 to give up.
     */
    private static int readUsage(JsonParser p, Usage.Builder u) throws IOException {
        int seen = 0;
        int reasoningTop = 0;
        int reasoningDetails = -1;
        boolean hasTier = false;
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            int bit = switch (key) {
                case "prompt_tokens" -> 1;
                case "completion_tokens" -> 1 << 1;
                case "total_tokens" -> 1 << 2;
                case "prompt_tokens_details" -> 1 << 3;
                case "completion_tokens_details" -> 1 << 4;
                case "reasoning_tokens" -> 1 << 5;
                case "citation_tokens" -> 1 << 6;
                case "num_search_queries" -> 1 << 7;
                case "search_context_size" -> 1 << 8;
                case "service_tier" -> 1 << 9;
                default -> 0;
            };
            if ((seen & bit) != 0) {
                return -1;
            }
            seen |= bit;
            if (bit == 0) {
                p.skipChildren(); // unmodelled: ignored by the tree reader too
                continue;
            }
            if (t == JsonToken.VALUE_NULL) {
                continue; // a null count or detail is 0 or absent
            }
            switch (key) {
                case "prompt_tokens_details", "completion_tokens_details" -> {
                    if (t != JsonToken.START_OBJECT) {
                        return -1;
                    }
                    boolean prompt = key.equals("prompt_tokens_details");
                    int detailsSeen = 0;
                    for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
                        JsonToken ft = p.nextToken();
                        int fbit = switch (f) {
                            case "cached_tokens" -> prompt ? 1 : 0;
                            case "cache_creation_tokens" -> prompt ? 1 << 1 : 0;
                            case "reasoning_tokens" -> prompt ? 0 : 1 << 2;
                            case "audio_tokens" -> 1 << 3;
                            default -> 0;
                        };
                        if ((detailsSeen & fbit) != 0) {
                            return -1;
                        }
                        detailsSeen |= fbit;
                        if (fbit == 0) {
                            p.skipChildren();
                            continue;
                        }
                        if (ft == JsonToken.VALUE_NULL) {
                            continue;
                        }
                        int n = count(p, ft);
                        if (n < 0) {
                            return -1;
                        }
                        switch (fbit) {
                            case 1 -> u.cachedTokens(n);
                            case 1 << 1 -> u.cacheCreationTokens(n);
                            case 1 << 2 -> reasoningDetails = n;
                            default -> {
                                if (prompt) {
                                    u.audioPromptTokens(n);
                                } else {
                                    u.audioCompletionTokens(n);
                                }
                            }
                        }
                    }
                }
                case "search_context_size", "service_tier" -> {
                    if (t != JsonToken.VALUE_STRING) {
                        return -1;
                    }
                    if (key.equals("service_tier")) {
                        u.serviceTier(p.getText());
                        hasTier = true;
                    } else {
                        u.searchContextSize(p.getText());
                    }
                }
                default -> {
                    int n = count(p, t);
                    if (n < 0) {
                        return -1;
                    }
                    switch (key) {
                        case "prompt_tokens" -> u.promptTokens(n);
                        case "completion_tokens" -> u.completionTokens(n);
                        case "total_tokens" -> u.totalTokens(n);
                        case "reasoning_tokens" -> reasoningTop = n;
                        case "citation_tokens" -> u.citationTokens(n);
                        default -> u.searchQueries(n);
                    }
                }
            }
        }
        u.reasoningTokens(reasoningDetails >= 0 ? reasoningDetails : reasoningTop);
        return hasTier ? 1 : 0;
    }

    /** A count that is a plain non-negative int token, else -1 (floats and the rest: the tree reader decides). */
    private static int count(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            return -1;
        }
        return p.getIntValue(); // negative: -1 or below, which gives up
    }

    /**
     * The value at {@code t} as the tree reader keeps it: the node types Jackson's tree deserializer
     * makes, built here for objects, arrays, strings, booleans, null and int/long numbers (a key
     * given twice keeps its first position and last value, as there); other numbers are read by
     * the deserializer itself.
     */
    private JsonNode value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_NULL:
                return NODES.nullNode();
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NUMBER_INT:
                JsonParser.NumberType type = p.getNumberType();
                if (type == JsonParser.NumberType.INT) {
                    return NODES.numberNode(p.getIntValue());
                }
                if (type == JsonParser.NumberType.LONG) {
                    return NODES.numberNode(p.getLongValue());
                }
                return subtrees.readTree(p);
            case START_ARRAY:
                ArrayNode a = NODES.arrayNode();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    a.add(value(p, e));
                }
                return a;
            case START_OBJECT:
                ObjectNode o = NODES.objectNode();
                for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
                    o.replace(key, value(p, p.nextToken()));
                }
                return o;
            default:
                return subtrees.readTree(p);
        }
    }
}
