package io.llmrouter.proxy.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ToolCallDelta;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.embedding.Embedding;
import io.llmrouter.api.embedding.EmbeddingResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;

/**
 * The OpenAI JSON the library's codec does not write: stream chunks, embeddings responses, the
 * models list and error bodies. Field order and null fields follow OpenAI's own answers.
 */
final class JsonOut {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private JsonOut() {
    }

    /** One SSE event: {@code data: <chunk>\n\n}. */
    static byte[] chunkEvent(ChatChunk c, long created, boolean includeUsageField) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(DATA);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", c.id());
            g.writeStringField("object", "chat.completion.chunk");
            g.writeNumberField("created", created);
            g.writeStringField("model", c.model());
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", c.choiceIndex());
            g.writeObjectFieldStart("delta");
            if (c.role().isPresent()) {
                g.writeStringField("role", c.role().get());
            }
            if (c.text().isPresent()) {
                g.writeStringField("content", c.text().get());
            }
            if (c.reasoning().isPresent()) {
                g.writeStringField("reasoning_content", c.reasoning().get());
            }
            if (c.refusal().isPresent()) {
                g.writeStringField("refusal", c.refusal().get());
            }
            if (!c.toolCalls().isEmpty()) {
                g.writeArrayFieldStart("tool_calls");
                for (ToolCallDelta t : c.toolCalls()) {
                    g.writeStartObject();
                    g.writeNumberField("index", t.index());
                    if (t.id().isPresent()) {
                        g.writeStringField("id", t.id().get());
                        g.writeStringField("type", "function");
                    }
                    g.writeObjectFieldStart("function");
                    if (t.name().isPresent()) {
                        g.writeStringField("name", t.name().get());
                    }
                    if (t.arguments().isPresent()) {
                        g.writeStringField("arguments", t.arguments().get());
                    }
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeNullField("logprobs");
            if (c.rawFinishReason().isPresent()) {
                g.writeStringField("finish_reason", finishReason(c));
            } else {
                g.writeNullField("finish_reason");
            }
            g.writeEndObject();
            g.writeEndArray();
            if (includeUsageField) {
                g.writeNullField("usage");
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.writeBytes(END);
        return out.toByteArray();
    }

    private static String finishReason(ChatChunk c) {
        return c.finishReason().map(f -> switch (f) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            default -> c.rawFinishReason().orElse("stop");
        }).orElse(c.rawFinishReason().orElse("stop"));
    }

    /** The usage event of {@code stream_options.include_usage}: no choices, the usage. */
    static byte[] usageEvent(String id, String model, long created, Usage usage) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", id);
        o.put("object", "chat.completion.chunk");
        o.put("created", created);
        o.put("model", model);
        o.putArray("choices");
        o.set("usage", usage(usage));
        return event(o.toString());
    }

    static byte[] event(String json) {
        return ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    static ObjectNode usage(Usage u) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("prompt_tokens", u.promptTokens());
        o.put("completion_tokens", u.completionTokens());
        o.put("total_tokens", u.totalTokens());
        o.putObject("prompt_tokens_details").put("cached_tokens", u.cachedTokens());
        o.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoningTokens());
        return o;
    }

    /** OpenAI's embeddings response; vectors as base64 little-endian float32 when asked. */
    static String embeddings(EmbeddingResponse r, String model, boolean base64) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("object", "list");
        ArrayNode data = o.putArray("data");
        for (Embedding e : r.data()) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", e.index());
            float[] v = e.vector();
            if (base64) {
                ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) {
                    b.putFloat(f);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(b.array()));
            } else {
                ArrayNode vec = item.putArray("embedding");
                for (float f : v) {
                    vec.add(f);
                }
            }
        }
        o.put("model", model);
        Usage u = r.usage().orElse(Usage.ZERO);
        o.putObject("usage").put("prompt_tokens", u.promptTokens()).put("total_tokens", u.totalTokens());
        return o.toString();
    }

    /** OpenAI's models list. */
    static String models(Collection<String> ids) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("object", "list");
        ArrayNode data = o.putArray("data");
        for (String id : ids) {
            data.addObject().put("id", id).put("object", "model").put("created", 0).put("owned_by", "llmrouter");
        }
        return o.toString();
    }

    /** OpenAI's error body. */
    static String error(ProxyError e) {
        ObjectNode o = MAPPER.createObjectNode();
        ObjectNode err = o.putObject("error");
        err.put("message", e.getMessage() == null ? "" : e.getMessage());
        err.put("type", e.type);
        if (e.param == null) {
            err.putNull("param");
        } else {
            err.put("param", e.param);
        }
        if (e.code == null) {
            err.putNull("code");
        } else {
            err.put("code", e.code);
        }
        return o.toString();
    }

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
}
