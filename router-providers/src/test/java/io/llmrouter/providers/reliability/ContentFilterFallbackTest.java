package io.llmrouter.providers.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.llmrouter.ChatStream;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.Attempt;
import io.llmrouter.api.chat.ChatChunk;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.chat.FinishReason;
import io.llmrouter.testing.Fault;
import io.llmrouter.testing.FaultServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A 200 answer stopped by the content filter (OpenAI's {@code content_filter}, Anthropic's
 * {@code refusal}) goes to the content-policy fallback when the group has one, for completions
 * and for streams that had delivered nothing; without one it is returned as it is. Through the
 * real adapters on {@link FaultServer}.
 */
class ContentFilterFallbackTest {

    enum Wire { OPENAI, ANTHROPIC }

    private FaultServer strict;
    private FaultServer lenient;
    private FaultServer general;

    @AfterEach
    void close() {
        for (FaultServer s : new FaultServer[] {strict, lenient, general}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private FaultServer.Builder server(Wire wire) {
        return wire == Wire.OPENAI ? FaultServer.openAi() : FaultServer.anthropic();
    }

    private Router router(Wire wire, Fault strictAnswer, Fault lenientAnswer, boolean withContentPolicyFallback) {
        strict = server(wire).then(strictAnswer).start();
        lenient = server(wire).then(lenientAnswer).start();
        general = server(wire).then(lenientAnswer).start();
        String route = wire == Wire.OPENAI ? "openai/gpt-4o" : "anthropic/claude-sonnet-4-5";
        Router.Builder b = Router.builder().retryPolicy(retry -> retry.numRetries(0)).timeouts(timeouts -> timeouts.firstTokenTimeout(Duration.ofSeconds(10)))
                .deployment(deployment("main", "strict", route, strict))
                .deployment(deployment("lenient", "lenient", route, lenient))
                .deployment(deployment("general", "general", route, general))
                .fallbackPolicy(fallback -> fallback.fallbacks("main", "general"));
        if (withContentPolicyFallback) {
            b.fallbackPolicy(fallback -> fallback.contentPolicyFallbacks("main", "lenient"));
        }
        return b.build();
    }

    private static Deployment deployment(String group, String id, String route, FaultServer server) {
        return Deployment.builder(group, route).id(id).apiBase(server.url()).apiKey(Secret.of("sk-filter-test"))
                .build();
    }

    private static String raw(Wire wire) {
        return wire == Wire.OPENAI ? "content_filter" : "refusal";
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void givenFilteredAnswer_whenTheGroupHasAContentPolicyFallback_thenTheFallbackAnswers(Wire wire) {
        try (Router router = router(wire, Fault.filteredAnswer(), Fault.ok("from lenient"), true)) {
            ChatResponse r = router.completion(ChatRequest.ofUser("main", "hi"));

            assertThat(r.text()).isEqualTo("from lenient");
            assertThat(r.routing().orElseThrow().attempts())
                    .extracting(Attempt::deploymentId, a -> a.errorType().orElse("ok"))
                    .containsExactly(tuple("strict", "ContentPolicyViolationException"),
                            tuple("lenient", "ok"));
            assertThat(general.callCount()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void givenFilteredAnswer_whenNoContentPolicyFallback_thenTheAnswerIsReturnedAsItIs(Wire wire) {
        try (Router router = router(wire, Fault.filteredAnswer(), Fault.ok("from general"), false)) {
            ChatResponse r = router.completion(ChatRequest.ofUser("main", "hi"));

            assertThat(r.finishReason()).contains(FinishReason.CONTENT_FILTER);
            assertThat(r.choices().get(0).rawFinishReason()).isEqualTo(raw(wire));
            assertThat(r.routing().orElseThrow().deploymentId()).isEqualTo("strict");
            assertThat(general.callCount()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void givenStreamFilteredBeforeAnyText_whenTheGroupHasAContentPolicyFallback_thenTheCallerSeesOnlyTheFallback(
            Wire wire) throws Exception {
        List<ChatChunk> seen = new CopyOnWriteArrayList<>();
        try (Router router = router(wire, Fault.streamFiltered(), Fault.stream(3), true)) {
            ChatResponse r = router.streamAsync(ChatRequest.ofUser("main", "hi"), seen::add).get(10, TimeUnit.SECONDS);

            assertThat(r.routing().orElseThrow().deploymentId()).isEqualTo("lenient");
            assertThat(r.finishReason()).contains(FinishReason.STOP);
            assertThat(seen.stream().map(c -> c.text().orElse("")).collect(Collectors.joining())).isEqualTo("w0 w1 w2 ");
            assertThat(seen).noneMatch(c -> c.finishReason().filter(FinishReason.CONTENT_FILTER::equals).isPresent());
            assertThat(general.callCount()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void givenStreamFilteredBeforeAnyText_whenNoContentPolicyFallback_thenTheIteratorGivesTheFilteredAnswer(Wire wire) {
        try (Router router = router(wire, Fault.streamFiltered(), Fault.stream(3), false);
                ChatStream stream = router.stream(ChatRequest.ofUser("main", "hi"))) {
            List<ChatChunk> seen = new ArrayList<>();
            stream.forEach(seen::add);

            assertThat(seen).anySatisfy(c -> assertThat(c.finishReason()).contains(FinishReason.CONTENT_FILTER));
            ChatResponse r = stream.response();
            assertThat(r.finishReason()).contains(FinishReason.CONTENT_FILTER);
            assertThat(r.choices().get(0).rawFinishReason()).isEqualTo(raw(wire));
            assertThat(r.routing().orElseThrow().deploymentId()).isEqualTo("strict");
            assertThat(general.callCount()).isZero();
        }
    }
}
