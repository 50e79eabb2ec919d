package io.llmrouter.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Router;
import io.llmrouter.testing.LoopbackLlmServer;
import java.nio.file.Path;
import java.util.Arrays;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small version of {@link ProxyLoad} in the test suite: {@value #CLIENTS} concurrent clients x
 * {@value #REQUESTS} requests, JSON and streaming, through a real proxy and on the in-process router.
 * It asserts correctness only (no errors, every request answered exactly once, each call sent
 * upstream once and logged once); the timings are for {@link ProxyLoad#main}.
 */
class ProxyLoadTest {

    static final int CLIENTS = 64;
    static final int REQUESTS = 20;

    private LoopbackLlmServer upstream;
    private LoopbackProxy proxy;
    private final OkHttpClient http = ProxyLoad.httpClient(CLIENTS);

    @BeforeEach
    void start(@TempDir Path data) throws Exception {
        upstream = LoopbackLlmServer.start();
        proxy = LoopbackProxy.start(upstream, data);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            proxy.close();
        } finally {
            upstream.close();
        }
    }

    @Test
    void givenSixtyFourClients_whenJsonCallsThroughProxy_thenEveryRequestAnsweredOnceWithoutErrors() throws Exception {
        String key = ProxyLoad.generateKey(http, proxy.baseUrl(), "load-json");

        ProxyLoad.Phase phase = ProxyLoad.run("proxy json", CLIENTS, ProxyLoad.Bounds.requests(REQUESTS),
                ProxyLoad.proxyChat(http, proxy.baseUrl(), key));

        assertAnsweredOnce(phase);
        assertThat(upstream.answered()).as("upstream calls (no retry, no duplicate)").isEqualTo(CLIENTS * REQUESTS);
        assertLoggedOnce(key);
    }

    @Test
    void givenSixtyFourClients_whenStreamingThroughProxy_thenEveryStreamEndsOnceWithoutErrors() throws Exception {
        String key = ProxyLoad.generateKey(http, proxy.baseUrl(), "load-stream");

        ProxyLoad.Phase phase = ProxyLoad.run("proxy stream", CLIENTS, ProxyLoad.Bounds.requests(REQUESTS),
                ProxyLoad.proxyStream(http, proxy.baseUrl(), key));

        assertAnsweredOnce(phase);
        assertThat(upstream.answered()).as("upstream calls (no retry, no duplicate)").isEqualTo(CLIENTS * REQUESTS);
        assertLoggedOnce(key);
    }

    @Test
    void givenSixtyFourClients_whenSameCallsInProcess_thenEveryRequestAnsweredOnceWithoutErrors() throws Exception {
        Router router = proxy.router();

        ProxyLoad.Phase json = ProxyLoad.run("in-process json", CLIENTS, ProxyLoad.Bounds.requests(REQUESTS),
                ProxyLoad.inProcessChat(router));
        ProxyLoad.Phase stream = ProxyLoad.run("in-process stream", CLIENTS, ProxyLoad.Bounds.requests(REQUESTS),
                ProxyLoad.inProcessStream(router));

        assertAnsweredOnce(json);
        assertAnsweredOnce(stream);
        assertThat(upstream.answered()).isEqualTo(2L * CLIENTS * REQUESTS);
    }

    private static void assertAnsweredOnce(ProxyLoad.Phase phase) {
        assertThat(phase.errors).as("errors, first ones: %s", phase.firstErrors).isZero();
        assertThat(phase.answered()).isEqualTo((long) CLIENTS * REQUESTS);
        assertThat(phase.perClientAnswers).as("answers per client").hasSize(CLIENTS)
                .containsOnly(REQUESTS);
        assertThat(Arrays.stream(phase.sortedNanos).allMatch(n -> n > 0)).isTrue();
    }

    private void assertLoggedOnce(String key) {
        proxy.store().spendLog().flush();
        String hash = io.llmrouter.proxy.store.ApiKeys.hash(key);
        assertThat(proxy.store().spendLog().entries(hash, CLIENTS * REQUESTS * 2))
                .as("spend log entries for the key").hasSize(CLIENTS * REQUESTS);
    }
}
