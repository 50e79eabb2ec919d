package io.llmrouter.providers.gemini.internal;

import static io.llmrouter.providers.gemini.internal.GeminiResponseReader.count;
import static io.llmrouter.providers.gemini.internal.GeminiResponseReader.isAbsent;
import static io.llmrouter.providers.gemini.internal.GeminiResponseReader.kind;
import static io.llmrouter.providers.gemini.internal.GeminiResponseReader.malformed;
import static io.llmrouter.providers.gemini.internal.GeminiResponseReader.optionalText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolCallDelta;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.providers.gemini.GeminiProvider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Turns the events of one {@code streamGenerateContent?alt=sse} stream into {@link ChatChunk}s.
 * Each event is a whole {@code GenerateContentResponse} carrying the new part of each candidate:
 *
 * <ul>
 *   <li>a candidate's first appearance gives a chunk with role {@code assistant} (so the first
 *       event counts as the first token even when it holds only thoughts);</li>
 *   <li>its text parts, concatenated per event, give the chunk's text, its thought parts
 *       ({@code thought: true}) the chunk's {@link ChatChunk#reasoning()}; empty texts and other
 *       parts (inline data, code execution) are skipped;</li>
 *   <li>when a {@code functionCall} part carries a {@code thoughtSignature}, the chunk carries
 *       every signature so far, by tool call id, as the message's {@code thought_signatures}
 *       extra field, which the next request sends back;</li>
 *   <li>each {@code functionCall} part is one {@link ToolCallDelta} holding the whole call (Gemini
 *       sends no argument fragments): its index is the call's position among the candidate's calls
 *       so far, its id the part's {@code id} else a generated {@code call_...} id unique within the
 *       stream (the rule of {@link GeminiResponseReader}), its arguments the compact JSON of
 *       {@code args};</li>
 *   <li>{@code finishReason} sets the chunk's finish reason, mapped by
 *       {@link GeminiResponseReader#finishReason} with "the candidate called a function" meaning
 *       anywhere earlier in the stream, the raw value kept;</li>
 *   <li>an event without candidates whose {@code promptFeedback.blockReason} is set is a
 *       {@code content_filter} finish of choice 0 (raw {@code promptFeedback.blockReason=<reason>});
 *       one without either (a usage-only event) gives no chunk.</li>
 * </ul>
 *
 * <p>{@code usageMetadata} is cumulative on every event: the last one is kept and reported once, by
 * {@link #usageChunk()}, when the stream ends. Chunk ids are the first event's {@code responseId}
 * (else a generated {@code gemini-...} id), models its {@code modelVersion} (else the requested model).
 * Error events ({@link #isError}) are the caller's to map.
 *
 * <p>Not thread-safe: one reader per stream, fed from the stream's thread.
 */
public final class GeminiStreamReader {

    private static final String ASSISTANT = "assistant";

    private final String requestedModel;
    private final RandomGenerator random;
    private final Set<String> usedIds = new HashSet<>();
    private final Map<Integer, CandidateState> candidates = new TreeMap<>();
    private String id;
    private String model;
    private Usage usage;
    private int events;

    private static final class CandidateState {
        int toolCalls;
        boolean finished;
        /** The thoughtSignature of each function call so far, by tool call id. */
        final ObjectNode signatures = JsonNodeFactory.instance.objectNode();
    }

    /**
     * A reader for one stream.
     *
     * @param requestedModel the model asked for, reported when the events name none
     * @param random the source of generated ids; used from the stream's thread only
     */
    public GeminiStreamReader(String requestedModel, RandomGenerator random) {
        this.requestedModel = Objects.requireNonNull(requestedModel, "requestedModel");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Whether an event is an error envelope ({@code {"error":{...}}}) rather than a response.
     *
     * @param event the parsed event
     * @return true for an error
     */
    public static boolean isError(JsonNode event) {
        return event.isObject() && event.has("error") && !event.has("candidates");
    }

    /**
     * Reads one event.
     *
     * @param event the parsed {@code data:} of the event
     * @return its chunks, in order (possibly none)
     * @throws IllegalArgumentException naming the JSON path when the event is malformed
     */
    public List<ChatChunk> read(JsonNode event) {
        events++;
        if (!event.isObject()) {
            throw malformed("$", "expected an object, was " + kind(event));
        }
        if (id == null) {
            id = optionalText(event, "responseId", "responseId")
                    .orElseGet(() -> GeminiResponseReader.RESPONSE_ID_PREFIX + GeminiResponseReader.id(random));
            model = optionalText(event, "modelVersion", "modelVersion").orElse(requestedModel);
        }
        List<ChatChunk> chunks = new ArrayList<>();
        JsonNode list = event.get("candidates");
        if (isAbsent(list) || list.isArray() && list.isEmpty()) {
            JsonNode block = event.path("promptFeedback").path("blockReason");
            if (block.isTextual() && !block.asText().isBlank()) {
                CandidateState state = candidates.get(0);
                ChatChunk.Builder b = ChatChunk.builder(id, model).finishReason(FinishReason.CONTENT_FILTER)
                        .rawFinishReason(GeminiResponseReader.BLOCK_REASON_PREFIX + block.asText());
                if (state == null) {
                    state = new CandidateState();
                    candidates.put(0, state);
                    b.role(ASSISTANT);
                }
                state.finished = true;
                chunks.add(b.build());
            }
        } else if (!list.isArray()) {
            throw malformed("candidates", "expected an array, was " + kind(list));
        } else {
            for (int i = 0; i < list.size(); i++) {
                candidate(list.get(i), i).ifPresent(chunks::add);
            }
        }
        JsonNode u = event.get("usageMetadata");
        if (!isAbsent(u)) {
            usage = GeminiResponseReader.usage(u);
        }
        return chunks;
    }

    private Optional<ChatChunk> candidate(JsonNode c, int position) {
        String path = "candidates[" + position + "]";
        if (!c.isObject()) {
            throw malformed(path, "expected an object, was " + kind(c));
        }
        int index = c.has("index") && !c.get("index").isNull() ? count(c.get("index"), path + ".index") : position;
        ChatChunk.Builder b = ChatChunk.builder(id, model).choiceIndex(index);
        boolean hasContent = false;
        CandidateState state = candidates.get(index);
        if (state == null) {
            state = new CandidateState();
            candidates.put(index, state);
            b.role(ASSISTANT);
            hasContent = true;
        }
        StringBuilder text = new StringBuilder();
        StringBuilder thoughts = new StringBuilder();
        boolean signed = false;
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
                    ToolCall call = GeminiResponseReader.toolCall(functionCall, partPath + ".functionCall", usedIds,
                            random);
                    b.addToolCall(ToolCallDelta.of(state.toolCalls++, call.id(), call.name(), call.arguments()));
                    hasContent = true;
                    JsonNode signature = part.get("thoughtSignature");
                    if (signature != null && signature.isTextual()) {
                        state.signatures.put(call.id(), signature.textValue());
                        signed = true;
                    }
                }
            }
        }
        if (text.length() > 0) {
            b.text(text.toString());
            hasContent = true;
        }
        if (thoughts.length() > 0) {
            b.reasoning(thoughts.toString());
            hasContent = true;
        }
        if (signed) {
            // every signature so far, by tool call id: what the next turn must send back
            b.putExtraField(GeminiProvider.THOUGHT_SIGNATURES_FIELD, state.signatures);
        }
        Optional<String> raw = optionalText(c, "finishReason", path + ".finishReason");
        if (raw.isPresent()) {
            b.finishReason(GeminiResponseReader.finishReason(raw.get(), state.toolCalls > 0))
                    .rawFinishReason(raw.get());
            state.finished = true;
            hasContent = true;
        }
        return hasContent ? Optional.of(b.build()) : Optional.empty();
    }

    /**
     * Whether the stream may end here: a candidate (or a blocked prompt) was seen and every
     * candidate seen has its finish reason.
     *
     * @return true when finished
     */
    public boolean isFinished() {
        return !candidates.isEmpty() && candidates.values().stream().allMatch(s -> s.finished);
    }

    /**
     * The chunk reporting the last {@code usageMetadata} seen, to send when the stream ends.
     *
     * @return the chunk, or empty when no event carried usage
     */
    public Optional<ChatChunk> usageChunk() {
        return usage == null ? Optional.empty() : Optional.of(ChatChunk.builder(id, model).usage(usage).build());
    }

    /**
     * The events read so far.
     *
     * @return the count
     */
    public int events() {
        return events;
    }
}
