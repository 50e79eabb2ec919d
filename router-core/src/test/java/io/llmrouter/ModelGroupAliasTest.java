package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.exception.BadRequestException;
import io.llmrouter.testing.FakeProvider;
import org.junit.jupiter.api.Test;

/** Model group aliases (LiteLLM's {@code model_group_alias}). */
class ModelGroupAliasTest {

    private static Router.Builder twoGroups(FakeProvider small, FakeProvider large) {
        return Router.builder()
                .deployment(Deployment.builder("gpt-4o-mini", "openai/gpt-4o-mini").provider(small).build())
                .deployment(Deployment.builder("gpt-4o", "openai/gpt-4o").provider(large).build());
    }

    @Test
    void aRequestForAnAliasIsRoutedToItsGroup() {
        FakeProvider small = FakeProvider.replying("small");
        FakeProvider large = FakeProvider.replying("large");
        try (Router router = twoGroups(small, large).alias("gpt-4", "gpt-4o-mini", false).build()) {
            ChatResponse answer = router.completion(ChatRequest.ofUser("gpt-4", "hi"));

            assertThat(answer.text()).isEqualTo("small");
            assertThat(large.callCount()).isZero();
            assertThat(small.requests().get(0).model()).as("the provider gets the deployment's model")
                    .isEqualTo("gpt-4o-mini");
        }
    }

    @Test
    void aVisibleAliasIsListedWithTheGroupsAndAHiddenOneIsNot() {
        try (Router router = twoGroups(FakeProvider.replying("a"), FakeProvider.replying("b"))
                .alias("gpt-4", "gpt-4o-mini", false).alias("internal", "gpt-4o", true).build()) {
            assertThat(router.modelGroups()).containsExactly("gpt-4o-mini", "gpt-4o", "gpt-4");
            assertThat(router.describe().toMarkdown())
                    .contains("| model_group_alias | {gpt-4=gpt-4o-mini, internal=gpt-4o (hidden)} |");
            assertThat(router.completion(ChatRequest.ofUser("internal", "hi")).text())
                    .as("a hidden alias still routes").isEqualTo("b");
        }
    }

    @Test
    void anAliasOfAnUnknownGroupOrShadowingAGroupFailsTheBuild() {
        Router.Builder unknown = twoGroups(FakeProvider.replying("a"), FakeProvider.replying("b"))
                .alias("gpt-4", "claude", false);
        assertThatThrownBy(unknown::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("alias 'gpt-4' names unknown model group 'claude'");
        Router.Builder shadow = twoGroups(FakeProvider.replying("a"), FakeProvider.replying("b"))
                .alias("gpt-4o", "gpt-4o-mini", false);
        assertThatThrownBy(shadow::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("alias 'gpt-4o' is also a model group");
    }

    @Test
    void withoutTheAliasTheNameIsAnUnknownGroup() {
        try (Router router = twoGroups(FakeProvider.replying("a"), FakeProvider.replying("b")).build()) {
            assertThatThrownBy(() -> router.completion(ChatRequest.ofUser("gpt-4", "hi")))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("unknown model group 'gpt-4'");
        }
    }
}
