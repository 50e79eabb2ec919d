package io.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmrouter.testing.FakeProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link Router.Builder#closeOnClose(AutoCloseable)} hands over is closed with the router, once. */
class RouterOwnedResourcesTest {

    private final List<String> closed = new ArrayList<>();

    private Router.Builder builder() {
        return Router.builder().deployment(Deployment.builder("g", "openai/g").provider(FakeProvider.replying("x")).build())
                .closeOnClose(() -> closed.add("store")).closeOnClose(() -> closed.add("cache"));
    }

    @Test
    void closingTheRouterClosesWhatItOwnsOnceLastHandedOverFirst() {
        Router router = builder().build();
        assertThat(closed).isEmpty();

        router.close();
        router.close();
        router.close(Duration.ZERO);

        assertThat(closed).containsExactly("cache", "store");
    }

    @Test
    void aGracefulCloseClosesThemToo() {
        Router router = builder().build();

        assertThat(router.close(Duration.ofSeconds(1))).isTrue();

        assertThat(closed).containsExactly("cache", "store");
    }

    @Test
    void aFailingCloseDoesNotStopTheOthers() {
        Router router = builder().closeOnClose(() -> {
            throw new IllegalStateException("redis://:secret@host");
        }).build();

        router.close();

        assertThat(closed).containsExactly("cache", "store");
    }

    @Test
    void aBuildThatFailsClosesThemAtOnce() {
        assertThatThrownBy(() -> builder().alias("a", "missing", false).build()).isInstanceOf(IllegalStateException.class);
        assertThat(closed).containsExactly("cache", "store");
        closed.clear();

        assertThatThrownBy(() -> builder().fallbackPolicy(f -> f.fallbacks("g", "missing")).build())
                .isInstanceOf(IllegalStateException.class);
        assertThat(closed).containsExactly("cache", "store");
    }
}
