package io.llmrouter.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable proxy: the example config with --demo, and configuration errors. */
class ProxyMainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private Path config(String yaml) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private String exampleWithMemoryDatabase() throws IOException {
        String example = Files.readString(Path.of("examples", "proxy-config.yaml"));
        return example.replace("  # database_url: postgresql://llmrouter:secret@127.0.0.1:5432/llmrouter",
                "  database_url: jdbc:h2:mem:main-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    }

    @Test
    void givenExampleConfigAndDemo_whenStarted_thenAWorkingProxyWithNoProviderAccount() throws Exception {
        Path file = config(exampleWithMemoryDatabase());

        try (ProxyMain.Running running = ProxyMain.start(
                new String[] {"--config", file.toString(), "--port", "0", "--demo"}, Map.of(), err)) {
            assertThat(running).as(err()).isNotNull();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(running.server().baseUrl() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer sk-demo-master-key-change-me")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"demo-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = ProxyFixture.tree(r.body());
            assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("You said: ping");
            assertThat(r.headers().firstValue("x-llmrouter-cost")).isPresent();
        }
    }

    @Test
    void givenMasterKeyWithoutSkPrefix_whenStarted_thenClearErrorAndNoServer() throws Exception {
        Path file = config(exampleWithMemoryDatabase().replace("sk-demo-master-key-change-me", "hunter2-secret"));

        ProxyMain.Running running = ProxyMain.start(new String[] {"--config", file.toString(), "--port", "0"},
                Map.of(), err);

        assertThat(running).isNull();
        assertThat(err()).contains("master_key must start with sk-").doesNotContain("hunter2");
    }

    @Test
    void givenMissingConfigOrBadFlags_whenStarted_thenClearErrors() {
        assertThat(ProxyMain.start(new String[] {}, Map.of(), err)).isNull();
        assertThat(ProxyMain.start(new String[] {"--config", dir.resolve("nope.yaml").toString()}, Map.of(), err))
                .isNull();
        assertThat(ProxyMain.start(new String[] {"--port", "99999"}, Map.of(), err)).isNull();

        assertThat(err()).contains("--config config.yaml is required").contains("not found")
                .contains("--port must be 0 to 65535");
    }

    @Test
    void givenMasterKeyFromAnUnsetEnvironmentVariable_whenStarted_thenItIsNamed() throws Exception {
        Path file = config(exampleWithMemoryDatabase().replace("sk-demo-master-key-change-me",
                "os.environ/PROXY_TEST_MASTER"));

        assertThat(ProxyMain.start(new String[] {"--config", file.toString()}, Map.of(), err)).isNull();

        assertThat(err()).contains("PROXY_TEST_MASTER");
    }
}
