package io.llmrouter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.spi.EmbeddingCall;
import io.llmrouter.spi.Endpoint;
import io.llmrouter.spi.ProviderCall;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class FakeProviderTest {

    private static final Endpoint ENDPOINT = Endpoint.builder().deploymentId("d").modelGroup("g")
            .providerRoute("fake/m").build();

    private static ProviderCall call(int i) {
        return ProviderCall.of(ChatRequest.ofUser("m", "request " + i), ENDPOINT);
    }

    @Test
    void givenMoreCallsThanTheCap_whenCalled_thenKeepsTheLatestAndCountsEvery() {
        // given
        FakeProvider provider = FakeProvider.builder().maxRecordedCalls(100).reply("ok").build();
        // when
        for (int i = 0; i < 100_000; i++) {
            provider.completeAsync(call(i)).join();
        }
        // then
        assertThat(provider.callCount()).isEqualTo(100_000);
        assertThat(provider.calls()).hasSize(100);
        assertThat(provider.requests()).hasSize(100);
        assertThat(provider.requests().get(0).messages().get(0).text()).isEqualTo("request 99900");
        assertThat(provider.requests().get(99).messages().get(0).text()).isEqualTo("request 99999");
    }

    @Test
    void recordsEmbeddingCallsUnderTheSameCap() {
        FakeProvider provider = FakeProvider.builder().maxRecordedCalls(2).reply("ok").build();
        for (int i = 0; i < 5; i++) {
            provider.embedAsync(new EmbeddingCall(EmbeddingRequest.of("e", "text " + i), ENDPOINT)).join();
        }
        assertThat(provider.embeddingRequests()).extracting(r -> r.inputs().get(0))
                .containsExactly("text 3", "text 4");
        assertThat(provider.callCount()).isEqualTo(5);
    }

    @Test
    void givenNoRecording_whenCalled_thenOnlyCounts() {
        FakeProvider provider = FakeProvider.builder().maxRecordedCalls(0).reply("ok").build();
        provider.completeAsync(call(1)).join();
        assertThat(provider.calls()).isEmpty();
        assertThat(provider.callCount()).isOne();
    }

    @Test
    void rejectsANegativeCap() {
        assertThatThrownBy(() -> FakeProvider.builder().maxRecordedCalls(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRecordedCalls");
    }

    @Test
    void givenManyEarlierCalls_whenCalledAgain_thenEachCallAllocatesNoMoreThanEarlyOnes() {
        // given: allocation on this thread measures a call's work without timing it
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "per-thread allocation counters");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        FakeProvider provider = FakeProvider.replying("ok");
        ProviderCall call = call(0);
        // when
        long early = allocatedBy(threads, provider, call, 2_000);
        allocatedBy(threads, provider, call, 96_000);
        long late = allocatedBy(threads, provider, call, 2_000);
        // then: copying every earlier call on each new one (as a copy-on-write list does) would
        // allocate about 400 bytes per earlier call, some 80 MB for these 2,000 calls
        assertThat(provider.callCount()).isEqualTo(100_000);
        assertThat(provider.calls()).hasSize(FakeProvider.DEFAULT_MAX_RECORDED_CALLS);
        assertThat(late).isLessThanOrEqualTo(2 * early + 1_000_000);
    }

    private static long allocatedBy(com.sun.management.ThreadMXBean threads, FakeProvider provider, ProviderCall call,
            int calls) {
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < calls; i++) {
            provider.completeAsync(call).join();
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
