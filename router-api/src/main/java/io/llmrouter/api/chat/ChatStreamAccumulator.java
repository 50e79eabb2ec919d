package io.llmrouter.api.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the chunks of a stream into the {@link ChatResponse} a non-streaming call would have
 * returned: text, refusal and reasoning pieces concatenated per choice, the last value of each
 * message extra field, tool-call fragments reassembled by
 * index (ids and names from their first fragment, arguments concatenated verbatim), the finish
 * reason and the last usage reported.
 *
 * <p>Not thread-safe: feed it from one thread (the router does).
 *
 * @since 0.1.0
 */
public final class ChatStreamAccumulator {

    private String id;
    private String model;
    private Usage usage;
    private int chunks;
    private final Map<Integer, ChoiceState> choices = new TreeMap<>();

    private static final class ChoiceState {
        final StringBuilder text = new StringBuilder();
        StringBuilder refusal;
        StringBuilder reasoning;
        final Map<String, JsonNode> extraFields = new LinkedHashMap<>();
        final Map<Integer, String[]> toolCalls = new TreeMap<>(); // index -> {id, name, args}
        final Map<Integer, StringBuilder> args = new TreeMap<>();
        FinishReason finish;
        String rawFinish;
    }

    /** Creates an empty accumulator. */
    public ChatStreamAccumulator() {
    }

    /** Adds a chunk. */
    public void add(ChatChunk chunk) {
        chunks++;
        if (id == null) {
            id = chunk.id();
            model = chunk.model();
        }
        Usage u = chunk.usageOrNull();
        if (u != null) {
            usage = u;
        }
        String text = chunk.textOrNull();
        String refusal = chunk.refusalOrNull();
        String reasoning = chunk.reasoningOrNull();
        FinishReason finish = chunk.finishReasonOrNull();
        List<ToolCallDelta> calls = chunk.toolCalls();
        boolean extra = chunk.hasExtraFields();
        boolean hasContent = text != null || refusal != null || !calls.isEmpty() || finish != null
                || chunk.roleOrNull() != null || reasoning != null || extra;
        if (!hasContent) {
            return;
        }
        ChoiceState c = choices.get(chunk.choiceIndex());
        if (c == null) {
            c = new ChoiceState();
            choices.put(chunk.choiceIndex(), c);
        }
        if (text != null) {
            c.text.append(text);
        }
        if (refusal != null) {
            if (c.refusal == null) {
                c.refusal = new StringBuilder();
            }
            c.refusal.append(refusal);
        }
        if (reasoning != null) {
            if (c.reasoning == null) {
                c.reasoning = new StringBuilder();
            }
            c.reasoning.append(reasoning);
        }
        if (extra) {
            c.extraFields.putAll(chunk.extraFields());
        }
        for (int i = 0; i < calls.size(); i++) {
            ToolCallDelta d = calls.get(i);
            String[] call = c.toolCalls.computeIfAbsent(d.index(), k -> new String[2]);
            d.id().ifPresent(v -> {
                if (call[0] == null) {
                    call[0] = v;
                }
            });
            d.name().ifPresent(v -> {
                if (call[1] == null) {
                    call[1] = v;
                }
            });
            ChoiceState state = c;
            d.arguments().ifPresent(a -> state.args.computeIfAbsent(d.index(), k -> new StringBuilder()).append(a));
        }
        if (finish != null) {
            c.finish = finish;
            String raw = chunk.rawFinishReasonOrNull();
            c.rawFinish = raw != null ? raw : finish.wireValue();
        }
    }

    /** The chunks added. */
    public int chunkCount() {
        return chunks;
    }

    /** The text received so far for choice 0. */
    public String text() {
        ChoiceState c = choices.get(0);
        return c == null ? "" : c.text.toString();
    }

    /** Whether a finish reason has arrived for every choice seen. */
    public boolean isFinished() {
        if (choices.isEmpty()) {
            return false;
        }
        for (ChoiceState c : choices.values()) {
            if (c.finish == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * The response so far.
     *
     * @return the response
     * @throws IllegalStateException when no chunk was added
     */
    public ChatResponse toResponse() {
        if (id == null) {
            throw new IllegalStateException("no chunk received");
        }
        ChatResponse.Builder b = ChatResponse.builder().id(id).model(model);
        if (choices.isEmpty()) {
            b.addChoice(Choice.of(0, Message.assistant(""), FinishReason.STOP));
        }
        for (Map.Entry<Integer, ChoiceState> e : choices.entrySet()) {
            ChoiceState c = e.getValue();
            List<ToolCall> calls = new ArrayList<>();
            c.toolCalls.forEach((index, call) -> {
                StringBuilder args = c.args.get(index);
                calls.add(ToolCall.of(call[0] != null ? call[0] : "call_" + id + "_" + index,
                        call[1] != null ? call[1] : "", args == null ? "" : args.toString()));
            });
            Message.Builder m = Message.builder(Role.ASSISTANT);
            if (c.text.length() > 0 || calls.isEmpty() && c.refusal == null) {
                m.content(c.text.toString());
            }
            calls.forEach(m::addToolCall);
            if (c.refusal != null) {
                m.refusal(c.refusal.toString());
            }
            if (c.reasoning != null) {
                m.reasoningContent(c.reasoning.toString());
            }
            c.extraFields.forEach(m::putExtraField);
            FinishReason finish = c.finish != null ? c.finish : FinishReason.STOP;
            b.addChoice(Choice.builder().index(e.getKey()).message(m.build()).finishReason(finish)
                    .rawFinishReason(c.rawFinish != null ? c.rawFinish : finish.wireValue()).build());
        }
        if (usage != null) {
            b.usage(usage);
        }
        return b.build();
    }
}
