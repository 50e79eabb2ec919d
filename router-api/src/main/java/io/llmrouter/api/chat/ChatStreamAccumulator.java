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
        chunk.usage().ifPresent(u -> usage = u);
        boolean hasContent = chunk.text().isPresent() || chunk.refusal().isPresent() || !chunk.toolCalls().isEmpty()
                || chunk.finishReason().isPresent() || chunk.role().isPresent() || chunk.reasoning().isPresent()
                || !chunk.extraFields().isEmpty();
        if (!hasContent) {
            return;
        }
        ChoiceState c = choices.computeIfAbsent(chunk.choiceIndex(), k -> new ChoiceState());
        chunk.text().ifPresent(c.text::append);
        chunk.refusal().ifPresent(r -> {
            if (c.refusal == null) {
                c.refusal = new StringBuilder();
            }
            c.refusal.append(r);
        });
        chunk.reasoning().ifPresent(r -> {
            if (c.reasoning == null) {
                c.reasoning = new StringBuilder();
            }
            c.reasoning.append(r);
        });
        c.extraFields.putAll(chunk.extraFields());
        for (ToolCallDelta d : chunk.toolCalls()) {
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
            d.arguments().ifPresent(a -> c.args.computeIfAbsent(d.index(), k -> new StringBuilder()).append(a));
        }
        if (chunk.finishReason().isPresent()) {
            c.finish = chunk.finishReason().get();
            c.rawFinish = chunk.rawFinishReason().orElse(c.finish.wireValue());
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
