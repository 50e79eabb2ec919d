package io.llmrouter.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.Secret;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {

    @Test
    void defaultsAreTheEmbeddedH2DatabaseInPostgresMode() {
        StoreSettings defaults = StoreSettings.defaults();

        assertThat(defaults.jdbcUrl()).startsWith("jdbc:h2:file:./llmrouter-proxy-data/").contains("MODE=PostgreSQL");
        assertThat(defaults.databaseKind()).isEqualTo("H2");
        assertThat(defaults.maxPoolSize()).isEqualTo(StoreSettings.DEFAULT_MAX_POOL_SIZE);
        assertThat(defaults.flushInterval()).isEqualTo(StoreSettings.DEFAULT_FLUSH_INTERVAL);
        assertThat(defaults.maxBacklog()).isEqualTo(StoreSettings.DEFAULT_MAX_BACKLOG);
    }

    @Test
    void toStringAndRedactedUrlNeverShowThePassword() {
        StoreSettings settings = StoreSettings.builder()
                .jdbcUrl("jdbc:postgresql://proxy:UrlSecret1@db:5432/llmrouter?user=proxy&password=UrlSecret2&ssl=true")
                .username("proxy").password("Secret-Value-3".toCharArray()).build();

        assertThat(settings.toString()).doesNotContain("UrlSecret1", "UrlSecret2", "Secret-Value-3")
                .contains("PostgreSQL", "db:5432/llmrouter", "ssl=true", "password=****");
        assertThat(settings.redactedJdbcUrl()).isEqualTo(
                "jdbc:postgresql://****@db:5432/llmrouter?user=proxy&password=****&ssl=true");
        assertThat(settings.password()).contains(Secret.of("Secret-Value-3"));
    }

    @Test
    void rejectsUrlsThatAreNotJdbcWithoutQuotingAPassword() {
        assertThatThrownBy(() -> StoreSettings.builder().jdbcUrl("postgresql://db/x?password=Hidden9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbcUrl")
                .hasMessageNotContaining("Hidden9");
    }

    @Test
    void rejectsAPoolTooSmallForTheSpendWriter() {
        assertThatThrownBy(() -> StoreSettings.builder().maxPoolSize(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPoolSize");
    }
}
