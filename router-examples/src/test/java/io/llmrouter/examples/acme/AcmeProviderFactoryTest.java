package io.llmrouter.examples.acme;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.Secret;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.spi.ProviderFactory;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The Acme adapter is registered like a built-in one: a deployment names it by its route prefix. */
class AcmeProviderFactoryTest {

    @Test
    void isFoundByServiceLoaderForTheAcmePrefix() {
        assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(f -> f.routePrefixes().contains("acme"))
                .singleElement()
                .isInstanceOf(AcmeProviderFactory.class);
    }

    @Test
    void givenAcmeDeployment_whenRouterCompletion_thenTheServiceLoadedAdapterAnswers() throws Exception {
        try (MockWebServer acme = new MockWebServer()) {
            acme.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .body("""
                            {"id": "gen_9", "output": "hi from Acme", "stop": "done", "tokens": {"in": 3, "out": 4}}""")
                    .build());
            acme.start();
            try (Router router = Router.builder()
                    .deployment(Deployment.builder("large", "acme/acme-large").apiBase(acme.url("/").toString())
                            .apiKey(Secret.of("acme-test-key")).build())
                    .build()) {

                ChatResponse response = router.completion(ChatRequest.ofUser("large", "hello"));

                assertThat(response.text()).isEqualTo("hi from Acme");
                assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(7);
                RecordedRequest sent = acme.takeRequest(5, TimeUnit.SECONDS);
                assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/generate");
                assertThat(sent.getHeaders().get("x-acme-key")).isEqualTo("acme-test-key");
            }
        }
    }
}
