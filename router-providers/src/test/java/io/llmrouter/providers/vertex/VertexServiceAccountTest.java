package io.llmrouter.providers.vertex;

import static io.llmrouter.providers.testsupport.ProviderTestKit.await;
import static io.llmrouter.providers.testsupport.ProviderTestKit.failureOf;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.exception.AuthenticationException;
import io.llmrouter.providers.testsupport.ProviderTestKit;
import io.llmrouter.providers.testsupport.StartedServers;
import io.llmrouter.spi.ProviderCall;
import io.llmrouter.spi.ProviderOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service-account path on google-auth-library-oauth2-http, against a loopback token endpoint
 * (the key's {@code token_uri}) and a key generated here: the JWT grant, token reuse, and the
 * refresh of a token close to its expiry. Nothing reaches Google.
 */
@ExtendWith(StartedServers.class)
class VertexServiceAccountTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_EMAIL = "router@my-project.iam.gserviceaccount.com";
    private static KeyPair keys;

    private final MockWebServer tokenServer = new MockWebServer();
    private final MockWebServer vertex = new MockWebServer();

    @BeforeAll
    static void generateKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
    }

    private String keyJson() {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        ObjectNode key = JSON.createObjectNode().put("type", "service_account").put("project_id", "my-project")
                .put("private_key_id", "key-1").put("private_key", pem).put("client_email", CLIENT_EMAIL)
                .put("client_id", "1234567890").put("token_uri", tokenServer.url("/token").toString());
        return key.toString();
    }

    private static MockResponse token(String value, int expiresInSeconds) {
        return ProviderTestKit.json(200, """
                {"access_token":"%s","expires_in":%d,"token_type":"Bearer"}""".formatted(value, expiresInSeconds),
                Map.of());
    }

    @Test
    void givenServiceAccountKey_whenTokens_thenJwtGrantSignedWithTheKeyAndNearExpiryTokenRefreshed()
            throws Exception {
        // given: the first token expires in 60 s, inside google-auth's expiry margin; the second lasts an hour
        tokenServer.enqueue(token("ya29.first", 60));
        tokenServer.enqueue(token("ya29.second", 3600));
        VertexCredentials credentials = VertexCredentials.serviceAccount(Secret.of(keyJson()));

        // when
        String first = credentials.token().get(5, SECONDS);
        String second = credentials.token().get(5, SECONDS);
        var third = credentials.token();

        // then
        assertThat(first).isEqualTo("ya29.first");
        assertThat(second).as("refreshed before expiry").isEqualTo("ya29.second");
        assertThat(third).as("a fresh cached token is there at once").isDone();
        assertThat(third.get()).isEqualTo("ya29.second");
        assertThat(tokenServer.getRequestCount()).isEqualTo(2);
        assertJwtGrant(tokenServer.takeRequest(5, SECONDS));
    }

    private void assertJwtGrant(RecordedRequest grant) throws Exception {
        assertThat(grant.getMethod()).isEqualTo("POST");
        assertThat(grant.getUrl().encodedPath()).isEqualTo("/token");
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : grant.getBody().utf8().split("&")) {
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        assertThat(form).containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
        String[] jwt = form.get("assertion").split("\\.");
        assertThat(jwt).hasSize(3);
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(header.path("kid").asText()).isEqualTo("key-1");
        assertThat(claims.path("iss").asText()).isEqualTo(CLIENT_EMAIL);
        // google-auth names Google's token endpoint as the audience whichever token_uri it posts to
        assertThat(claims.path("aud").asText()).isEqualTo("https://oauth2.googleapis.com/token");
        assertThat(claims.path("scope").asText()).isEqualTo(VertexCredentials.CLOUD_PLATFORM_SCOPE);
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify((RSAPublicKey) keys.getPublic());
        rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rs256.verify(Base64.getUrlDecoder().decode(jwt[2]))).as("signed with the service account's key")
                .isTrue();
    }

    @Test
    void givenServiceAccountKeyFile_whenComplete_thenVertexCallCarriesItsToken(@TempDir Path dir) throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("sa.json"), keyJson());
        tokenServer.enqueue(token("ya29.from-file", 3600));
        vertex.enqueue(ProviderTestKit.json(200, """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"Bonjour"}]},"finishReason":"STOP"}],
                 "usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":2,"totalTokenCount":7}}""", Map.of()));
        ProviderCall call = ProviderCall.builder(ChatRequest.ofUser("gemini-2.5-flash", "Bonjour ?"))
                .deploymentId("vertex").modelGroup("vertex").providerRoute("vertex_ai/gemini-2.5-flash")
                .apiBase(vertex.url("/").toString()).timeout(Duration.ofSeconds(5))
                .options(ProviderOptions.empty().with(VertexAiProvider.PROJECT, "my-project")
                        .with(VertexAiProvider.CREDENTIALS, VertexCredentials.serviceAccount(file)))
                .build();

        // when
        String text = await(VertexAiProvider.builder().environment(v -> null).build().completeAsync(call)).text();

        // then
        assertThat(text).isEqualTo("Bonjour");
        assertThat(vertex.takeRequest(5, SECONDS).getHeaders().get("Authorization")).isEqualTo("Bearer ya29.from-file");
    }

    @Test
    void givenMalformedKey_whenComplete_thenAuthenticationErrorWithoutTheKeyAndNoVertexTraffic() {
        String broken = keyJson().replace("\"type\":\"service_account\",", "").replace("client_email", "mail");
        ProviderCall call = ProviderCall.builder(ChatRequest.ofUser("gemini-2.5-flash", "Bonjour ?"))
                .deploymentId("vertex").modelGroup("vertex").providerRoute("vertex_ai/gemini-2.5-flash")
                .apiBase(vertex.url("/").toString()).timeout(Duration.ofSeconds(5))
                .options(ProviderOptions.empty().with(VertexAiProvider.PROJECT, "my-project")
                        .with(VertexAiProvider.CREDENTIALS, VertexCredentials.serviceAccount(Secret.of(broken))))
                .build();

        Throwable failure = failureOf(VertexAiProvider.builder().environment(v -> null).build().completeAsync(call));

        assertThat(failure).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("service-account key JSON").hasMessageNotContaining("PRIVATE KEY");
        assertThat(vertex.getRequestCount()).isZero();
        assertThat(tokenServer.getRequestCount()).isZero();
    }
}
