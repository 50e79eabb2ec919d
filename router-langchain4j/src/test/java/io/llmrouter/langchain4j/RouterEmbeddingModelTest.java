package io.llmrouter.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.output.Response;
import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.testing.FakeProvider;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link RouterEmbeddingModel} on {@link FakeProvider}s. */
class RouterEmbeddingModelTest {

    private Router router;

    @AfterEach
    void closeRouter() {
        if (router != null) {
            router.close();
        }
    }

    private Router routerWith(FakeProvider provider) {
        router = Router.builder().retryPolicy(retry -> retry.numRetries(0))
                .deployment(Deployment.builder("embed", "openai/text-embedding-3-small").provider(provider).build())
                .build();
        return router;
    }

    @Test
    void givenTwoSegments_whenEmbedAll_thenOneRouterCallReturnsBothVectorsAndUsage() {
        // given
        FakeProvider provider = FakeProvider.builder().dimensions(4).reply("unused").build();
        RouterEmbeddingModel model = RouterEmbeddingModel.builder(routerWith(provider), "embed").build();

        // when
        Response<List<Embedding>> response = model.embedAll(List.of(TextSegment.from("cat"), TextSegment.from("dog")));

        // then
        assertThat(response.content()).hasSize(2).allSatisfy(e -> assertThat(e.dimension()).isEqualTo(4));
        assertThat(response.content().get(0).vector()).isNotEqualTo(response.content().get(1).vector());
        assertThat(provider.embeddingRequests()).singleElement().satisfies(request -> {
            assertThat(request.model()).isEqualTo("text-embedding-3-small"); // the deployment's model
            assertThat(request.inputs()).containsExactly("cat", "dog");
        });
        assertThat(response.tokenUsage().inputTokenCount()).isPositive();
    }

    @Test
    void givenDimensions_whenEmbed_thenTheyAreRequestedAndDimensionNeedsNoCall() {
        FakeProvider provider = FakeProvider.replying("unused");
        RouterEmbeddingModel model = RouterEmbeddingModel.builder(routerWith(provider), "embed").dimensions(3).build();

        assertThat(model.dimension()).isEqualTo(3);
        assertThat(provider.callCount()).isZero();
        assertThat(model.embed("hello").content().dimension()).isEqualTo(3);
        assertThat(provider.embeddingRequests()).extracting(EmbeddingRequest::dimensions)
                .singleElement().satisfies(d -> assertThat(d).hasValue(3));
    }

    @Test
    void givenARateLimitedGroup_whenEmbed_thenLangChain4jsRateLimitException() {
        RouterEmbeddingModel model = RouterEmbeddingModel.builder(routerWith(FakeProvider.failingWith(429)), "embed")
                .build();

        assertThatThrownBy(() -> model.embed("hello")).isInstanceOf(RateLimitException.class)
                .cause().isInstanceOf(io.llmrouter.api.exception.RateLimitException.class);
    }
}
