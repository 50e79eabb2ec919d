package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.Choice;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.Usage;
import io.llmrouter.testing.FakeProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A 200 answer stopped by a content filter (finish reason {@code content_filter}) goes to the
 * content-policy fallback, decided once in the core from the normalized finish reason.
 */
class ContentPolicyFallbackTest {

    private static ChatResponse filtered(String raw) {
        return ChatResponse.builder().id("r1").model("m")
                .choices(List.of(Choice.builder().index(0).message(Message.assistant(""))
                        .finishReason(FinishReason.CONTENT_FILTER).rawFinishReason(raw).build()))
                .usage(Usage.of(10, 0)).build();
    }

    private static Deployment fake(String group, String id, FakeProvider provider) {
        return Deployment.builder(group, "openai/gpt-4o").id(id).provider(provider).build();
    }

    @Test
    void givenContentFilteredAnswer_whenTheGroupHasAContentPolicyFallback_thenTheFallbackAnswers() {
        FakeProvider strict = FakeProvider.builder().reply(filtered("content_filter")).build();
        FakeProvider general = FakeProvider.replying("from general");
        try (Router router = Router.builder()
                .deployment(fake("main", "strict", strict))
                .deployment(fake("lenient", "lenient", FakeProvider.replying("from lenient")))
                .deployment(fake("general", "general", general))
                .fallbackPolicy(fallback -> fallback.contentPolicyFallbacks("main", "lenient")
                        .fallbacks("main", "general"))
                .build()) {
            ChatResponse r = router.completion(ChatRequest.ofUser("main", "hi"));

            assertThat(r.text()).isEqualTo("from lenient");
            assertThat(r.routing().orElseThrow().attempts()).extracting(Attempt::deploymentId, a -> a.errorType()
                    .orElse("ok")).containsExactly(tuple("strict",
                            "ContentPolicyViolationException"), tuple("lenient", "ok"));
            assertThat(general.callCount()).isZero();
            assertThat(router.deploymentStatuses()).filteredOn(d -> d.deploymentId().equals("strict"))
                    .singleElement().as("a filtered answer is no fault of the deployment")
                    .satisfies(d -> assertThat(d.coolingUntil()).isEmpty());
        }
    }

    @Test
    void givenContentFilteredAnswer_whenNoContentPolicyFallback_thenTheAnswerIsReturnedWithItsFinishReason() {
        FakeProvider strict = FakeProvider.builder().reply(filtered("content_filter")).build();
        FakeProvider general = FakeProvider.replying("from general");
        try (Router router = Router.builder()
                .deployment(fake("main", "strict", strict))
                .deployment(fake("general", "general", general))
                .fallbackPolicy(fallback -> fallback.fallbacks("main", "general"))
                .build()) {
            ChatResponse r = router.completion(ChatRequest.ofUser("main", "hi"));

            assertThat(r.finishReason()).contains(FinishReason.CONTENT_FILTER);
            assertThat(r.choices().get(0).rawFinishReason()).isEqualTo("content_filter");
            assertThat(general.callCount()).as("the general list is not for filtered answers").isZero();
        }
    }

    @Test
    void givenTheFirstContentPolicyFallbackFiltersToo_whenTheListHasAnother_thenTheNextOneAnswers() {
        FakeProvider general = FakeProvider.replying("from the lenient group's general list");
        try (Router router = Router.builder()
                .deployment(fake("main", "strict", FakeProvider.builder().reply(filtered("SAFETY")).build()))
                .deployment(fake("lenient", "lenient", FakeProvider.builder().reply(filtered("refusal")).build()))
                .deployment(fake("other", "other", FakeProvider.replying("from other")))
                .deployment(fake("general", "general", general))
                .fallbackPolicy(fallback -> fallback.contentPolicyFallbacks("main", "lenient", "other")
                        .fallbacks("lenient", "general"))
                .build()) {
            ChatResponse r = router.completionAsync(ChatRequest.ofUser("main", "hi")).join();

            assertThat(r.text()).isEqualTo("from other");
            assertThat(general.callCount()).as("a filtered answer continues the content-policy list").isZero();
        }
    }

    @Test
    void givenTheFallbackFiltersToo_whenNothingIsLeftToTry_thenItsFilteredAnswerIsReturned() {
        try (Router router = Router.builder()
                .deployment(fake("main", "strict", FakeProvider.builder().reply(filtered("SAFETY")).build()))
                .deployment(fake("lenient", "lenient", FakeProvider.builder().reply(filtered("refusal")).build()))
                .fallbackPolicy(fallback -> fallback.contentPolicyFallbacks("main", "lenient"))
                .build()) {
            ChatResponse r = router.completionAsync(ChatRequest.ofUser("main", "hi")).join();

            assertThat(r.finishReason()).contains(FinishReason.CONTENT_FILTER);
            assertThat(r.choices().get(0).rawFinishReason()).isEqualTo("refusal");
            assertThat(r.routing().orElseThrow().deploymentId()).isEqualTo("lenient");
        }
    }

    @Test
    void givenAnOrdinaryStop_whenTheGroupHasAContentPolicyFallback_thenTheAnswerIsReturned() {
        FakeProvider lenient = FakeProvider.replying("from lenient");
        try (Router router = Router.builder()
                .deployment(fake("main", "strict", FakeProvider.replying("fine")))
                .deployment(fake("lenient", "lenient", lenient))
                .fallbackPolicy(fallback -> fallback.contentPolicyFallbacks("main", "lenient"))
                .build()) {
            assertThat(router.completion(ChatRequest.ofUser("main", "hi")).text()).isEqualTo("fine");
            assertThat(lenient.callCount()).isZero();
        }
    }
}
