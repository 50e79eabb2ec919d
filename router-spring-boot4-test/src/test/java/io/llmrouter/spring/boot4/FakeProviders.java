package io.llmrouter.spring.boot4;

import io.llmrouter.spring.boot.RouterBuilderCustomizer;
import io.llmrouter.testing.FakeProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Serves the {@code fake/...} and {@code broken/...} (401) routes with the test's providers, as an application would. */
@Configuration(proxyBeanMethods = false)
class FakeProviders {

    @Bean
    RouterBuilderCustomizer fakeRoutes() {
        return builder -> builder.provider("fake", FakeProvider.replying("hello from fake"))
                .provider("broken", FakeProvider.failingWith(401));
    }
}
