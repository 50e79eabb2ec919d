package io.llmrouter.api.json;

import io.llmrouter.api.internal.OpenAiJsonCodec;
import static io.llmrouter.api.json.JsonTrees.assertSameTree;
import static io.llmrouter.api.json.JsonTrees.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.ContentPart;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.ImageDetail;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.chat.Role;
import io.llmrouter.api.chat.StreamOptions;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.chat.ToolChoice;
import io.llmrouter.api.chat.Usage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OpenAiJsonTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final String TEXT_RESPONSE = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"logprobs":null,
                         "finish_reason":"stop"}],
             "usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}
            """;

    private static ObjectNode textResponse() {
        return (ObjectNode) OpenAiJsonCodec.parse(TEXT_RESPONSE);
    }

    @Nested
    class WritingRequests {

        @Test
        void givenRequestWithEveryOption_whenWritten_thenExactOpenAiJson() {
            // given
            ObjectNode schema = NODES.objectNode().put("type", "object");
            ChatRequest request = ChatRequest.builder("gpt-4o")
                    .addMessage(Message.developer("Be brief."))
                    .addMessage(Message.user(List.of(TextPart.of("What is this?"),
                            ImagePart.of("https://example.com/a.png", ImageDetail.LOW))))
                    .temperature(0.5)
                    .topP(0.9)
                    .maxCompletionTokens(100)
                    .stop(List.of("END"))
                    .n(1)
                    .seed(42)
                    .presencePenalty(0.1)
                    .frequencyPenalty(-0.1)
                    .user("u-1")
                    .addTool(Tool.builder("lookup").description("Looks up").parameters(schema).strict(true).build())
                    .toolChoice(ToolChoice.function("lookup"))
                    .parallelToolCalls(false)
                    .responseFormat(ResponseFormat.builder("answer").schema(schema).strict(true).build())
                    .stream(true)
                    .streamOptions(StreamOptions.includeUsage(true))
                    .putMetadata("trace", "t-1")
                    .addTag("team-a")
                    .putExtraBody("reasoning_effort", NODES.textNode("low"))
                    .build();
            // when
            JsonNode json = OpenAiJsonCodec.writeRequest(request);
            // then
            assertSameTree(json, OpenAiJsonCodec.parse("""
                    {"model":"gpt-4o",
                     "messages":[{"role":"developer","content":"Be brief."},
                                 {"role":"user","content":[{"type":"text","text":"What is this?"},
                                   {"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}}]}],
                     "temperature":0.5,"top_p":0.9,"max_completion_tokens":100,"stop":["END"],"n":1,"seed":42,
                     "presence_penalty":0.1,"frequency_penalty":-0.1,"user":"u-1",
                     "tools":[{"type":"function","function":{"name":"lookup","description":"Looks up",
                               "parameters":{"type":"object"},"strict":true}}],
                     "tool_choice":{"type":"function","function":{"name":"lookup"}},
                     "parallel_tool_calls":false,
                     "response_format":{"type":"json_schema","json_schema":{"name":"answer",
                                        "schema":{"type":"object"},"strict":true}},
                     "stream":true,"stream_options":{"include_usage":true},
                     "metadata":{"trace":"t-1"},
                     "reasoning_effort":"low"}
                    """));
        }

        @Test
        void givenMinimalRequest_whenWritten_thenAbsentOptionsOmittedNotNull() {
            JsonNode json = OpenAiJsonCodec.writeRequest(ChatRequest.ofUser("gpt-4o", "hi"));

            assertSameTree(json, OpenAiJsonCodec.parse(
                    "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        }

        @Test
        void givenAssistantToolCallsWithoutContent_whenWritten_thenContentIsNull() {
            ChatRequest request = ChatRequest.builder("gpt-4o")
                    .addMessage(Message.assistantToolCalls(List.of(ToolCall.of("call_1", "f", "{}"))))
                    .addMessage(Message.tool("call_1", "42"))
                    .build();

            JsonNode messages = OpenAiJsonCodec.writeRequest(request).get("messages");

            assertSameTree(messages, OpenAiJsonCodec.parse("""
                    [{"role":"assistant","content":null,
                      "tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},
                     {"role":"tool","content":"42","tool_call_id":"call_1"}]
                    """));
        }

        @Test
        void givenStopAsString_whenWritten_thenStopIsString() {
            ChatRequest request = ChatRequest.builder("m").stop("\n").build();

            assertThat(OpenAiJsonCodec.writeRequest(request).get("stop").textValue()).isEqualTo("\n");
        }

        @Test
        void givenTags_whenWritten_thenTagsNeverSentToProvider() {
            ChatRequest request = ChatRequest.builder("m").addTag("eu").addTag("batch").build();

            String json = OpenAiJson.requestToJson(request);

            assertThat(OpenAiJsonCodec.parse(json)).isEqualTo(OpenAiJsonCodec.parse("{\"model\":\"m\",\"messages\":[]}"));
        }

        @Test
        void givenWrittenTree_whenCallerMutatesIt_thenRequestUnchanged() {
            ObjectNode schema = NODES.objectNode().put("type", "object");
            ChatRequest request = ChatRequest.builder("m").addTool(Tool.function("f", schema)).build();

            ObjectNode json = OpenAiJsonCodec.writeRequest(request);
            ((ObjectNode) json.at("/tools/0/function/parameters")).put("type", "array");

            assertThat(request.tools().get(0).parameters().orElseThrow().get("type").textValue()).isEqualTo("object");
        }
    }

    @Nested
    class ReadingRequests {

        @Test
        void givenToolsRequest_whenRead_thenTypedFieldsPopulated() {
            ChatRequest request = OpenAiJson.readRequest(resource("request-tools.json"));

            assertThat(request.model()).isEqualTo("gpt-4.1");
            assertThat(request.messages()).containsExactly(Message.user("What's the weather like in Boston today?"));
            assertThat(request.tools()).extracting(Tool::name).containsExactly("get_current_weather");
            assertThat(request.tools().get(0).parameters().orElseThrow().at("/required/0").textValue())
                    .isEqualTo("location");
            assertThat(request.toolChoice()).contains(ToolChoice.auto());
            assertThat(request.extraBody()).isEmpty();
        }

        @Test
        void givenImageRequest_whenRead_thenPartsKeptInOrder() {
            ChatRequest request = OpenAiJson.readRequest(resource("request-image.json"));

            Message user = request.messages().get(0);
            assertThat(user.isMultipart()).isTrue();
            assertThat(user.contentParts()).hasSize(3).first().isEqualTo(TextPart.of("What is in this image?"));
            assertThat(((ImagePart) user.contentParts().get(1)).detail()).contains(ImageDetail.HIGH);
            assertThat(((ImagePart) user.contentParts().get(2)).url()).startsWith("data:image/png;base64,");
            assertThat(request.maxTokens()).hasValue(300);
        }

        @Test
        void givenOptionsRequest_whenRead_thenUnknownFieldsGoToExtraBody() {
            ChatRequest request = OpenAiJson.readRequest(resource("request-options.json"));

            assertThat(request.extraBody()).containsOnlyKeys("reasoning_effort", "logit_bias", "logprobs",
                    "top_logprobs", "store", "service_tier");
            assertThat(request.extraBody().get("service_tier").isNull()).isTrue();
            assertThat(request.temperature()).hasValue(0.7);
            assertThat(request.seed()).hasValue(1234567890123L);
            assertThat(request.stop()).containsExactly("\n\n", "END");
            assertThat(request.isStopString()).isFalse();
            assertThat(request.messages().get(2).extraFields()).isEmpty();
            assertThat(request.messages().get(2).reasoningContent()).isPresent();
            assertThat(request.metadata()).containsExactly(Map.entry("session", "abc-123"), Map.entry("team", "search"));
        }

        @Test
        void givenLiteLlmMetadataTags_whenRead_thenTagsAndStringMetadataKept() {
            ChatRequest request = OpenAiJson.readRequest("""
                    {"model":"m","messages":[],
                     "metadata":{"tags":["eu","batch"],"trace_id":"t-9","attempt":3}}
                    """);

            assertThat(request.tags()).containsExactly("eu", "batch");
            assertThat(request.metadata()).containsExactly(Map.entry("trace_id", "t-9"));
            assertThat(OpenAiJsonCodec.writeRequest(request).get("metadata"))
                    .isEqualTo(OpenAiJsonCodec.parse("{\"trace_id\":\"t-9\"}"));
        }

        @Test
        void givenKnownFieldsAsNull_whenRead_thenTreatedAsAbsent() {
            ChatRequest request = OpenAiJson.readRequest(
                    "{\"model\":\"m\",\"messages\":[],\"temperature\":null,\"tools\":null,\"stop\":null}");

            assertThat(request.temperature()).isEmpty();
            assertThat(request.tools()).isEmpty();
            assertThat(request.stop()).isEmpty();
            assertThat(request.extraBody()).isEmpty();
        }
    }

    @Nested
    class ReadingResponses {

        @Test
        void givenToolCallResponse_whenRead_thenArgumentsKeptVerbatim() {
            ChatResponse response = OpenAiJson.readResponse(resource("response-tool-call.json"));

            assertThat(response.toolCalls()).containsExactly(
                    ToolCall.of("call_abc123", "get_current_weather", "{\n\"location\": \"Boston, MA\"\n}"));
            assertThat(response.finishReason()).contains(FinishReason.TOOL_CALLS);
            assertThat(response.text()).isEmpty();
            assertThat(response.choices().get(0).message().hasContent()).isFalse();
        }

        @Test
        void givenUsageDetails_whenRead_thenCachedReasoningAndCacheCreationTokensKept() {
            ChatResponse response = OpenAiJson.readResponse(resource("response-length.json"));

            assertThat(response.usage()).contains(Usage.builder().promptTokens(2006).completionTokens(300)
                    .totalTokens(2306).cachedTokens(1920).reasoningTokens(256).serviceTier("default").build());
            assertThat(response.finishReason()).contains(FinishReason.LENGTH);
            assertThat(OpenAiJson.readResponse(resource("response-logprobs-and-extras.json")).usage().orElseThrow()
                    .cacheCreationTokens()).isEqualTo(7);
        }

        @Test
        void givenAudioTokenDetails_whenRead_thenAudioPromptAndCompletionTokensKept() {
            Usage usage = OpenAiJsonCodec.readUsage(OpenAiJsonCodec.parse("""
                    {"prompt_tokens":120,"completion_tokens":80,"total_tokens":200,
                     "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":100,"text_tokens":20},
                     "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":60,"text_tokens":20}}
                    """));

            assertThat(usage.audioPromptTokens()).isEqualTo(100);
            assertThat(usage.audioCompletionTokens()).isEqualTo(60);
        }

        @Test
        void givenPerplexityUsage_whenRead_thenCitationSearchAndTopLevelReasoningKeptAsReported() {
            Usage usage = OpenAiJsonCodec.readUsage(OpenAiJsonCodec.parse("""
                    {"prompt_tokens":19,"completion_tokens":7163,"total_tokens":7182,"citation_tokens":9586,
                     "num_search_queries":18,"reasoning_tokens":73997,"search_context_size":"low"}
                    """));

            assertThat(usage).isEqualTo(Usage.builder().promptTokens(19).completionTokens(7163).totalTokens(7182)
                    .citationTokens(9586).searchQueries(18).reasoningTokens(73997).searchContextSize("low").build());
        }

        @Test
        void givenServiceTierOnResponse_whenRead_thenUsageCarriesIt() {
            ObjectNode root = textResponse();
            root.put("service_tier", "flex");

            assertThat(OpenAiJsonCodec.readResponse(root).usage().orElseThrow().serviceTier()).contains("flex");
        }

        @Test
        void givenUsageWithEveryKind_whenWrittenAndRead_thenSameUsageExceptTier() {
            Usage usage = Usage.builder().promptTokens(300).completionTokens(200).cachedTokens(10)
                    .cacheCreationTokens(5).audioPromptTokens(100).audioCompletionTokens(50).reasoningTokens(40)
                    .citationTokens(70).searchQueries(3).searchContextSize("high").build();

            assertThat(OpenAiJsonCodec.readUsage(OpenAiJsonCodec.writeUsage(usage))).isEqualTo(usage);
        }

        @Test
        void givenRefusal_whenRead_thenRefusalAndEmptyText() {
            ChatResponse response = OpenAiJson.readResponse(resource("response-refusal.json"));

            Message message = response.choices().get(0).message();
            assertThat(message.refusal()).contains("I'm sorry, I cannot assist with that request.");
            assertThat(response.text()).isEmpty();
        }

        @Test
        void givenUnknownFields_whenRead_thenKeptOnEachLevel() {
            ChatResponse response = OpenAiJson.readResponse(resource("response-logprobs-and-extras.json"));

            assertThat(response.extraFields()).containsOnlyKeys("prompt_filter_results");
            Choice first = response.choices().get(0);
            assertThat(first.extraFields()).containsOnlyKeys("content_filter_results");
            assertThat(first.message().reasoningContent()).contains("A greeting deserves a greeting.");
            assertThat(first.logprobs().orElseThrow().at("/content/1/token").textValue()).isEqualTo("!");
        }

        @Test
        void givenUnknownFinishReason_whenRead_thenOtherWithRawValueKept() {
            Choice second = OpenAiJson.readResponse(resource("response-logprobs-and-extras.json")).choices().get(1);

            assertThat(second.finishReason()).isEqualTo(FinishReason.OTHER);
            assertThat(second.rawFinishReason()).isEqualTo("max_output_reached");
        }

        @Test
        void givenCohereStyleFloatTokenCounts_whenRead_thenParsedAsIntegers() {
            ObjectNode json = textResponse();
            ((ObjectNode) json.get("usage")).put("prompt_tokens", 18.0).put("completion_tokens", 2.0)
                    .put("total_tokens", 20.0);

            assertThat(OpenAiJsonCodec.readResponse(json).usage()).contains(Usage.of(18, 2));
        }

        @Test
        void givenUsageAbsentOrNull_whenRead_thenUsageEmpty() {
            ObjectNode absent = textResponse();
            absent.remove("usage");
            ObjectNode asNull = textResponse();
            asNull.putNull("usage");

            assertThat(OpenAiJsonCodec.readResponse(absent).usage()).isEmpty();
            assertThat(OpenAiJsonCodec.readResponse(asNull).usage()).isEmpty();
        }

        @Test
        void givenMissingUsageDetails_whenRead_thenZero() {
            Usage usage = OpenAiJson.readResponse(TEXT_RESPONSE).usage().orElseThrow();

            assertThat(usage).isEqualTo(Usage.of(5, 1));
        }

        @Test
        void givenCreatedMissing_whenRead_thenZero() {
            ObjectNode json = textResponse();
            json.remove("created");

            assertThat(OpenAiJsonCodec.readResponse(json).created()).isZero();
        }

        @Test
        void givenResponse_whenRead_thenNotPricedAndNotRouted() {
            ChatResponse response = OpenAiJson.readResponse(TEXT_RESPONSE);

            assertThat(response.cost().isPriced()).isFalse();
            assertThat(response.routing()).isEmpty();
        }

        @Test
        void givenEmptyAssistantMessage_whenRead_thenEmptyText() {
            ObjectNode json = textResponse();
            ((ObjectNode) json.at("/choices/0")).put("finish_reason", "content_filter")
                    .putObject("message").put("role", "assistant").putNull("content");

            ChatResponse response = OpenAiJsonCodec.readResponse(json);

            assertThat(response.text()).isEmpty();
            assertThat(response.finishReason()).contains(FinishReason.CONTENT_FILTER);
        }
    }

    @Nested
    class WritingResponses {

        @Test
        void givenAnthropicFinishReason_whenWritten_thenOpenAiValue() {
            ChatResponse response = ChatResponse.builder().id("msg_1").model("claude")
                    .addChoice(Choice.builder().message(Message.assistant("hi")).finishReason(FinishReason.STOP)
                            .rawFinishReason("end_turn").build())
                    .usage(Usage.builder().promptTokens(10).completionTokens(2).cacheCreationTokens(4).build())
                    .build();

            JsonNode json = OpenAiJsonCodec.writeResponse(response);

            assertSameTree(json, OpenAiJsonCodec.parse("""
                    {"id":"msg_1","object":"chat.completion","created":0,"model":"claude",
                     "choices":[{"index":0,"message":{"role":"assistant","content":"hi","refusal":null},
                                 "logprobs":null,"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12,
                              "prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":4},
                              "completion_tokens_details":{"reasoning_tokens":0}}}
                    """));
        }
    }

    @Nested
    class MalformedInput {

        @Test
        void givenNotJson_whenRead_thenErrorNamesRoot() {
            assertThatThrownBy(() -> OpenAiJson.readResponse("<html>Bad Gateway</html>"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("$: not valid JSON");
        }

        @Test
        void givenEmptyOrTruncatedInput_whenParsed_thenIllegalArgument() {
            assertThatThrownBy(() -> OpenAiJsonCodec.parse("")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("$: not valid JSON");
            assertThatThrownBy(() -> OpenAiJsonCodec.parse("{\"id\":")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("$: not valid JSON");
            assertThatThrownBy(() -> OpenAiJsonCodec.parse("{} {}")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("$: not valid JSON");
        }

        @Test
        void givenJsonArrayAtRoot_whenRead_thenErrorNamesRoot() {
            assertThatThrownBy(() -> OpenAiJson.readResponse("[]"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("$: expected an object, was an array");
        }

        @Test
        void givenChoicesNotAnArray_whenRead_thenErrorNamesChoices() {
            ObjectNode json = textResponse();
            json.putObject("choices");

            assertThatThrownBy(() -> OpenAiJsonCodec.readResponse(json))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("choices: expected an array, was an object");
        }

        @Test
        void givenToolCallArgumentsAsObject_whenRead_thenErrorNamesFullPath() {
            ObjectNode json = (ObjectNode) OpenAiJsonCodec.parse(resource("response-parallel-tool-calls.json"));
            ((ObjectNode) json.at("/choices/0/message/tool_calls/1/function")).putObject("arguments")
                    .put("location", "Paris");

            assertThatThrownBy(() -> OpenAiJsonCodec.readResponse(json))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("choices[0].message.tool_calls[1].function.arguments: expected a string, was an object");
        }

        @Test
        void givenFinishReasonNull_whenRead_thenError() {
            ObjectNode json = textResponse();
            ((ObjectNode) json.at("/choices/0")).putNull("finish_reason");

            assertThatThrownBy(() -> OpenAiJsonCodec.readResponse(json))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("choices[0].finish_reason: must not be null");
        }

        @Test
        void givenMissingRequiredFields_whenRead_thenErrorNamesField() {
            ObjectNode noId = textResponse();
            noId.remove("id");
            ObjectNode noChoices = textResponse();
            noChoices.putArray("choices");
            ObjectNode noMessage = textResponse();
            ((ObjectNode) noMessage.at("/choices/0")).remove("message");

            assertThatThrownBy(() -> OpenAiJsonCodec.readResponse(noId)).hasMessage("id: is missing");
            assertThatThrownBy(() -> OpenAiJsonCodec.readResponse(noChoices))
                    .hasMessage("choices: expected at least one choice, was empty");
            assertThatThrownBy(() -> OpenAiJsonCodec.readResponse(noMessage)).hasMessage("choices[0].message: is missing");
        }

        @Test
        void givenFractionalTokenCount_whenRead_thenErrorNamesField() {
            ObjectNode json = textResponse();
            ((ObjectNode) json.get("usage")).put("prompt_tokens", 18.5);

            assertThatThrownBy(() -> OpenAiJsonCodec.readResponse(json))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("usage.prompt_tokens: expected an integer, was the number 18.5");
        }

        @Test
        void givenNegativeTemperature_whenRequestRead_thenErrorNamesFieldAndValue() {
            assertThatThrownBy(() -> OpenAiJson.readRequest("{\"model\":\"m\",\"messages\":[],\"temperature\":-1}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("temperature: ")
                    .hasMessageContaining("-1.0");
        }

        @Test
        void givenInvalidMessages_whenRequestRead_thenErrorNamesMessage() {
            assertThatThrownBy(() -> OpenAiJson.readRequest(
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"tool\",\"content\":\"r\"}]}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("messages[1]: toolCallId is required for a tool message");
            assertThatThrownBy(() -> OpenAiJson.readRequest(
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"function\",\"content\":\"a\"}]}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("messages[0].role: unknown role 'function'");
            assertThatThrownBy(() -> OpenAiJson.readRequest(
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\"}]}]}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("messages[0].content[0].type: unsupported content part type 'input_audio'");
        }

        @Test
        void givenBlankOrMissingModel_whenRequestRead_thenErrorNamesModel() {
            assertThatThrownBy(() -> OpenAiJson.readRequest("{\"model\":\" \",\"messages\":[]}"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("model: ");
            assertThatThrownBy(() -> OpenAiJson.readRequest("{\"messages\":[]}"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("model: is missing");
        }

        @Test
        void givenExtraFieldNamedLikeTypedOne_cannotBeSmuggledThroughBuilders() {
            assertThatThrownBy(() -> Message.builder(Role.USER).putExtraField("content", NODES.textNode("x")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("content");
        }

        @Test
        void givenAnyFieldReplacedByWrongType_whenResponseRead_thenOnlyIllegalArgumentException() {
            for (String name : List.of("response-logprobs-and-extras.json", "response-parallel-tool-calls.json",
                    "response-refusal.json")) {
                assertOnlyIllegalArgument(OpenAiJsonCodec.parse(resource(name)), true);
            }
        }

        @Test
        void givenAnyFieldReplacedByWrongType_whenRequestRead_thenOnlyIllegalArgumentException() {
            for (String name : List.of("request-options.json", "request-tool-result.json", "request-image.json",
                    "request-json-schema.json")) {
                assertOnlyIllegalArgument(OpenAiJsonCodec.parse(resource(name)), false);
            }
        }

        private void assertOnlyIllegalArgument(JsonNode original, boolean response) {
            List<JsonNode> replacements = List.of(NODES.nullNode(), NODES.numberNode(-1), NODES.numberNode(1.5),
                    NODES.textNode(""), NODES.booleanNode(true), NODES.arrayNode(), NODES.objectNode());
            for (String pointer : pointers(original, "")) {
                for (JsonNode replacement : replacements) {
                    JsonNode mutated = original.deepCopy();
                    replace(mutated, pointer, replacement);
                    try {
                        if (response) {
                            OpenAiJsonCodec.readResponse(mutated);
                        } else {
                            OpenAiJsonCodec.readRequest(mutated);
                        }
                    } catch (IllegalArgumentException expected) {
                        assertThat(expected.getMessage()).as("message for %s = %s", pointer, replacement).isNotBlank();
                    } catch (RuntimeException e) {
                        throw new AssertionError("unexpected " + e + " for " + pointer + " = " + replacement, e);
                    }
                }
            }
        }

        private static List<String> pointers(JsonNode node, String at) {
            List<String> out = new java.util.ArrayList<>();
            if (node.isObject()) {
                node.properties().forEach(e -> {
                    String p = at + "/" + e.getKey();
                    out.add(p);
                    out.addAll(pointers(e.getValue(), p));
                });
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    out.add(at + "/" + i);
                    out.addAll(pointers(node.get(i), at + "/" + i));
                }
            }
            return out;
        }

        private static void replace(JsonNode root, String pointer, JsonNode value) {
            int slash = pointer.lastIndexOf('/');
            JsonNode parent = slash == 0 ? root : root.at(pointer.substring(0, slash));
            String last = pointer.substring(slash + 1);
            if (parent instanceof ObjectNode o) {
                o.set(last, value);
            } else {
                ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(Integer.parseInt(last), value);
            }
        }
    }

    @Test
    void givenContentPartsOfEveryKind_whenRoundTripped_thenEqual() {
        Message message = Message.builder(Role.USER)
                .addContentPart(TextPart.of("look"))
                .addContentPart(ImagePart.of("data:image/png;base64,AAAA"))
                .addContentPart(ImagePart.of("https://example.com/x.jpg", ImageDetail.AUTO))
                .build();
        ChatRequest request = ChatRequest.builder("m").addMessage(message).build();

        ChatRequest back = OpenAiJson.readRequest(OpenAiJson.requestToJson(request));

        assertThat(back).isEqualTo(request);
        assertThat(back.messages().get(0).contentParts()).extracting(ContentPart::type)
                .containsExactly("text", "image_url", "image_url");
    }
}
