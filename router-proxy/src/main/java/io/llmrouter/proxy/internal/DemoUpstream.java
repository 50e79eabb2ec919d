package io.llmrouter.proxy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code ProxyMain --demo}: a tiny OpenAI-compatible server on a free loopback port, so the example
 * config runs with no provider account. Chat answers echo the last user message (streamed word by
 * word when asked); embeddings are 8 numbers derived from the text. Not a model: a stand-in upstream.
 */
public final class DemoUpstream implements AutoCloseable {

    private final Javalin app;

    private DemoUpstream(Javalin app) {
        this.app = app;
    }

    /** Starts on a free loopback port. */
    public static DemoUpstream start() {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.post("/v1/chat/completions", DemoUpstream::chat);
            config.routes.post("/v1/embeddings", DemoUpstream::embeddings);
        });
        app.start("127.0.0.1", 0);
        return new DemoUpstream(app);
    }

    /** The base URL to put in {@code api_base}, e.g. {@code http://127.0.0.1:43123/v1}. */
    public String apiBase() {
        return "http://127.0.0.1:" + app.port() + "/v1";
    }

    private static void chat(Context ctx) throws IOException {
        JsonNode req = JsonOut.MAPPER.readTree(ctx.body());
        String model = req.path("model").asText("demo");
        String last = "";
        for (JsonNode m : req.path("messages")) {
            if (m.path("role").asText().equals("user")) {
                last = m.path("content").isTextual() ? m.path("content").asText() : m.path("content").toString();
            }
        }
        String answer = "You said: " + last;
        int prompt = Math.max(1, last.length() / 4);
        int completion = Math.max(1, answer.length() / 4);
        if (req.path("stream").asBoolean(false)) {
            ctx.res().setContentType("text/event-stream");
            OutputStream out = ctx.res().getOutputStream();
            String[] words = answer.split("(?<= )");
            for (int i = 0; i < words.length; i++) {
                ObjectNode c = chunk(model);
                ObjectNode delta = ((ObjectNode) c.get("choices").get(0)).putObject("delta");
                if (i == 0) {
                    delta.put("role", "assistant");
                }
                delta.put("content", words[i]);
                out.write(JsonOut.event(c.toString()));
                out.flush();
            }
            ObjectNode end = chunk(model);
            ((ObjectNode) end.get("choices").get(0)).put("finish_reason", "stop").putObject("delta");
            out.write(JsonOut.event(end.toString()));
            ObjectNode usage = JsonOut.MAPPER.createObjectNode();
            usage.put("id", "demo-1").put("object", "chat.completion.chunk").put("created", 0).put("model", model);
            usage.putArray("choices");
            usage.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                    .put("total_tokens", prompt + completion);
            out.write(JsonOut.event(usage.toString()));
            out.write(JsonOut.DONE);
            out.flush();
            return;
        }
        ObjectNode r = JsonOut.MAPPER.createObjectNode();
        r.put("id", "demo-1").put("object", "chat.completion").put("created", 0).put("model", model);
        ObjectNode choice = r.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", answer);
        r.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        ctx.contentType(ProxyApp.JSON).result(r.toString());
    }

    private static ObjectNode chunk(String model) {
        ObjectNode c = JsonOut.MAPPER.createObjectNode();
        c.put("id", "demo-1").put("object", "chat.completion.chunk").put("created", 0).put("model", model);
        c.putArray("choices").addObject().put("index", 0);
        return c;
    }

    private static void embeddings(Context ctx) throws IOException {
        JsonNode req = JsonOut.MAPPER.readTree(ctx.body());
        ObjectNode r = JsonOut.MAPPER.createObjectNode();
        r.put("object", "list");
        ArrayNode data = r.putArray("data");
        JsonNode input = req.path("input");
        int i = 0;
        int tokens = 0;
        for (JsonNode text : input.isArray() ? input : JsonOut.MAPPER.createArrayNode().add(input)) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i++);
            ArrayNode v = item.putArray("embedding");
            byte[] bytes = text.asText().getBytes(StandardCharsets.UTF_8);
            for (int d = 0; d < 8; d++) {
                v.add(bytes.length == 0 ? 0.0 : (bytes[d % bytes.length] % 16) / 16.0);
            }
            tokens += Math.max(1, bytes.length / 4);
        }
        r.put("model", req.path("model").asText("demo"));
        r.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        ctx.contentType(ProxyApp.JSON).result(r.toString());
    }

    @Override
    public void close() {
        app.stop();
    }
}
