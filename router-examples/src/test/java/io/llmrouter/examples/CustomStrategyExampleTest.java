package io.llmrouter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.Message;
import io.llmrouter.testing.FakeProvider;
import org.junit.jupiter.api.Test;

class CustomStrategyExampleTest {

    @Test
    void givenRegionTags_whenRouted_thenTheLocalDeploymentAnswers() {
        try (Router router = Router.builder()
                .strategy(new CustomStrategyExample.RegionAffinityStrategy())
                .deployment(Deployment.builder("g", "openai/m").id("eu").addTag("eu").provider(FakeProvider.replying("eu")).build())
                .deployment(Deployment.builder("g", "openai/m").id("us").addTag("us").provider(FakeProvider.replying("us")).build())
                .build()) {
            for (String region : new String[] {"eu", "us", "us", "eu"}) {
                assertThat(router.completion(ChatRequest.builder("g").addMessage(Message.user("hi")).addTag(region)
                        .build()).text()).isEqualTo(region);
            }
        }
    }
}
