package io.llmrouter.providers.gemini.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.Embedding;
import io.llmrouter.api.embedding.EmbeddingResponse;
import io.llmrouter.providers.gemini.GeminiProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Reads Gemini answers into the normalized types: a {@code GenerateContentResponse} into a
 * {@link ChatResponse} and a {@code BatchEmbedContentsResponse} into an {@link EmbeddingResponse}.
 *
 * <p>Chat: each candidate becomes a choice (its {@code index}, else its position). Text parts are
 * concatenated into the content; thought parts ({@code thought: true}) into the message's
 * {@value GeminiProvider#REASONING_CONTENT_FIELD} extra field instead; {@code functionCall} parts
 * become tool calls whose arguments are the compact JSON of {@code args} in received key order and
 * whose id is the part's {@code id}, else a generated {@code call_...} id unique within the
 * response (a random id that repeats gets a {@code _2}, {@code _3}... suffix); their {@code thoughtSignature}s are kept, by tool call id, in the message's
 * {@value GeminiProvider#THOUGHT_SIGNATURES_FIELD} extra field. Other parts (inline data, code
 * execution) are skipped. The finish reason follows {@link #finishReason}; the raw value is kept.
 * {@code safetyRatings}, {@code citationMetadata}, {@code groundingMetadata}, {@code avgLogprobs},
 * {@code logprobsResult}, {@code finishMessage} and {@code urlContextMetadata} are kept as choice
 * extra fields, {@code promptFeedback} as a response extra field. No candidates with a
 * {@code promptFeedback.blockReason} is one empty choice with finish {@code content_filter} and raw
 * reason {@code promptFeedback.blockReason=<reason>}.
 *
 * <p>Usage (absent when {@code usageMetadata} is): prompt = {@code promptTokenCount +
 * toolUsePromptTokenCount}; completion = {@code candidatesTokenCount + thoughtsTokenCount}; total =
 * {@code totalTokenCount} (else the sum); cached = {@code cachedContentTokenCount}; reasoning =
 * {@code thoughtsTokenCount}. Id = {@code responseId}, else generated; model = {@code modelVersion},
 * else the requested model.
 *
 * <p>Every malformed answer throws an {@link IllegalArgumentException} whose message starts with the
 * JSON path ({@code candidates[0].content.parts[1].functionCall.args: expected an object, was a string}).
 */
public final class GeminiResponseReader {

    /** The prefix of a generated tool call id: {@value}. */
    public static final String TOOL_CALL_ID_PREFIX = "call_";

    /** The prefix of a generated response id: {@value}. */
    public static final String RESPONSE_ID_PREFIX = "gemini-";

    /** The raw finish reason of a prompt blocked before any candidate: {@code promptFeedback.blockReason=<reason>}. */
    public static final String BLOCK_REASON_PREFIX = "promptFeedback.blockReason=";

    private static final int ID_LENGTH = 24;
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final List<String> CHOICE_EXTRAS = List.of("safetyRatings", "citationMetadata",
            "groundingMetadata", "avgLogprobs", "logprobsResult", "finishMessage", "urlContextMetadata");
    private static final Set<String> CONTENT_FILTER_REASONS = Set.of("SAFETY", "RECITATION", "BLOCKLIST",
            "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private GeminiResponseReader() {
    }

    /**
     * Reads a {@code generateContent} answer.
     *
     * @param root the parsed body
     * @param requestedModel the model asked for, used when the answer names none
     * @param created the {@code created} time to report, in epoch seconds (Gemini sends none)
     * @param random the source of generated ids
     * @return the response
     * @throws IllegalArgumentException naming the JSON path when the answer is malformed
     */
    public static ChatResponse readChat(JsonNode root, String requestedModel, long created, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        if (!root.isObject()) {
            throw malformed("$", "expected an object, was " + kind(root));
        }
        Set<String> usedIds = new HashSet<>();
        List<Choice> choices = new ArrayList<>();
        JsonNode candidates = root.get("candidates");
        if (isAbsent(candidates) || candidates.isArray() && candidates.isEmpty()) {
            JsonNode block = root.path("promptFeedback").path("blockReason");
            if (!block.isTextual() || block.asText().isBlank()) {
                throw malformed("candidates", "no candidates, and no promptFeedback.blockReason saying why");
            }
            choices.add(Choice.builder().index(0).message(Message.assistant("")).finishReason(FinishReason.CONTENT_FILTER)
                    .rawFinishReason(BLOCK_REASON_PREFIX + block.asText()).build());
        } else if (!candidates.isArray()) {
            throw malformed("candidates", "expected an array, was " + kind(candidates));
        } else {
            for (int i = 0; i < candidates.size(); i++) {
                choices.add(candidate(candidates.get(i), i, usedIds, random));
            }
            choices.sort(Comparator.comparingInt(Choice::index));
        }
        ChatResponse.Builder b = ChatResponse.builder()
                .id(optionalText(root, "responseId", "responseId").orElseGet(() -> RESPONSE_ID_PREFIX + id(random)))
                .model(optionalText(root, "modelVersion", "modelVersion").orElse(requestedModel))
                .created(created)
                .choices(choices);
        JsonNode usage = root.get("usageMetadata");
        if (!isAbsent(usage)) {
            b.usage(usage(usage));
        }
        JsonNode feedback = root.get("promptFeedback");
        if (!isAbsent(feedback)) {
            b.putExtraField("promptFeedback", feedback);
        }
        return b.build();
    }

    /**
     * The normalized finish reason of a candidate: {@code STOP} is {@code tool_calls} when the
     * candidate calls a function, else {@code stop}; {@code MAX_TOKENS} is {@code length}; the
     * safety family ({@code SAFETY}, {@code RECITATION}, {@code BLOCKLIST}, {@code PROHIBITED_CONTENT},
     * {@code SPII}, {@code IMAGE_SAFETY}, {@code IMAGE_PROHIBITED_CONTENT}, {@code IMAGE_RECITATION}) is
     * {@code content_filter}; everything else ({@code LANGUAGE}, {@code OTHER},
     * {@code MALFORMED_FUNCTION_CALL}, unknown values, ...) is {@code stop}. An absent reason is
     * {@code tool_calls} or {@code stop}, as for {@code STOP}.
     *
     * @param raw Gemini's {@code finishReason}, or null
     * @param hasToolCalls whether the candidate has {@code functionCall} parts
     * @return the reason
     */
    public static FinishReason finishReason(String raw, boolean hasToolCalls) {
        if (raw == null || raw.equals("STOP")) {
            return hasToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        }
        if (raw.equals("MAX_TOKENS")) {
            return FinishReason.LENGTH;
        }
        return CONTENT_FILTER_REASONS.contains(raw) ? FinishReason.CONTENT_FILTER : FinishReason.STOP;
    }

    private static Choice candidate(JsonNode c, int position, Set<String> usedIds, RandomGenerator random) {
        String path = "candidates[" + position + "]";
        if (!c.isObject()) {
            throw malformed(path, "expected an object, was " + kind(c));
        }
        int index = c.has("index") && !c.get("index").isNull() ? count(c.get("index"), path + ".index") : position;
        StringBuilder text = new StringBuilder();
        StringBuilder thoughts = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        ObjectNode signatures = NODES.objectNode();
        JsonNode content = c.get("content");
        if (!isAbsent(content)) {
            if (!content.isObject()) {
                throw malformed(path + ".content", "expected an object, was " + kind(content));
            }
            JsonNode parts = content.get("parts");
            if (!isAbsent(parts) && !parts.isArray()) {
                throw malformed(path + ".content.parts", "expected an array, was " + kind(parts));
            }
            for (int j = 0; parts != null && j < parts.size(); j++) {
                String partPath = path + ".content.parts[" + j + "]";
                JsonNode part = parts.get(j);
                if (!part.isObject()) {
                    throw malformed(partPath, "expected an object, was " + kind(part));
                }
                JsonNode partText = part.get("text");
                JsonNode functionCall = part.get("functionCall");
                if (!isAbsent(partText)) {
                    if (!partText.isTextual()) {
                        throw malformed(partPath + ".text", "expected a string, was " + kind(partText));
                    }
                    (part.path("thought").asBoolean(false) ? thoughts : text).append(partText.textValue());
                } else if (!isAbsent(functionCall)) {
                    ToolCall call = toolCall(functionCall, partPath + ".functionCall", usedIds, random);
                    calls.add(call);
                    JsonNode signature = part.get("thoughtSignature");
                    if (signature != null && signature.isTextual()) {
                        signatures.put(call.id(), signature.textValue());
                    }
                }
            }
        }
        String raw = optionalText(c, "finishReason", path + ".finishReason").orElse(null);
        FinishReason reason = finishReason(raw, !calls.isEmpty());
        Message.Builder message = Message.builder(Role.ASSISTANT);
        if (text.length() > 0 || calls.isEmpty()) {
            message.content(text.toString());
        }
        message.toolCalls(calls);
        if (thoughts.length() > 0) {
            message.reasoningContent(thoughts.toString());
        }
        if (!signatures.isEmpty()) {
            message.putExtraField(GeminiProvider.THOUGHT_SIGNATURES_FIELD, signatures);
        }
        Choice.Builder choice = Choice.builder().index(index).message(message.build()).finishReason(reason)
                .rawFinishReason(raw != null ? raw : reason.wireValue());
        for (String name : CHOICE_EXTRAS) {
            JsonNode v = c.get(name);
            if (!isAbsent(v)) {
                choice.putExtraField(name, v);
            }
        }
        return choice.build();
    }

    static ToolCall toolCall(JsonNode fc, String path, Set<String> usedIds, RandomGenerator random) {
        if (!fc.isObject()) {
            throw malformed(path, "expected an object, was " + kind(fc));
        }
        String name = optionalText(fc, "name", path + ".name")
                .orElseThrow(() -> malformed(path + ".name", "missing"));
        JsonNode args = fc.get("args");
        String arguments;
        if (isAbsent(args)) {
            arguments = "{}";
        } else if (args.isObject()) {
            arguments = args.toString();
        } else {
            throw malformed(path + ".args", "expected an object, was " + kind(args));
        }
        String id = optionalText(fc, "id", path + ".id").orElse(null);
        if (id == null || usedIds.contains(id)) {
            id = TOOL_CALL_ID_PREFIX + id(random);
        }
        // a repeated random id (or a provider id sent twice) gets a counter, so ids stay unique
        String base = id;
        for (int n = 2; !usedIds.add(id); n++) {
            id = base + "_" + n;
        }
        return ToolCall.of(id, name, arguments);
    }

    static Usage usage(JsonNode u) {
        if (!u.isObject()) {
            throw malformed("usageMetadata", "expected an object, was " + kind(u));
        }
        int thoughts = count(u.get("thoughtsTokenCount"), "usageMetadata.thoughtsTokenCount");
        int prompt = Math.addExact(count(u.get("promptTokenCount"), "usageMetadata.promptTokenCount"),
                count(u.get("toolUsePromptTokenCount"), "usageMetadata.toolUsePromptTokenCount"));
        int completion = Math.addExact(count(u.get("candidatesTokenCount"), "usageMetadata.candidatesTokenCount"),
                thoughts);
        Usage.Builder b = Usage.builder().promptTokens(prompt).completionTokens(completion)
                .cachedTokens(count(u.get("cachedContentTokenCount"), "usageMetadata.cachedContentTokenCount"))
                .reasoningTokens(thoughts)
                .audioPromptTokens(audioTokens(u.get("promptTokensDetails"), "usageMetadata.promptTokensDetails"))
                .audioCompletionTokens(audioTokens(u.get("candidatesTokensDetails"),
                        "usageMetadata.candidatesTokensDetails"));
        JsonNode total = u.get("totalTokenCount");
        if (!isAbsent(total)) {
            b.totalTokens(count(total, "usageMetadata.totalTokenCount"));
        }
        return b.build();
    }

    /**
     * The {@code AUDIO} modality's {@code tokenCount} in a {@code ModalityTokenCount} list
     * ({@code [{"modality":"AUDIO","tokenCount":N}, ...]}), which Gemini prices apart from text; 0 when absent.
     */
    private static int audioTokens(JsonNode details, String path) {
        if (isAbsent(details)) {
            return 0;
        }
        if (!details.isArray()) {
            throw malformed(path, "expected an array, was " + kind(details));
        }
        int audio = 0;
        for (int i = 0; i < details.size(); i++) {
            JsonNode d = details.get(i);
            if (d.isObject() && "AUDIO".equals(d.path("modality").asText())) {
                audio = Math.addExact(audio, count(d.get("tokenCount"), path + "[" + i + "].tokenCount"));
            }
        }
        return audio;
    }

    // ---------------------------------------------------------------------------- embeddings

    /**
     * Reads a {@code batchEmbedContents} answer: {@code embeddings[i].values} is the vector of input
     * {@code i}. Usage is read from {@code usageMetadata.promptTokenCount} when present (AI Studio
     * sends none today), else left empty.
     *
     * @param root the parsed body
     * @param model the model to report
     * @param inputs the number of texts sent; the answer must hold as many embeddings
     * @return the response
     * @throws IllegalArgumentException naming the JSON path when the answer is malformed
     */
    public static EmbeddingResponse readEmbeddings(JsonNode root, String model, int inputs) {
        if (!root.isObject()) {
            throw malformed("$", "expected an object, was " + kind(root));
        }
        JsonNode embeddings = root.get("embeddings");
        if (isAbsent(embeddings) || !embeddings.isArray()) {
            throw malformed("embeddings", "expected an array, was " + kind(embeddings));
        }
        if (embeddings.size() != inputs) {
            throw malformed("embeddings", "expected " + inputs + " embeddings (one per input), got "
                    + embeddings.size());
        }
        EmbeddingResponse.Builder b = EmbeddingResponse.builder().model(model);
        for (int i = 0; i < embeddings.size(); i++) {
            String path = "embeddings[" + i + "].values";
            JsonNode values = embeddings.get(i).get("values");
            if (values == null || !values.isArray()) {
                throw malformed(path, "expected an array, was " + kind(values));
            }
            float[] vector = new float[values.size()];
            for (int k = 0; k < vector.length; k++) {
                JsonNode v = values.get(k);
                if (!v.isNumber()) {
                    throw malformed(path + "[" + k + "]", "expected a number, was " + kind(v));
                }
                vector[k] = v.floatValue();
            }
            b.addEmbedding(Embedding.of(i, vector));
        }
        JsonNode usage = root.get("usageMetadata");
        if (!isAbsent(usage) && usage.isObject()) {
            int prompt = count(usage.get("promptTokenCount"), "usageMetadata.promptTokenCount");
            JsonNode total = usage.get("totalTokenCount");
            b.usage(Usage.builder().promptTokens(prompt)
                    .totalTokens(isAbsent(total) ? prompt : count(total, "usageMetadata.totalTokenCount")).build());
        }
        return b.build();
    }

    // ------------------------------------------------------------------------------- helpers

    /** A new random id of {@value #ID_LENGTH} letters and digits. */
    static String id(RandomGenerator random) {
        StringBuilder sb = new StringBuilder(ID_LENGTH);
        for (int i = 0; i < ID_LENGTH; i++) {
            sb.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return sb.toString();
    }

    /** A token count: absent or null is 0; otherwise a non-negative integral number that fits an int. */
    static int count(JsonNode v, String path) {
        if (isAbsent(v)) {
            return 0;
        }
        if (!v.isNumber() || !v.canConvertToExactIntegral() || !v.canConvertToInt() || v.intValue() < 0) {
            throw malformed(path, "expected a non-negative integer, was " + (v.isValueNode() ? v.asText() : kind(v)));
        }
        return v.intValue();
    }

    static Optional<String> optionalText(JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (isAbsent(v)) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw malformed(path, "expected a string, was " + kind(v));
        }
        return v.textValue().isBlank() ? Optional.empty() : Optional.of(v.textValue());
    }

    static boolean isAbsent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    static String kind(JsonNode v) {
        if (isAbsent(v)) {
            return "absent";
        }
        String type = v.getNodeType().name().toLowerCase(Locale.ROOT);
        return (type.startsWith("a") || type.startsWith("o") ? "an " : "a ") + type;
    }

    static IllegalArgumentException malformed(String path, String problem) {
        return new IllegalArgumentException(path + ": " + problem);
    }
}
