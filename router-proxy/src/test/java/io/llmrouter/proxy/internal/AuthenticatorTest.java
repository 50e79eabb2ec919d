package io.llmrouter.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.proxy.store.ApiKeys;
import io.llmrouter.proxy.store.KeyStore;
import io.llmrouter.proxy.store.VirtualKey;
import io.llmrouter.testing.FakeProvider;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private final CountingKeys keys = new CountingKeys();
    private final Router router = Router.builder()
            .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").provider(FakeProvider.replying("hi")).build())
            .build();
    private final Authenticator auth = new Authenticator(Secret.of("sk-master-0123456789"), keys,
            new KeyBudgets(router, keys), Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void close() {
        router.close();
    }

    @Test
    void aVerifiedKeyIsReusedWithoutReadingTheStoreForEveryRequest() {
        String key = ApiKeys.generate();
        keys.insert(VirtualKey.builderFor(key).createdAt(NOW).updatedAt(NOW).build());

        for (int i = 0; i < 100; i++) {
            assertThat(auth.authenticate(Optional.of(key)).key().tokenHash()).isEqualTo(ApiKeys.hash(key));
        }

        assertThat(keys.finds.get()).isEqualTo(1);
    }

    @Test
    void aForgottenKeyIsReadAgainSoAChangeHereAppliesAtOnce() {
        String key = ApiKeys.generate();
        keys.insert(VirtualKey.builderFor(key).createdAt(NOW).updatedAt(NOW).build());
        auth.authenticate(Optional.of(key));

        keys.update(ApiKeys.hash(key), b -> b.blocked(true));
        auth.forget(ApiKeys.hash(key));

        assertThatThrownBy(() -> auth.authenticate(Optional.of(key)))
                .isInstanceOf(ProxyError.class)
                .hasMessageContaining("blocked")
                .hasMessageNotContaining(key);
        assertThat(keys.finds.get()).isEqualTo(2);
    }

    @Test
    void anUnknownKeyIsRefusedEveryTimeAndNeverCached() {
        String key = ApiKeys.generate();

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> auth.authenticate(Optional.of(key)))
                    .isInstanceOf(ProxyError.class)
                    .hasMessageNotContaining(key);
        }
        assertThat(keys.finds.get()).isEqualTo(3);
    }

    @Test
    void requestIdsAreVersionFourUuids() {
        UUID id = UUID.fromString(SpendRecorder.requestId());

        assertThat(id.version()).isEqualTo(4);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(SpendRecorder.requestId()).isNotEqualTo(id.toString());
    }

    /** A key store in a map that counts its reads. */
    private static final class CountingKeys implements KeyStore {
        final Map<String, VirtualKey> byHash = new ConcurrentHashMap<>();
        final AtomicInteger finds = new AtomicInteger();

        @Override
        public void insert(VirtualKey key) {
            byHash.put(key.tokenHash(), key);
        }

        @Override
        public Optional<VirtualKey> find(String tokenHash) {
            finds.incrementAndGet();
            return Optional.ofNullable(byHash.get(tokenHash));
        }

        @Override
        public Optional<VirtualKey> findByAlias(String alias) {
            return byHash.values().stream().filter(k -> k.keyAlias().equals(Optional.of(alias))).findFirst();
        }

        @Override
        public Optional<VirtualKey> update(String tokenHash, UnaryOperator<VirtualKey.Builder> change) {
            return Optional.ofNullable(byHash.computeIfPresent(tokenHash, (h, k) -> change.apply(k.toBuilder()).build()));
        }

        @Override
        public boolean delete(String tokenHash) {
            return byHash.remove(tokenHash) != null;
        }

        @Override
        public List<VirtualKey> list(int offset, int limit) {
            return List.copyOf(byHash.values());
        }

        @Override
        public void resetSpend(String tokenHash, Instant nextResetAt) {
            update(tokenHash, b -> b.budgetResetAt(nextResetAt));
        }
    }
}
