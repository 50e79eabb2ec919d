package io.llmrouter.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.ContentPart;
import io.llmrouter.api.chat.ImageDetail;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.api.chat.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * LangChain4j's {@code ChatRequest} as llmrouter's OpenAI-shaped {@link ChatRequest}, and
 * llmrouter's {@link ChatResponse} back as LangChain4j's. Anything without an OpenAI-shaped
 * equivalent (audio, video and PDF content, top-k, custom messages) is refused with LangChain4j's
 * {@link UnsupportedFeatureException} before any call.
 */
final class ChatMapping {

    private ChatMapping() {
    }

    /**
     * The router request for a LangChain4j request whose parameters already include the model's
     * defaults.
     *
     * @param request the LangChain4j request
     * @param modelGroup the model group when the request names no model
     * @return the router request
     * @throws UnsupportedFeatureException for content or parameters the OpenAI shape lacks
     * @throws InvalidRequestException for a message that cannot be sent (a tool result without id)
     */
    static ChatRequest toRouter(dev.langchain4j.model.chat.request.ChatRequest request, String modelGroup) {
        ChatRequestParameters p = request.parameters();
        String model = p.modelName() != null ? p.modelName() : modelGroup;
        ChatRequest.Builder out = ChatRequest.builder(model);
        for (ChatMessage message : request.messages()) {
            out.addMessage(toRouter(message));
        }
        if (p.topK() != null) {
            throw new UnsupportedFeatureException("topK is not supported: llmrouter sends OpenAI-shaped requests");
        }
        if (p.temperature() != null) {
            out.temperature(p.temperature());
        }
        if (p.topP() != null) {
            out.topP(p.topP());
        }
        if (p.maxOutputTokens() != null) {
            out.maxTokens(p.maxOutputTokens());
        }
        if (p.presencePenalty() != null) {
            out.presencePenalty(p.presencePenalty());
        }
        if (p.frequencyPenalty() != null) {
            out.frequencyPenalty(p.frequencyPenalty());
        }
        if (p.stopSequences() != null && !p.stopSequences().isEmpty()) {
            out.stop(p.stopSequences());
        }
        if (p.toolSpecifications() != null) {
            for (ToolSpecification tool : p.toolSpecifications()) {
                out.addTool(toRouter(tool));
            }
        }
        if (p.toolChoice() != null) {
            out.toolChoice(switch (p.toolChoice()) {
                case AUTO -> ToolChoice.auto();
                case REQUIRED -> ToolChoice.required();
                case NONE -> ToolChoice.none();
            });
        }
        dev.langchain4j.model.chat.request.ResponseFormat format = p.responseFormat();
        if (format != null && format.type() == ResponseFormatType.JSON) {
            JsonSchema schema = format.jsonSchema();
            if (schema == null) {
                out.responseFormat(ResponseFormat.jsonObject());
            } else {
                String name = schema.name() != null ? schema.name() : "response";
                out.responseFormat(ResponseFormat.jsonSchema(name, JsonSchemas.toJson(schema.rootElement())));
            }
        }
        return out.build();
    }

