package io.llmrouter.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.proxy.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyConfigTest {

    @TempDir
    Path dir;

    private ProxyConfig read(String general, Map<String, String> env) throws IOException {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "model_list: []\ngeneral_settings:\n" + general);
        return ProxyConfig.read(file, env);
    }

    @Test
    void readsGeneralSettingsWithEnvironmentValues() throws IOException {
        ProxyConfig c = read("""
                  master_key: os.environ/MK
                  database_url: os.environ/DB
                  max_request_size_mb: 2
                  request_timeout: 30
                """, Map.of("MK", "sk-from-env", "DB", "postgresql://bob:p%40ss@db.local:5433/proxy"));

        assertThat(c.masterKey().reveal()).isEqualTo("sk-from-env");
        assertThat(c.store().jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:5433/proxy");
        assertThat(c.store().username()).hasValue("bob");
        assertThat(c.store().password().orElseThrow().reveal()).isEqualTo("p@ss");
        assertThat(c.store().toString()).doesNotContain("p@ss");
        assertThat(c.settings().maxRequestBytes()).isEqualTo(2L * 1024 * 1024);
        assertThat(c.settings().requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jdbcUrlsPassAsIsAndTheEmbeddedDatabaseIsTheDefault() throws IOException {
        assertThat(read("  master_key: sk-x\n  database_url: jdbc:h2:mem:x\n", Map.of()).store().jdbcUrl())
                .isEqualTo("jdbc:h2:mem:x");
        assertThat(read("  master_key: sk-x\n", Map.of()).store().jdbcUrl()).isEqualTo(StoreSettings.DEFAULT_JDBC_URL);
    }

    @Test
    void rejectsMissingOrBadValuesWithoutEchoingSecrets() {
        assertThatThrownBy(() -> read("  database_url: jdbc:h2:mem:x\n", Map.of()))
                .hasMessageContaining("master_key is required");
        assertThatThrownBy(() -> read("  master_key: sk-x\n  database_url: mysql://u:topsecret@h/db\n", Map.of()))
                .hasMessageContaining("database_url").hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> read("  master_key: sk-x\n  max_request_size_mb: lots\n", Map.of()))
                .hasMessageContaining("max_request_size_mb");
    }
}
