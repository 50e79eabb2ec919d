package io.llmrouter.springai.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.spring.boot.LlmRouterAutoConfiguration;
import io.llmrouter.spring.boot.RouterBuilderCustomizer;
import io.llmrouter.springai.RouterChatModel;
import io.llmrouter.springai.RouterEmbeddingModel;
import io.llmrouter.testing.FakeProvider;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class RouterSpringAiAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LlmRouterAutoConfiguration.class, RouterSpringAiAutoConfiguration.class))
            .withBean(RouterBuilderCustomizer.class, () -> b -> b.provider("fake", FakeProvider.replying("from spring ai")))
            .withPropertyValues("llmrouter.deployments[0].model-group=chat", "llmrouter.deployments[0].route=fake/m");

    @Test
    void givenChatModelGroupProperty_thenAChatModelOverTheRouterIsConfigured() {
        runner.withPropertyValues("llmrouter.spring-ai.chat-model-group=chat", "llmrouter.spring-ai.embedding-model-group=chat")
                .run(context -> {
                    assertThat(context).hasSingleBean(RouterChatModel.class).hasSingleBean(RouterEmbeddingModel.class);
                    ChatModel model = context.getBean(ChatModel.class);
                    assertThat(ChatClient.create(model).prompt("hi").call().content()).isEqualTo("from spring ai");
                    assertThat(context.getBean(EmbeddingModel.class).embed("x")).hasSize(FakeProvider.DEFAULT_DIMENSIONS);
                });
    }

    @Test
    void withoutTheProperty_noModelIsConfigured() {
        runner.run(context -> assertThat(context).doesNotHaveBean(ChatModel.class).doesNotHaveBean(EmbeddingModel.class));
    }

    @Test
    void anApplicationChatModelWins() {
        ChatModel own = prompt -> { throw new UnsupportedOperationException(); };
        runner.withPropertyValues("llmrouter.spring-ai.chat-model-group=chat").withBean(ChatModel.class, () -> own)
                .run(context -> assertThat(context.getBean(ChatModel.class)).isSameAs(own));
    }
}
