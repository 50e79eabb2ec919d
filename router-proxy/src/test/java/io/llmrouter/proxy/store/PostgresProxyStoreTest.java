package io.llmrouter.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.Secret;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract on a real PostgreSQL: the one {@code .ci/run} starts on loopback and names in
 * {@code LLMROUTER_PG_URL}, {@code LLMROUTER_PG_USER} and {@code LLMROUTER_PG_PASSWORD}. Each test
 * works in a schema of its own, dropped afterwards. Without the variables the tests are skipped,
 * except under {@code CI=true}, where a missing database is a failure.
 */
class PostgresProxyStoreTest extends ProxyStoreContractTest {

    private static final String URL = System.getenv("LLMROUTER_PG_URL");
    private static final String USER = System.getenv().getOrDefault("LLMROUTER_PG_USER", "llmrouter");
    private static final String PASSWORD = System.getenv().getOrDefault("LLMROUTER_PG_PASSWORD", "");

    private final String schema = "t_" + UUID.randomUUID().toString().replace("-", "");

    @BeforeEach
    void createSchema() throws Exception {
        if (URL == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true but LLMROUTER_PG_URL is not set: .ci/run starts PostgreSQL");
            }
            Assumptions.abort("LLMROUTER_PG_URL is not set (.ci/run starts a PostgreSQL and sets it)");
        }
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (URL != null) {
            closeStores();
            try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Override
    StoreSettings.Builder database() {
        return StoreSettings.builder().jdbcUrl(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema)
                .username(USER).password(Secret.of(PASSWORD)).maxPoolSize(20);
    }

    @Override
    Optional<String> password() {
        return PASSWORD.isEmpty() ? Optional.empty() : Optional.of(PASSWORD);
    }

    @Override
    Optional<StoreSettings> wrongPassword() {
        return Optional.of(database().password(Secret.of("Wrong-" + PASSWORD)).build());
    }

    @Test
    void givenUnreachableServer_whenOpened_thenStoreExceptionNamesPostgresAndTheCause() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        StoreSettings settings = database().jdbcUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/nowhere?password="
                + PASSWORD).connectionTimeout(Duration.ofSeconds(2)).build();

        assertThatThrownBy(() -> ProxyStore.open(settings))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("PostgreSQL")
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(PASSWORD));
    }
}
