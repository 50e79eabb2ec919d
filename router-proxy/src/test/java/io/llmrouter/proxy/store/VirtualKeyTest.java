package io.llmrouter.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VirtualKeyTest {

    private static final String KEY = "sk-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg";

    @Test
    void builderForKeepsTheHashAndMaskedNameButNeverTheKey() {
        VirtualKey key = VirtualKey.builderFor(KEY).keyAlias("ci").build();

        assertThat(key.tokenHash()).isEqualTo(ApiKeys.hash(KEY));
        assertThat(key.keyName()).isEqualTo("sk-...defg");
        assertThat(key.toString()).contains("sk-...defg").contains(key.tokenHash().substring(0, 8))
                .doesNotContain(key.tokenHash().substring(0, 9)).doesNotContain(KEY);
    }

    @Test
    void metadataIsDeepImmutableAndCopiedIn() {
        List<Object> tags = new ArrayList<>(List.of("a"));
        Map<String, Object> nested = new HashMap<>(Map.of("tags", tags));
        VirtualKey key = VirtualKey.builderFor(KEY).metadata(Map.of("nested", nested)).build();

        tags.add("b");
        nested.put("x", 1);

        @SuppressWarnings("unchecked")
        Map<String, Object> stored = (Map<String, Object>) key.metadata().get("nested");
        assertThat(stored).containsOnlyKeys("tags");
        assertThat(stored.get("tags")).isEqualTo(List.of("a"));
        assertThatThrownBy(() -> stored.put("y", 2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> key.metadata().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsMetadataThatIsNotJson() {
        assertThatThrownBy(() -> VirtualKey.builderFor(KEY).putMetadata("when", Instant.EPOCH).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata.when");
    }

    @Test
    void moneyEqualityIgnoresScaleAndInstantsKeepMicroseconds() {
        Instant t = Instant.parse("2026-12-01T10:00:00.123456789Z");
        VirtualKey a = VirtualKey.builderFor(KEY).spend(new BigDecimal("1.50")).createdAt(t).build();
        VirtualKey b = VirtualKey.builderFor(KEY).spend(new BigDecimal("1.5")).createdAt(t).build();

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.createdAt()).isEqualTo(Instant.parse("2026-12-01T10:00:00.123456Z"));
        assertThat(a.updatedAt()).isEqualTo(a.createdAt());
    }

    @Test
    void rejectsBadValuesNamingTheField() {
        assertThatThrownBy(() -> VirtualKey.builder("ABC", "sk-...")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenHash");
        assertThatThrownBy(() -> VirtualKey.builderFor(KEY).maxBudget(new BigDecimal("-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBudget");
        assertThatThrownBy(() -> VirtualKey.builderFor(KEY).rpmLimit(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rpmLimit");
    }

    @Test
    void expiresAtTheExpiryInstant() {
        Instant expiry = Instant.parse("2027-01-01T00:00:00Z");
        VirtualKey key = VirtualKey.builderFor(KEY).expires(expiry).build();

        assertThat(key.isExpired(expiry.minusNanos(1000))).isFalse();
        assertThat(key.isExpired(expiry)).isTrue();
    }
}
