package io.llmrouter.proxy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.proxy.store.ProxyStore;
import io.llmrouter.proxy.store.StoreSettings;
import io.llmrouter.testing.FakeProvider;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyServerBuilderTest {

    @Test
    void rejectsMasterKeysWithoutSkPrefixOrValue() {
        assertThatThrownBy(() -> ProxyServer.builder().masterKey(Secret.of("hunter2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sk-")
                .hasMessageNotContaining("hunter2");
        Secret unset = Secret.fromEnv("PROXY_TEST_UNSET", Map.<String, String>of()::get);
        try (Router router = Router.builder().deployment(Deployment.builder("g", "openai/m")
                        .provider(FakeProvider.replying("hi")).build()).build();
                ProxyStore store = ProxyStore.open(StoreSettings.builder()
                        .jdbcUrl("jdbc:h2:mem:builder-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE").build())) {
            assertThatThrownBy(() -> ProxyServer.builder().router(router).store(store).masterKey(unset).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("PROXY_TEST_UNSET");
        }
    }

    @Test
    void requiresRouterStoreAndMasterKey() {
        assertThatThrownBy(() -> ProxyServer.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("router");
    }

    @Test
    void rejectsBadSettingsAndPorts() {
        assertThatThrownBy(() -> ProxyServer.builder().port(70_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxySettings.builder().maxRequestBytes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRequestBytes");
        assertThatThrownBy(() -> ProxySettings.builder().requestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestTimeout");
    }
}
