package io.llmrouter.springai.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.ContentPart;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.api.chat.RoutingInfo;
import io.llmrouter.springai.RouterChatModel;
import io.llmrouter.springai.RouterChatOptions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * Spring AI prompts to router requests and router responses to Spring AI responses.
 *
 * <p>Internal: not API, may change in any release.
 */
public final class SpringAiMapping {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SpringAiMapping() {
    }

    /**
     * The router request for a prompt whose options are merged already.
     *
     * @param prompt the prompt
     * @param options its merged options; the model group is set
     * @param tools the tool definitions to offer
     * @return the request
     * @throws IllegalArgumentException if a message, a tool schema or the output schema is invalid
     */
    public static ChatRequest request(Prompt prompt, RouterChatOptions options, List<ToolDefinition> tools) {
        ChatRequest.Builder b = ChatRequest.builder(options.getModel());
        for (org.springframework.ai.chat.messages.Message m : prompt.getInstructions()) {
            switch (m.getMessageType()) {
                case SYSTEM -> b.addMessage(Message.system(m.getText()));
                case USER -> b.addMessage(user((UserMessage) m));
                case ASSISTANT -> b.addMessage(assistant((AssistantMessage) m));
                case TOOL -> ((ToolResponseMessage) m).getResponses()
                        .forEach(r -> b.addMessage(Message.tool(r.id(), r.responseData())));
            }
        }
        if (options.getTemperature() != null) {
            b.temperature(options.getTemperature());
        }
        if (options.getTopP() != null) {
            b.topP(options.getTopP());
        }
        if (options.getMaxTokens() != null) {
            b.maxTokens(options.getMaxTokens());
        }
        if (options.getStopSequences() != null && !options.getStopSequences().isEmpty()) {
            b.stop(options.getStopSequences());
        }
        if (options.getFrequencyPenalty() != null) {
            b.frequencyPenalty(options.getFrequencyPenalty());
        }
        if (options.getPresencePenalty() != null) {
            b.presencePenalty(options.getPresencePenalty());
        }
        if (options.getSeed() != null) {
            b.seed(options.getSeed());
        }
        if (options.getUser() != null) {
            b.user(options.getUser());
        }
        for (ToolDefinition t : tools) {
            Tool.Builder tool = Tool.builder(t.name()).parameters(json("tool " + t.name() + " input schema", t.inputSchema()));
            if (t.description() != null && !t.description().isBlank()) {
                tool.description(t.description());
            }
            b.addTool(tool.build());
        }
        if (options.getOutputSchema() != null && !options.getOutputSchema().isBlank()) {
            b.responseFormat(ResponseFormat.jsonSchema("response", json("output schema", options.getOutputSchema())));
        }
        return b.build();
    }

    private static JsonNode json(String what, String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Message user(UserMessage m) {
        if (m.getMedia().isEmpty()) {
            return Message.user(m.getText());
        }
        List<ContentPart> parts = new ArrayList<>();
        if (m.getText() != null && !m.getText().isEmpty()) {
            parts.add(TextPart.of(m.getText()));
        }
        for (Media media : m.getMedia()) {
            if (!"image".equals(media.getMimeType().getType())) {
                throw new IllegalArgumentException("unsupported media type " + media.getMimeType()
                        + ": the router sends images only");
            }
            Object data = media.getData();
            String url = data instanceof String s ? s
                    : "data:" + media.getMimeType() + ";base64,"
                            + Base64.getEncoder().encodeToString(media.getDataAsByteArray());
            parts.add(ImagePart.of(url));
        }
        return Message.user(parts);
    }

    private static Message assistant(AssistantMessage m) {
        if (!m.hasToolCalls()) {
            return Message.assistant(m.getText() == null ? "" : m.getText());
        }
        List<ToolCall> calls = new ArrayList<>();
        for (AssistantMessage.ToolCall c : m.getToolCalls()) {
            calls.add(ToolCall.of(c.id(), c.name(), c.arguments()));
        }
        Message.Builder b = Message.builder(Role.ASSISTANT).toolCalls(calls);
        if (m.getText() != null && !m.getText().isEmpty()) {
            b.content(m.getText());
        }
        return b.build();
    }

    /**
     * The Spring AI response for a router response: one generation per choice, usage, and the
     * router's cost and routing in the metadata.
     *
     * @param r the router's response
     * @param withText false for the last item of a stream, whose text was sent chunk by chunk
     * @return the response
     */
    public static ChatResponse response(io.llmrouter.api.chat.ChatResponse r, boolean withText) {
        List<Generation> generations = new ArrayList<>();
        for (Choice c : r.choices()) {
            Message m = c.message();
            List<AssistantMessage.ToolCall> calls = new ArrayList<>();
            for (ToolCall t : m.toolCalls()) {
                calls.add(new AssistantMessage.ToolCall(t.id(), t.type(), t.name(), t.arguments()));
            }
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("id", r.id());
            properties.put("index", c.index());
            properties.put("finishReason", c.finishReason().name());
            AssistantMessage message = AssistantMessage.builder().content(withText ? text(m) : "")
                    .toolCalls(calls).properties(properties).build();
            generations.add(new Generation(message,
                    ChatGenerationMetadata.builder().finishReason(c.finishReason().name()).build()));
        }
        return new ChatResponse(generations, metadata(r));
    }

    private static String text(Message m) {
        String text = m.text();
        return text == null ? "" : text;
    }

    private static ChatResponseMetadata metadata(io.llmrouter.api.chat.ChatResponse r) {
        ChatResponseMetadata.Builder b = ChatResponseMetadata.builder().id(r.id()).model(r.model());
        r.usage().ifPresent(u -> b.usage(usage(u)));
        r.cost().totalUsd().ifPresent(usd -> b.keyValue(RouterChatModel.METADATA_COST_USD, usd));
        r.routing().ifPresent(routing -> routing(b, routing));
        b.keyValue(RouterChatModel.METADATA_RESPONSE, r);
        return b.build();
    }

    /**
     * Spring AI's usage for the router's, the router's as the native usage.
     *
     * @param u the router's usage
     * @return Spring AI's
     */
    public static DefaultUsage usage(Usage u) {
        return new DefaultUsage(u.promptTokens(), u.completionTokens(), u.totalTokens(), u);
    }

    private static void routing(ChatResponseMetadata.Builder b, RoutingInfo routing) {
        b.keyValue(RouterChatModel.METADATA_DEPLOYMENT_ID, routing.deploymentId());
        b.keyValue(RouterChatModel.METADATA_MODEL_GROUP, routing.modelGroup());
        b.keyValue(RouterChatModel.METADATA_PROVIDER_ROUTE, routing.providerRoute());
        b.keyValue(RouterChatModel.METADATA_ATTEMPTS, routing.attempts());
        b.keyValue(RouterChatModel.METADATA_FALLBACK, routing.isFallback());
    }

    /**
     * A streamed chunk's text as a Spring AI response.
     *
     * @param chunk the chunk
     * @param text its text
     * @return the response
     */
    public static ChatResponse chunk(ChatChunk chunk, String text) {
        Map<String, Object> properties = Map.of("id", chunk.id(), "index", chunk.choiceIndex());
        AssistantMessage message = AssistantMessage.builder().content(text).properties(properties).build();
        return new ChatResponse(List.of(new Generation(message)),
                ChatResponseMetadata.builder().id(chunk.id()).model(chunk.model()).build());
    }
}
