package io.llmrouter.langchain4j;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.TokenStream;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.testing.FakeProvider;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RouterStreamingChatModel} through LangChain4j's {@link TokenStream}, on {@link FakeProvider}s. */
class RouterStreamingChatModelTest {

    private Router router;

    @AfterEach
    void closeRouter() {
        if (router != null) {
            router.close();
        }
    }

    /** A streaming AI service. */
    interface StreamingAssistant {
        TokenStream chat(String message);
    }

    private RouterStreamingChatModel modelOn(FakeProvider provider) {
        router = Router.builder().retryPolicy(retry -> retry.numRetries(0))
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").id("only").provider(provider).build())
                .build();
        return RouterStreamingChatModel.builder(router, "gpt-4o").build();
    }

    @Test
    void givenATokenStream_whenStarted_thenEachDeltaArrivesThenTheCompleteResponse() throws Exception {
        // given
        StreamingAssistant assistant = AiServices.create(StreamingAssistant.class,
                modelOn(FakeProvider.builder().stream("Bon", "jour", " !").build()));
        List<String> partials = new CopyOnWriteArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        // when
        assistant.chat("Say hello in French").onPartialResponse(partials::add)
                .onCompleteResponse(done::complete).onError(done::completeExceptionally).start();

        // then
        ChatResponse response = done.get(5, SECONDS);
        assertThat(partials).containsExactly("Bon", "jour", " !");
        assertThat(response.aiMessage().text()).isEqualTo("Bonjour !");
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.tokenUsage().totalTokenCount()).isPositive();
        RouterChatResponseMetadata metadata = (RouterChatResponseMetadata) response.metadata();
        assertThat(metadata.routing().orElseThrow().deploymentId()).isEqualTo("only");
        assertThat(metadata.cost().isPriced()).isTrue();
    }

    @Test
    void givenTheGroupFailing_whenStreaming_thenOnErrorGetsLangChain4jsExceptionWithTheRoutersCause()
            throws Exception {
        // given
        StreamingAssistant assistant = AiServices.create(StreamingAssistant.class,
                modelOn(FakeProvider.failingWith(401)));
        CompletableFuture<Throwable> failed = new CompletableFuture<>();

        // when
        assistant.chat("hi").onPartialResponse(text -> { })
                .onCompleteResponse(response -> failed.completeExceptionally(new AssertionError(response)))
                .onError(failed::complete).start();

        // then
        assertThat(failed.get(5, SECONDS)).isInstanceOf(AuthenticationException.class)
                .cause().isInstanceOf(io.llmrouter.api.exception.AuthenticationException.class);
    }

    @Test
    void givenAHandlerThatCancels_whenTheFirstDeltaArrives_thenNoFurtherCallbackComes() throws Exception {
        // given
        FakeProvider provider = FakeProvider.builder().stream("one", "two", "three").build();
        RouterStreamingChatModel model = modelOn(provider);
        List<String> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<String> ended = new CompletableFuture<>();

        // when
        model.chat("count", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(dev.langchain4j.model.chat.response.PartialResponse partial,
                    dev.langchain4j.model.chat.response.PartialResponseContext context) {
                seen.add(partial.text());
                context.streamingHandle().cancel();
                ended.complete("cancelled");
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                seen.add("complete");
            }

            @Override
            public void onError(Throwable error) {
                seen.add("error " + error);
            }
        });

        // then
        assertThat(ended.get(5, SECONDS)).isEqualTo("cancelled");
        assertThat(seen).containsExactly("one");
    }

    @Test
    void refusesAudioBeforeAnyCall() {
        FakeProvider provider = FakeProvider.builder().stream("never").build();
        RouterStreamingChatModel model = modelOn(provider);

        assertThatThrownBy(() -> model.chat(List.of(UserMessage.from(AudioContent.from("UklGRg==", "audio/wav"))),
                new StreamingChatResponseHandler() {
                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                    }

                    @Override
                    public void onError(Throwable error) {
                    }
                })).isInstanceOf(UnsupportedFeatureException.class);
        assertThat(provider.callCount()).isZero();
    }
}
