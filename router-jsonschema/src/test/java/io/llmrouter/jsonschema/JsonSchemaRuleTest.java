package io.llmrouter.jsonschema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.exception.ResponseRejectedException;
import io.llmrouter.control.RuleVerdict;
import io.llmrouter.testing.FakeProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonSchemaRuleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode PERSON = tree("""
            {"type": "object",
             "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
             "required": ["name", "age"],
             "additionalProperties": false}""");

    private final JsonSchemaRule rule = JsonSchemaRule.create();

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ChatRequest structured(JsonNode schema) {
        return ChatRequest.builder("g").addMessage(Message.user("who?"))
                .responseFormat(ResponseFormat.jsonSchema("person", schema)).build();
    }

    private static ChatResponse answer(String text, FinishReason finish) {
        return ChatResponse.builder().id("r").model("m").choices(List.of(Choice.builder().index(0)
                .message(Message.assistant(text)).finishReason(finish).build())).build();
    }

    private RuleVerdict check(ChatRequest request, String text) {
        return rule.check(null, request, answer(text, FinishReason.STOP));
    }

    @Test
    void acceptsAnAnswerValidAgainstTheSchema() {
        assertThat(check(structured(PERSON), "{\"name\": \"Ada\", \"age\": 36}").isAccepted()).isTrue();
    }

    @Test
    void rejectsAnAnswerThatBreaksTheSchemaNamingTheProblemsByPath() {
        RuleVerdict v = check(structured(PERSON), "{\"name\": \"Ada\", \"age\": \"old\", \"x\": 1}");

        assertThat(v.isAccepted()).isFalse();
        assertThat(v.reason()).hasValueSatisfying(r -> assertThat(r)
                .startsWith("the answer does not match the JSON schema 'person': ")
                .contains("/age: string found, integer expected").contains("/: property 'x'"));
    }

    @Test
    void rejectsAnAnswerThatIsNotJson() {
        assertThat(check(structured(PERSON), "Sure! Here is the JSON: {").reason())
                .hasValueSatisfying(r -> assertThat(r).contains("not valid JSON"));
        assertThat(rule.check(null, structured(PERSON), answer("{\"name\": \"A", FinishReason.LENGTH)).reason())
                .hasValueSatisfying(r -> assertThat(r).contains("cut at the token limit"));
    }

    @Test
    void acceptsAnswersThatAreNotSchemaAnswers() {
        ChatResponse refusal = ChatResponse.builder().id("r").model("m").choices(List.of(Choice.builder().index(0)
                .message(Message.builder(io.llmrouter.api.chat.Role.ASSISTANT).content("").refusal("I can't").build())
                .finishReason(FinishReason.STOP).build())).build();

        assertThat(rule.check(null, structured(PERSON), refusal).isAccepted()).isTrue();
        assertThat(rule.check(null, structured(PERSON), answer("blocked", FinishReason.CONTENT_FILTER)).isAccepted())
                .isTrue();
    }

    @Test
    void acceptsAnythingForRequestsWithoutAJsonSchema() {
        assertThat(check(ChatRequest.ofUser("g", "hi"), "plain text").isAccepted()).isTrue();
        ChatRequest jsonObject = ChatRequest.builder("g").addMessage(Message.user("hi"))
                .responseFormat(ResponseFormat.jsonObject()).build();
        assertThat(check(jsonObject, "not json").isAccepted()).isTrue();
    }

    @Test
    void honoursTheSchemasOwnDraft() {
        JsonNode draft7 = tree("""
                {"$schema": "http://json-schema.org/draft-07/schema#",
                 "type": "array", "items": [{"type": "string"}], "additionalItems": false}""");

        assertThat(check(structured(draft7), "[\"a\"]").isAccepted()).isTrue();
        assertThat(check(structured(draft7), "[\"a\", 2]").isAccepted()).isFalse();
    }

    @Test
    void rejectsATooSmallCache() {
        assertThatThrownBy(() -> JsonSchemaRule.builder().maxCachedSchemas(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxCachedSchemas");
    }

    @Test
    void givenManySchemas_whenTheCacheIsFull_thenValidationStillWorks() {
        JsonSchemaRule small = JsonSchemaRule.builder().maxCachedSchemas(1).build();
        for (int i = 0; i < 5; i++) {
            JsonNode schema = tree("{\"type\": \"object\", \"required\": [\"k" + i + "\"]}");
            assertThat(small.check(null, structured(schema), answer("{\"k" + i + "\": 1}", FinishReason.STOP))
                    .isAccepted()).isTrue();
            assertThat(small.check(null, structured(schema), answer("{}", FinishReason.STOP)).isAccepted()).isFalse();
        }
    }

    @Test
    void givenAnInvalidAnswer_whenRouted_thenAnotherDeploymentAnswersAndTheInvalidOneIsNotCooled() {
        FakeProvider sloppy = FakeProvider.replying("{\"name\": \"Ada\"}");
        FakeProvider careful = FakeProvider.replying("{\"name\": \"Ada\", \"age\": 36}");
        try (Router router = Router.builder()
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("sloppy").order(0).provider(sloppy).build())
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("careful").order(1).provider(careful).build())
                .responseRule(rule).build()) {
            ChatResponse r = router.completion(structured(PERSON));

            assertThat(r.text()).contains("36");
            assertThat(r.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId)
                    .containsExactly("sloppy", "careful");
            assertThat(router.deploymentStatuses()).allSatisfy(s -> assertThat(s.coolingUntil()).isEmpty());
        }
    }

    @Test
    void givenOnlyInvalidAnswers_whenRouted_thenTheCallerGetsTheRejectionNamingTheRule() {
        try (Router router = Router.builder()
                .retryPolicy(r -> r.numRetries(1).backoff(java.time.Duration.ZERO, java.time.Duration.ZERO))
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("d")
                        .provider(FakeProvider.replying("no JSON here")).build())
                .responseRule(JsonSchemaRule.builder().countsTowardCooldown(true).build()).build()) {
            assertThatThrownBy(() -> router.completion(structured(PERSON)))
                    .isInstanceOfSatisfying(ResponseRejectedException.class, e -> {
                        assertThat(e.rule()).isEqualTo("json-schema");
                        assertThat(e.reason()).contains("not valid JSON");
                        assertThat(e.attempts()).hasSize(2);
                    });
        }
    }
}
