package io.llmrouter.providers.openai.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ToolCallDelta;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.internal.JsonKeys;
import io.llmrouter.api.internal.OpenAiJsonCodec;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.LlmRouterException;
import io.llmrouter.api.json.OpenAiJson;
import io.llmrouter.providers.internal.AsyncHttpCall;
import io.llmrouter.providers.internal.JsonHttp;
import io.llmrouter.providers.internal.PullHttpStream;
import io.llmrouter.providers.internal.Redaction;
import io.llmrouter.providers.internal.SinkGate;
import io.llmrouter.providers.internal.SseEvent;
import io.llmrouter.providers.internal.SseEventReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import okhttp3.Headers;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one OpenAI-shaped chat-completions stream ({@code data: <chunk>} server-sent events ending
 * with {@code data: [DONE]}) and tells a {@link SinkGate} what it says, on the HTTP client's thread.
 *
 * <p>Each {@code chat.completion.chunk} becomes one {@link ChatChunk} per choice that says
 * something: {@code delta.role}, {@code delta.content} (text), {@code delta.refusal},
 * {@code delta.reasoning_content} (DeepSeek's reasoning, as {@link ChatChunk#reasoning()}),
 * {@code delta.tool_calls[{index, id?, function{name?, arguments}}]} ({@link ToolCallDelta}s; an
 * {@code arguments} object, as some servers send, becomes its compact JSON) and
 * {@code finish_reason} (mapped, raw value kept). Skipped: empty deltas, Azure's annotation-only
 * chunks (a choice without {@code delta} and without {@code finish_reason}; a chunk with
 * {@code choices: []}), and fields the chunk type has no place for (OpenRouter's and Ollama's
 * {@code reasoning}, logprobs, filter results).
 * Empty {@code id}/{@code model} (Azure's annotation chunks) keep the stream's last ones; a stream
 * that names no model gets the call's.
 *
 * <p>Usage, from {@code usage} or else Groq's {@code x_groq.usage}: on a chunk without choices
 * (OpenAI's last chunk with {@code include_usage}) it becomes a usage-only chunk; on a chunk with
 * choices (Mistral's last chunk, servers that repeat it on every chunk) it rides on that event's
 * last chunk. {@code usage: null} is ignored.
 *
 * <p>Ends: {@code data: [DONE]} → {@code onComplete}. An {@code error} object (OpenAI's
 * {@code data: {"error":{...}}}, OpenRouter's error chunk) or an {@code event: error} →
 * {@code onError} with {@link OpenAiErrorMapper#streamError}; a choice finishing with
 * {@code "error"} → {@link OpenAiErrorMapper#finishedWithError}. Malformed JSON or a chunk of the
 * wrong shape → {@link io.llmrouter.api.exception.InvalidProviderResponseException}. The body's end
 * without {@code [DONE]} is the one end-of-stream rule of every vendor: a normal end when every
 * choice seen has sent its {@code finish_reason} (servers that close the connection instead of
 * sending the terminator; the usage chunk, if it was still to come, is missing), else
 * {@code InvalidProviderResponseException(}{@value #NO_DONE}{@code )}. A read failure (cut
 * connection, the call's timeout) → {@link OpenAiErrorMapper#transportFailure}, unless the stream
 * was cancelled.
 *
 * <p>Parsing: an event of the common shape (one choice with a string-only delta, no usage, no
 * error) is read with a streaming parser into fields, without a JSON tree; every other event, and
 * any event that parser does not take whole, through a tree, with the same results either way.
 *
 * <p>Read whole on the HTTP client's thread ({@link #read}) or one event at a time on the reader's
 * thread ({@link #start}, then {@link #step}, for a pull-style {@link PullHttpStream}).
 *
 * <p>One instance per stream; not thread-safe (it is driven by the one thread reading the body).
 */
public final class OpenAiStreamReader implements AsyncHttpCall.BodyReader, PullHttpStream.EventReader {

    /** The message of a stream that ended without its terminator before every choice finished. */
    public static final String NO_DONE = "the stream ended without data: [DONE] before every choice sent its"
            + " finish_reason";

    private static final Logger log = LoggerFactory.getLogger(OpenAiStreamReader.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private final SinkGate sink;
    private final OpenAiErrorMapper errors;
    private ErrorContext context;
    private final Secret credential;
    private final Function<JsonNode, Usage> usageReader;
    private final long maxEventBytes;

    private SseEventReader events;
    private String id = "";
    private String model;
    /** Choice index → whether it has sent its finish reason. */
    private final Map<Integer, Boolean> finished = new TreeMap<>();

    /**
     * @param sink where the stream's events go
     * @param errors the adapter's error mapper
     * @param context the call's context
     * @param credential the credential sent, for redaction, or null
     * @param callModel the model named on chunks when the stream names none (Azure's deployment)
     * @param usageReader reads a {@code usage} object (the vendor's cached-token fields included);
     *     throws {@link IllegalArgumentException} when it is malformed
     * @param maxEventBytes the most bytes of one event (the endpoint's {@code maxStreamEventBytes})
     */
    public OpenAiStreamReader(SinkGate sink, OpenAiErrorMapper errors, ErrorContext context, Secret credential,
            String callModel, Function<JsonNode, Usage> usageReader, long maxEventBytes) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.context = Objects.requireNonNull(context, "context");
        this.credential = credential;
        this.model = Objects.requireNonNull(callModel, "callModel");
        this.usageReader = Objects.requireNonNull(usageReader, "usageReader");
        this.maxEventBytes = maxEventBytes;
    }

    @Override
    public void read(ResponseBody body, Headers headers) {
        start(body, headers);
        while (step()) {
            // one event per step
        }
    }

    @Override
    public void start(ResponseBody body, Headers headers) {
        context = errors.streamContext(context, headers, credential);
        events = new SseEventReader(body.source(), maxEventBytes);
    }

    @Override
    public boolean step() {
        if (sink.isClosed()) {
            return false;
        }
        SseEvent event;
        try {
            event = events.next();
        } catch (IOException e) {
            // Reported here rather than thrown to AsyncHttpCall, so a read failure is never taken
            // for a cancel (OkHttp's call timeout also marks the call cancelled); after our own
            // cancel the gate is closed and this is dropped.
            sink.onError(errors.transportFailure(e, context));
            return false;
        }
        if (event == null) {
            ended();
            return false;
        }
        if (log.isTraceEnabled()) {
            log.trace("{} stream event: {}", context.deploymentId().orElse(""),
                    Redaction.shorten(Redaction.text(event.data(), credential), JsonHttp.MAX_TRACE_BODY));
        }
        if (event.isDone()) {
            sink.onComplete();
            return false;
        }
        handle(event);
        return !sink.isClosed();
    }

    /** The body ended without {@code [DONE]}: complete when every choice seen has finished, else cut. */
    private void ended() {
        if (!finished.isEmpty() && !finished.containsValue(Boolean.FALSE)) {
            sink.onComplete();
            return;
        }
        sink.onError(errors.invalidStream(NO_DONE, null, context, credential, null));
    }

    private void handle(SseEvent event) {
        String data = event.data();
        if (data.isBlank()) {
            return;
        }
        if ("error".equals(event.event())) {
            sink.onError(errors.streamError(data, context, credential));
            return;
        }
        if (!treeOnly && readCommon(data)) {
            return;
        }
        treeEvents++;
        JsonNode root;
        try {
            root = JSON.readTree(data);
        } catch (JsonProcessingException e) {
            sink.onError(errors.invalidStream("malformed JSON in a stream event (" + e.getOriginalMessage() + ")",
                    data, context, credential, e));
            return;
        }
        if (root == null || !root.isObject()) {
            sink.onError(errors.invalidStream("a stream event is not a JSON object", data, context, credential, null));
            return;
        }
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            sink.onError(errors.streamError(data, context, credential));
            return;
        }
        List<ChatChunk> chunks;
        try {
            chunks = chunks(root);
        } catch (LlmRouterException e) {
            sink.onError(e);
            return;
        } catch (IllegalArgumentException e) {
            sink.onError(errors.invalidStream(e.getMessage(), data, context, credential, e));
            return;
        }
        for (int i = 0; i < chunks.size(); i++) {
            sink.onChunk(chunks.get(i));
        }
    }

    // ------------------------------------------------------------------------ the common chunk, streamed

    /*
     * Nearly every event is one chunk of the common shape: id, model, one choice with a string-only
     * delta (role, content, refusal, reasoning_content) and a finish_reason, no usage, no error.
     * readCommon reads such an event with a streaming parser, no tree: the values land in the
     * fields below and are applied exactly as chunks(tree) would apply them. Anything else (usage,
     * tool calls, several choices, an error, x_groq, a duplicate or mistyped field, malformed or
     * trailing JSON) makes it give up before any effect, and the event is read by the tree path,
     * which makes every decision and every message of the unusual cases.
     */

    /** Every event read by the tree path (tests compare the two paths). */
    private boolean treeOnly;
    private String fastId;
    private String fastModel;
    private boolean fastHasChoice;
    private int fastIndex;
    private String fastFinish;
    private boolean fastHasDelta;
    private String fastRole;
    private String fastContent;
    private String fastRefusal;
    private String fastReasoning;

    /** Events read by the tree path (for tests). */
    private int treeEvents;

    /** The events read by the tree path so far: for tests that check which events the fast path takes. */
    int treeEvents() {
        return treeEvents;
    }

    /** Has every event read by the tree path: for tests that compare the fast path with it. */
    void readAllWithTree() {
        treeOnly = true;
    }

    /**
     * Reads and delivers an event of the common shape without a tree.
     *
     * @return false, with nothing done, when the event is not of that shape (the tree path reads it)
     */
    private boolean readCommon(String data) {
        try (JsonParser p = FACTORY.createParser(data)) {
            if (!parseCommon(p)) {
                return false;
            }
        } catch (IOException e) {
            return false; // malformed: the tree path names it
        }
        if (fastId != null && !fastId.isEmpty()) {
            id = fastId;
        }
        if (fastModel != null && !fastModel.isEmpty()) {
            model = fastModel;
        }
        if (!fastHasChoice) {
            return true; // choices absent, null or empty, and no usage: no chunk
        }
        ChatChunk.Builder b;
        try {
            b = commonChoice();
        } catch (LlmRouterException e) {
            sink.onError(e);
            return true;
        }
        if (b != null) {
            sink.onChunk(b.build());
        }
        return true;
    }

    // the keys of a chunk's objects in the order OpenAI sends them (JsonKeys: the order only makes it
    // faster); a key's index is its bit in the "seen" mask
    private static final int C_ID = 0;
    private static final int C_MODEL = 3;
    private static final int C_CHOICES = 6;
    private static final int C_USAGE = 7;
    private static final int C_SKIPPED_FROM = 8; // error, x_groq: the fast path does not take them
    private static final JsonKeys CHUNK = new JsonKeys("id", "object", "created", "model", "service_tier",
            "system_fingerprint", "choices", "usage", "error", "x_groq");
    private static final int CH_INDEX = 0;
    private static final int CH_DELTA = 1;
    private static final int CH_FINISH = 3;
    private static final JsonKeys CHOICE = new JsonKeys("index", "delta", "logprobs", "finish_reason");
    private static final int D_ROLE = 0;
    private static final int D_CONTENT = 1;
    private static final int D_REFUSAL = 2;
    private static final int D_TOOL_CALLS = 4;
    private static final JsonKeys DELTA = new JsonKeys("role", "content", "refusal", Message.REASONING_CONTENT,
            "tool_calls");

    /** Parses a whole event into the fast fields; false at the first thing the fast path does not take. */
    private boolean parseCommon(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return false;
        }
        fastId = null;
        fastModel = null;
        fastHasChoice = false;
        int seen = 0;
        int last = -1;
        for (int k = CHUNK.next(p, 0); k != JsonKeys.END; k = CHUNK.next(p, last + 1)) {
            JsonToken t = p.nextToken();
            if (k >= 0) {
                last = k;
            }
            switch (k) {
                case C_ID -> {
                    if ((seen & 1) != 0 || !isStringOrNull(t)) {
                        return false;
                    }
                    seen |= 1;
                    fastId = t == JsonToken.VALUE_STRING ? textOrSame(p, id, true) : null;
                }
                case C_MODEL -> {
                    if ((seen & 2) != 0 || !isStringOrNull(t)) {
                        return false;
                    }
                    seen |= 2;
                    fastModel = t == JsonToken.VALUE_STRING ? textOrSame(p, model, false) : null;
                }
                case C_CHOICES -> {
                    if ((seen & 4) != 0) {
                        return false;
                    }
                    seen |= 4;
                    if (t == JsonToken.START_ARRAY) {
                        JsonToken first = p.nextToken();
                        if (first == JsonToken.START_OBJECT) {
                            if (!parseChoice(p) || p.nextToken() != JsonToken.END_ARRAY) {
                                return false; // several choices, or a choice the fast path does not take
                            }
                            fastHasChoice = true;
                        } else if (first != JsonToken.END_ARRAY) {
                            return false;
                        }
                    } else if (t != JsonToken.VALUE_NULL) {
                        return false;
                    }
                }
                case C_USAGE -> {
                    if (t != JsonToken.VALUE_NULL) {
                        return false; // usage is read by the vendor's reader, from the tree
                    }
                }
                default -> {
                    if (k >= C_SKIPPED_FROM) {
                        return false; // an error or x_groq: the tree path reads them
                    }
                    p.skipChildren(); // a field chunks(tree) does not read
                }
            }
        }
        // The root object has ended: anything after it goes to the tree path.
        return p.nextToken() == null;
    }

    /** Parses one choice object (its start token read); false when the fast path does not take it. */
    private boolean parseChoice(JsonParser p) throws IOException {
        fastIndex = 0;
        fastFinish = null;
        fastHasDelta = false;
        fastRole = null;
        fastContent = null;
        fastRefusal = null;
        fastReasoning = null;
        int seen = 0;
        int last = -1;
        for (int k = CHOICE.next(p, 0); k != JsonKeys.END; k = CHOICE.next(p, last + 1)) {
            JsonToken t = p.nextToken();
            if (k >= 0) {
                last = k;
            }
            switch (k) {
                case CH_INDEX -> {
                    if ((seen & 1) != 0) {
                        return false;
                    }
                    seen |= 1;
                    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
                            && p.getIntValue() >= 0) {
                        fastIndex = p.getIntValue();
                    } else if (t != JsonToken.VALUE_NULL) {
                        return false;
                    }
                }
                case CH_FINISH -> {
                    if ((seen & 2) != 0 || !isStringOrNull(t)) {
                        return false;
                    }
                    seen |= 2;
                    fastFinish = t == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                case CH_DELTA -> {
                    if ((seen & 4) != 0) {
                        return false;
                    }
                    seen |= 4;
                    if (t == JsonToken.START_OBJECT) {
                        fastHasDelta = true;
                        if (!parseDelta(p)) {
                            return false;
                        }
                    } else if (t != JsonToken.VALUE_NULL) {
                        return false;
                    }
                }
                default -> p.skipChildren(); // logprobs and unknown keys: a chunk has no place for them
            }
        }
        return true;
    }

    /** Parses a delta object (its start token read); false on tool calls or a field of an unexpected type. */
    private boolean parseDelta(JsonParser p) throws IOException {
        int seen = 0;
        int last = -1;
        for (int k = DELTA.next(p, 0); k != JsonKeys.END; k = DELTA.next(p, last + 1)) {
            JsonToken t = p.nextToken();
            if (k == JsonKeys.OTHER) {
                p.skipChildren();
                continue;
            }
            last = k;
            if (k == D_TOOL_CALLS) {
                if (t != JsonToken.VALUE_NULL) {
                    return false;
                }
                continue;
            }
            if ((seen & 1 << k) != 0 || !isStringOrNull(t)) {
                return false;
            }
            seen |= 1 << k;
            String v = t == JsonToken.VALUE_STRING ? p.getText() : null;
            switch (k) {
                case D_ROLE -> fastRole = v;
                case D_CONTENT -> fastContent = v;
                case D_REFUSAL -> fastRefusal = v;
                default -> fastReasoning = v;
            }
        }
        return true;
    }

    /** The characters of the last id and model compared ({@link #textOrSame}), and the strings they are of. */
    private String idCharsOf;
    private char[] idChars;
    private String modelCharsOf;
    private char[] modelChars;

    /**
     * The current string value: {@code same} itself when the value equals it (every chunk repeats
     * the stream's id and model: no new string for them), else a new string. The comparison runs
     * on the characters in the parser's buffer against a copy of {@code same}'s, kept while
     * {@code same} stays the stream's value.
     */
    private String textOrSame(JsonParser p, String same, boolean isId) throws IOException {
        char[] chars = p.getTextCharacters();
        int offset = p.getTextOffset();
        int length = p.getTextLength();
        if (same == null || same.length() != length) {
            return new String(chars, offset, length);
        }
        char[] sameChars;
        if (isId) {
            if (idCharsOf != same) {
                idChars = same.toCharArray();
                idCharsOf = same;
            }
            sameChars = idChars;
        } else {
            if (modelCharsOf != same) {
                modelChars = same.toCharArray();
                modelCharsOf = same;
            }
            sameChars = modelChars;
        }
        return Arrays.equals(chars, offset, offset + length, sameChars, 0, length) ? same
                : new String(chars, offset, length);
    }

    private static boolean isStringOrNull(JsonToken t) {
        return t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NULL;
    }

    /** {@link #choice}'s decisions on the fast fields (already validated): the chunk, or null when it says nothing. */
    private ChatChunk.Builder commonChoice() {
        String finish = fastFinish;
        if (finish != null && finish.isEmpty()) {
            finish = null;
        }
        if (!fastHasDelta && finish == null) {
            return null;
        }
        if ("error".equals(finish)) {
            throw errors.finishedWithError(context);
        }
        int index = fastIndex;
        ChatChunk.Builder b = ChatChunk.builder(id, model).choiceIndex(index);
        boolean says = false;
        if (fastRole != null && !fastRole.isEmpty()) {
            b.role(fastRole);
            says = true;
        }
        if (fastContent != null && !fastContent.isEmpty()) {
            b.text(fastContent);
            says = true;
        }
        if (fastRefusal != null && !fastRefusal.isEmpty()) {
            b.refusal(fastRefusal);
            says = true;
        }
        if (fastReasoning != null && !fastReasoning.isEmpty()) {
            b.reasoning(fastReasoning);
            says = true;
        }
        return withFinish(b, index, finish, says) ? b : null;
    }

    /**
     * Sets the choice's finish reason when it has one and records whether the choice has finished
     * (one rule for both paths); whether the chunk says anything.
     */
    private boolean withFinish(ChatChunk.Builder b, int index, String finish, boolean says) {
        if (finish != null) {
            b.finishReason(FinishReason.fromWire(finish)).rawFinishReason(finish);
            finished.put(index, Boolean.TRUE);
            return true;
        }
        if (says) {
            finished.putIfAbsent(index, Boolean.FALSE);
        }
        return says;
    }

    // ------------------------------------------------------------------------------- the tree path

    /** The chunks of one event; throws {@link IllegalArgumentException} naming the bad field. */
    private List<ChatChunk> chunks(JsonNode root) {
        String chunkId = text(root, "id");
        if (chunkId != null && !chunkId.isEmpty()) {
            id = chunkId;
        }
        String chunkModel = text(root, "model");
        if (chunkModel != null && !chunkModel.isEmpty()) {
            model = chunkModel;
        }
        // One choice per event is the common case: no list of builders for it.
        ChatChunk.Builder one = null;
        List<ChatChunk.Builder> built = null;
        JsonNode choices = root.get("choices");
        if (choices != null && !choices.isNull()) {
            if (!choices.isArray()) {
                throw new IllegalArgumentException("choices must be an array");
            }
            for (int i = 0; i < choices.size(); i++) {
                ChatChunk.Builder b = choice(choices.get(i), i);
                if (b == null) {
                    continue;
                }
                if (one == null && built == null) {
                    one = b;
                } else {
                    if (built == null) {
                        built = new ArrayList<>();
                        built.add(one);
                        one = null;
                    }
                    built.add(b);
                }
            }
        }
        Usage usage = usage(root);
        if (usage != null) {
            if (one == null && built == null) {
                one = ChatChunk.builder(id, model);
            }
            (one != null ? one : built.get(built.size() - 1)).usage(usage);
        }
        if (one != null) {
            return List.of(one.build());
        }
        if (built == null) {
            return List.of();
        }
        List<ChatChunk> chunks = new ArrayList<>(built.size());
        for (ChatChunk.Builder b : built) {
            chunks.add(b.build());
        }
        return chunks;
    }

    /** The chunk of one choice, or null when it says nothing (empty delta, Azure annotation). */
    private ChatChunk.Builder choice(JsonNode choice, int position) {
        if (!choice.isObject()) {
            throw new IllegalArgumentException(at(position) + " must be an object");
        }
        int index = index(choice.get("index"), position);
        if (index < 0) {
            throw new IllegalArgumentException(at(position) + ".index must be a non-negative integer, was "
                    + choice.get("index"));
        }
        String finish = text(choice, "finish_reason");
        if (finish != null && finish.isEmpty()) {
            finish = null;
        }
        JsonNode delta = choice.get("delta");
        boolean hasDelta = delta != null && !delta.isNull();
        if (!hasDelta && finish == null) {
            return null;
        }
        if ("error".equals(finish)) {
            throw errors.finishedWithError(context);
        }
        ChatChunk.Builder b = ChatChunk.builder(id, model).choiceIndex(index);
        boolean says = false;
        if (hasDelta) {
            if (!delta.isObject()) {
                throw new IllegalArgumentException(at(position) + ".delta must be an object");
            }
            String role = text(delta, "role");
            if (role != null && !role.isEmpty()) {
                b.role(role);
                says = true;
            }
            String content = text(delta, "content");
            if (content != null && !content.isEmpty()) {
                b.text(content);
                says = true;
            }
            String refusal = text(delta, "refusal");
            if (refusal != null && !refusal.isEmpty()) {
                b.refusal(refusal);
                says = true;
            }
            String reasoning = text(delta, Message.REASONING_CONTENT);
            if (reasoning != null && !reasoning.isEmpty()) {
                b.reasoning(reasoning);
                says = true;
            }
            JsonNode calls = delta.get("tool_calls");
            if (calls != null && !calls.isNull()) {
                if (!calls.isArray()) {
                    throw new IllegalArgumentException(at(position) + ".delta.tool_calls must be an array");
                }
                for (int i = 0; i < calls.size(); i++) {
                    b.addToolCall(toolCall(calls.get(i), i, at(position) + ".delta.tool_calls[" + i + "]"));
                    says = true;
                }
            }
        }
        return withFinish(b, index, finish, says) ? b : null;
    }

    private static ToolCallDelta toolCall(JsonNode call, int position, String at) {
        if (!call.isObject()) {
            throw new IllegalArgumentException(at + " must be an object");
        }
        int index = index(call.get("index"), position);
        if (index < 0) {
            throw new IllegalArgumentException(at + ".index must be a non-negative integer, was " + call.get("index"));
        }
        String callId = text(call, "id");
        String name = null;
        String arguments = null;
        JsonNode function = call.get("function");
        if (function != null && !function.isNull()) {
            if (!function.isObject()) {
                throw new IllegalArgumentException(at + ".function must be an object");
            }
            name = text(function, "name");
            JsonNode args = function.get("arguments");
            if (args != null && !args.isNull()) {
                arguments = args.isTextual() ? args.textValue() : args.toString();
            }
        }
        return ToolCallDelta.of(index, callId == null || callId.isEmpty() ? null : callId,
                name == null || name.isEmpty() ? null : name, arguments);
    }

    private Usage usage(JsonNode root) {
        JsonNode usage = root.get("usage");
        if (usage == null || usage.isNull()) {
            usage = root.path("x_groq").get("usage");
        }
        if (usage == null || usage.isNull()) {
            return null;
        }
        return OpenAiJsonCodec.withServiceTier(usageReader.apply(usage), root.get("service_tier"));
    }

    /** Where a choice's field is, for a failure's message (built only then). */
    private static String at(int position) {
        return "choices[" + position + "]";
    }

    /** The index in {@code node}, {@code position} when absent; -1 when it is not a non-negative integer. */
    private static int index(JsonNode node, int position) {
        if (node == null || node.isNull()) {
            return position;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 0) {
            return -1;
        }
        return node.intValue();
    }

    /** A string field, null when absent or null; {@link IllegalArgumentException} when not a string. */
    private static String text(JsonNode object, String field) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string, was " + v.getNodeType());
        }
        return v.textValue();
    }
}
