package io.llmrouter.providers.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.json.OpenAiJson;

/**
 * Shapes the JSON body of a chat-completions call from a {@link ChatRequest}.
 */
public final class OpenAiRequestBody {

    private OpenAiRequestBody() {
    }

    /**
     * The body of a non-streaming call: the request in OpenAI's shape without {@code stream} and
     * {@code stream_options}, whatever the request says.
     *
     * @param request the request, whose model is the provider's model name
     * @return a new tree
     */
    public static ObjectNode nonStreaming(ChatRequest request) {
        ObjectNode body = OpenAiJson.writeRequest(request);
        body.remove("stream");
        body.remove("stream_options");
        return body;
    }

    /**
     * Replaces the deprecated {@code max_tokens} (which OpenAI's reasoning models reject) with
     * {@code max_completion_tokens}: renamed when the latter is absent, dropped when both are set.
     * Only for OpenAI's own API; OpenAI-compatible servers may know only {@code max_tokens}.
     *
     * @param body a chat-completions body, changed in place
     * @return {@code body}
     */
    public static ObjectNode preferMaxCompletionTokens(ObjectNode body) {
        JsonNode maxTokens = body.remove("max_tokens");
        if (maxTokens != null && !body.has("max_completion_tokens")) {
            body.set("max_completion_tokens", maxTokens);
        }
        return body;
    }
}
