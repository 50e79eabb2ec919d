package io.llmrouter.springai.autoconfigure;

import io.llmrouter.Router;
import io.llmrouter.springai.RouterChatModel;
import io.llmrouter.springai.RouterEmbeddingModel;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * In a Spring Boot application with a {@link Router} bean (router-spring-boot-starter's, or the
 * application's own): a Spring AI {@link ChatModel} over the model group
 * {@value #CHAT_MODEL_GROUP}, and an {@link EmbeddingModel} over {@value #EMBEDDING_MODEL_GROUP},
 * each when its property is set and the application has no bean of that type. The chat model resolves
 * tool definitions with the application's {@link ToolCallingManager} bean when there is one
 * (Spring AI 2.0: {@code ChatClient}'s tool calling advisor runs the tools).
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = {"io.llmrouter.spring.boot.LlmRouterAutoConfiguration",
        "org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration"})
@ConditionalOnClass({ChatModel.class, Router.class})
@ConditionalOnBean(Router.class)
public class RouterSpringAiAutoConfiguration {

    /** The property naming the chat model's group: {@value}. */
    public static final String CHAT_MODEL_GROUP = "llmrouter.spring-ai.chat-model-group";

    /** The property naming the embedding model's group: {@value}. */
    public static final String EMBEDDING_MODEL_GROUP = "llmrouter.spring-ai.embedding-model-group";

    /** Created by Spring. */
    public RouterSpringAiAutoConfiguration() {
    }

    /**
     * The chat model.
     *
     * @param router the router
     * @param environment for the model group
     * @param toolCallingManager the application's tool calling manager, if any
     * @return the chat model
     */
    @Bean
    @ConditionalOnMissingBean(ChatModel.class)
    @ConditionalOnProperty(CHAT_MODEL_GROUP)
    public RouterChatModel llmRouterChatModel(Router router, Environment environment,
            ObjectProvider<ToolCallingManager> toolCallingManager) {
        RouterChatModel.Builder b = RouterChatModel.builder(router, environment.getRequiredProperty(CHAT_MODEL_GROUP));
        toolCallingManager.ifAvailable(b::toolCallingManager);
        return b.build();
    }

    /**
     * The embedding model.
     *
     * @param router the router
     * @param environment for the model group
     * @return the embedding model
     */
    @Bean
    @ConditionalOnMissingBean(EmbeddingModel.class)
    @ConditionalOnProperty(EMBEDDING_MODEL_GROUP)
    public RouterEmbeddingModel llmRouterEmbeddingModel(Router router, Environment environment) {
        return new RouterEmbeddingModel(router, environment.getRequiredProperty(EMBEDDING_MODEL_GROUP));
    }
}
