package io.llmrouter.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.chat.ChatRequest;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallCancellationTest {

    @Test
    void givenRegisteredAction_whenCancelledTwice_thenItRunsOnce() {
        CallCancellation signal = CallCancellation.create();
        AtomicInteger runs = new AtomicInteger();
        signal.onCancel(runs::incrementAndGet);
        assertThat(runs).hasValue(0);

        signal.cancel();
        signal.cancel();

        assertThat(runs).hasValue(1);
        assertThat(signal.isCancelled()).isTrue();
    }

    @Test
    void givenAlreadyCancelled_whenAnActionRegisters_thenItRunsAtOnce() {
        CallCancellation signal = CallCancellation.create();
        signal.cancel();
        AtomicInteger runs = new AtomicInteger();

        signal.onCancel(runs::incrementAndGet);

        assertThat(runs).hasValue(1);
    }

    @Test
    void givenTwoRegistrations_whenCancelled_thenOnlyTheLatestRuns() {
        CallCancellation signal = CallCancellation.create();
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        signal.onCancel(first::incrementAndGet);
        signal.onCancel(second::incrementAndGet);

        signal.cancel();

        assertThat(first).hasValue(0);
        assertThat(second).hasValue(1);
    }

    @Test
    void neverIsInert() {
        CallCancellation never = CallCancellation.never();
        AtomicInteger runs = new AtomicInteger();
        never.onCancel(runs::incrementAndGet);

        never.cancel();

        assertThat(runs).hasValue(0);
        assertThat(never.isCancelled()).isFalse();
    }

    @Test
    void providerCallKeepsItsSignalThroughToBuilderButNotInEquals() {
        Endpoint endpoint = Endpoint.builder().deploymentId("d").modelGroup("g").providerRoute("openai/m").build();
        ChatRequest request = ChatRequest.ofUser("m", "hi");
        CallCancellation signal = CallCancellation.create();

        ProviderCall call = ProviderCall.of(request, endpoint, signal);

        assertThat(call.cancellation()).isSameAs(signal);
        assertThat(call.toBuilder().build().cancellation()).isSameAs(signal);
        assertThat(ProviderCall.of(request, endpoint).cancellation()).isSameAs(CallCancellation.never());
        assertThat(call).isEqualTo(ProviderCall.of(request, endpoint));
    }
}
