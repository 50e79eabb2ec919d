package io.llmrouter.proxy.store;

import io.llmrouter.api.Secret;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the embedded default: an H2 file database (in a temporary directory) with a password. */
class H2FileProxyStoreTest extends ProxyStoreContractTest {

    private static final String PASSWORD = "h2-Secret-Passw0rd";

    @TempDir
    Path dataDir;

    private String url() {
        return StoreSettings.DEFAULT_JDBC_URL.replace("./llmrouter-proxy-data/", dataDir.toString().replace('\\', '/') + "/");
    }

    @Override
    StoreSettings.Builder database() {
        return StoreSettings.builder().jdbcUrl(url()).username("proxy").password(Secret.of(PASSWORD));
    }

    @Override
    Optional<String> password() {
        return Optional.of(PASSWORD);
    }

    @Override
    Optional<StoreSettings> wrongPassword() {
        // The file database exists once a store opened it with the right password.
        try (ProxyStore store = ProxyStore.open(database().spillDirectory(dataDir.resolve("spill")).build())) {
            store.health(java.time.Duration.ofSeconds(5));
        }
        return Optional.of(database().password(Secret.of("not-the-Passw0rd")).spillDirectory(dataDir.resolve("spill")).build());
    }
}