    private static Message toRouter(ChatMessage message) {
        if (message instanceof SystemMessage system) {
            return Message.system(system.text());
        }
        if (message instanceof UserMessage user) {
            Message.Builder out = Message.builder(Role.USER);
            if (user.hasSingleText()) {
                out.content(user.singleText());
            } else {
                List<ContentPart> parts = new ArrayList<>(user.contents().size());
                for (Content content : user.contents()) {
                    parts.add(toRouter(content));
                }
                out.contentParts(parts);
            }
            if (user.name() != null) {
                out.name(user.name());
            }
            return out.build();
        }
        if (message instanceof AiMessage ai) {
            Message.Builder out = Message.builder(Role.ASSISTANT);
            if (ai.text() != null) {
                out.content(ai.text());
            }
            if (ai.hasToolExecutionRequests()) {
                for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                    out.addToolCall(ToolCall.of(call.id(), call.name(), call.arguments()));
                }
            }
            return out.build();
        }
        if (message instanceof ToolExecutionResultMessage result) {
            if (result.id() == null) {
                throw new InvalidRequestException("the result of tool '" + result.toolName()
                        + "' has no tool call id: OpenAI-shaped requests need one");
            }
            if (!result.hasSingleText()) {
                throw new UnsupportedFeatureException("tool results with non-text contents are not supported");
            }
            return Message.tool(result.id(), result.text());
        }
        throw new UnsupportedFeatureException(message.type() + " messages are not supported by llmrouter's "
                + "LangChain4j models (system, user, AI and tool execution result messages are)");
    }

    private static ContentPart toRouter(Content content) {
        if (content instanceof TextContent text) {
            return TextPart.of(text.text());
        }
        if (content instanceof ImageContent image) {
            return ImagePart.of(imageUrl(image.image()), detail(image.detailLevel()));
        }
        throw new UnsupportedFeatureException(content.type() + " content is not supported by llmrouter's "
                + "LangChain4j models (text and image content are)");
    }

    private static String imageUrl(Image image) {
        if (image.url() != null) {
            return image.url().toString();
        }
        if (image.base64Data() == null) {
            throw new InvalidRequestException("an image needs a URL or base64 data");
        }
        if (image.mimeType() == null) {
            throw new InvalidRequestException("a base64 image needs a MIME type");
        }
        return "data:" + image.mimeType() + ";base64," + image.base64Data();
    }

    private static ImageDetail detail(ImageContent.DetailLevel level) {
        if (level == null) {
            return ImageDetail.AUTO;
        }
        return switch (level) {
            case LOW -> ImageDetail.LOW;
            case HIGH -> ImageDetail.HIGH;
            case AUTO -> ImageDetail.AUTO;
            default -> throw new UnsupportedFeatureException("image detail level " + level
                    + " is not supported (LOW, HIGH and AUTO are)");
        };
    }

    private static Tool toRouter(ToolSpecification spec) {
        Tool.Builder tool = Tool.builder(spec.name());
        if (spec.description() != null) {
            tool.description(spec.description());
        }
        if (spec.parameters() != null) {
            tool.parameters(JsonSchemas.toJson(spec.parameters()));
        }
        if (spec.strict() != null) {
            tool.strict(spec.strict());
        }
        return tool.build();
    }

    /**
     * The LangChain4j response for a router response: the AI message (text, tool calls, reasoning
     * as thinking) and {@link RouterChatResponseMetadata} with id, model, usage, finish reason,
     * routing and cost.
     *
     * @param response the router's response
     * @return the LangChain4j response
     */
    static dev.langchain4j.model.chat.response.ChatResponse toLangChain4j(ChatResponse response) {
        AiMessage.Builder ai = AiMessage.builder();
        String text = response.text();
        List<ToolCall> toolCalls = response.toolCalls();
        if (!text.isEmpty() || toolCalls.isEmpty()) {
            ai.text(text);
        }
        if (!toolCalls.isEmpty()) {
            ai.toolExecutionRequests(toolExecutionRequests(toolCalls));
        }
        if (!response.choices().isEmpty()) {
            response.choices().get(0).message().reasoningContent().ifPresent(ai::thinking);
        }
        RouterChatResponseMetadata.Builder metadata = RouterChatResponseMetadata.builder()
                .id(response.id())
                .modelName(response.model())
                .cost(response.cost());
        response.usage().ifPresent(usage -> metadata.usage(usage).tokenUsage(tokenUsage(usage)));
        response.finishReason().ifPresent(reason -> metadata.finishReason(finishReason(reason)));
        response.routing().ifPresent(metadata::routing);
        return dev.langchain4j.model.chat.response.ChatResponse.builder()
                .aiMessage(ai.build())
                .metadata(metadata.build())
                .build();
    }

    /** The tool calls as LangChain4j's tool execution requests, in order. */
    static List<ToolExecutionRequest> toolExecutionRequests(List<ToolCall> toolCalls) {
        List<ToolExecutionRequest> requests = new ArrayList<>(toolCalls.size());
        for (ToolCall call : toolCalls) {
            requests.add(ToolExecutionRequest.builder().id(call.id()).name(call.name()).arguments(call.arguments())
                    .build());
        }
        return requests;
    }

    /** LangChain4j's token usage: input, output and total tokens. */
    static TokenUsage tokenUsage(Usage usage) {
        return new TokenUsage(usage.promptTokens(), usage.completionTokens(), usage.totalTokens());
    }

    /** LangChain4j's finish reason; {@code tool_calls} is {@link FinishReason#TOOL_EXECUTION}. */
    static FinishReason finishReason(io.llmrouter.api.chat.FinishReason reason) {
        return switch (reason) {
            case STOP -> FinishReason.STOP;
            case LENGTH -> FinishReason.LENGTH;
            case TOOL_CALLS -> FinishReason.TOOL_EXECUTION;
            case CONTENT_FILTER -> FinishReason.CONTENT_FILTER;
            case OTHER -> FinishReason.OTHER;
        };
    }
}
