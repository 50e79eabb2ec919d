package io.llmrouter.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.ResponseFormat;
import io.llmrouter.api.exception.RequestRefusedException;
import io.llmrouter.control.MaxCostGuard;
import io.llmrouter.control.PromptRedaction;
import io.llmrouter.jsonschema.JsonSchemaRule;
import io.llmrouter.testing.FakeProvider;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Request control with the three shipped pieces (see {@code src-docs/request-control.md}): the
 * prompt's e-mail address and card number are masked before it is sent
 * ({@link PromptRedaction}); a request that could cost more than $0.05 is refused before it is
 * sent ({@link MaxCostGuard}); an answer that breaks the request's JSON schema is rejected and
 * retried on the other deployment ({@link JsonSchemaRule}). Runs on fake providers, no network.
 *
 * <p>Run it with {@code mvn -q -DskipTests install && mvn -q -pl router-examples exec:java
 * -Dexec.mainClass=io.llmrouter.examples.RequestControlExample}.
 */
public final class RequestControlExample {

    private RequestControlExample() {
    }

    /**
     * Sends one structured request, then one too dear, and prints what happened.
     *
     * @param args ignored
     * @throws IOException never (the schema is a constant)
     */
    public static void main(String[] args) throws IOException {
        JsonNode person = new ObjectMapper().readTree("""
                {"type": "object",
                 "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
                 "required": ["name", "age"]}""");
        FakeProvider sloppy = FakeProvider.replying("{\"name\": \"Ada Lovelace\"}");
        FakeProvider careful = FakeProvider.replying("{\"name\": \"Ada Lovelace\", \"age\": 36}");
        try (Router router = Router.builder()
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("sloppy").order(0).provider(sloppy).build())
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("careful").order(1).provider(careful)
                        .build())
                .interceptor(PromptRedaction.emailsAndCards())
                .interceptor(MaxCostGuard.of(new BigDecimal("0.05")))
                .responseRule(JsonSchemaRule.create())
                .build()) {
            ChatRequest.Builder request = ChatRequest.builder("gpt-4o")
                    .addMessage(Message.user("Ada (ada@example.com, card 4111 1111 1111 1111) is 36. Extract her."))
                    .responseFormat(ResponseFormat.jsonSchema("person", person));

            ChatResponse answer = router.completion(request.maxCompletionTokens(200).build());
            System.out.println("sent: " + sloppy.requests().get(0).messages().get(0).text());
            for (Attempt a : answer.routing().orElseThrow().attempts()) {
                System.out.println("attempt on " + a.deploymentId() + ": " + a.errorMessage().orElse("accepted"));
            }
            System.out.println("answer: " + answer.text());

            try {
                router.completion(request.maxCompletionTokens(100_000).build());
            } catch (RequestRefusedException e) {
                System.out.println("refused by " + e.interceptor() + ": " + e.reason());
            }
        }
    }
}
