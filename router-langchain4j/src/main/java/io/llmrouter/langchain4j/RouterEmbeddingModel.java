package io.llmrouter.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.request.EmbeddingInput;
import dev.langchain4j.model.embedding.request.EmbeddingParameter;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.request.EmbeddingRequestParameters;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.langchain4j.model.embedding.response.EmbeddingResponseMetadata;
import io.llmrouter.RequestOptions;
import io.llmrouter.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * LangChain4j's {@link EmbeddingModel} backed by a {@link Router}: one router embedding call per
 * batch of texts, routed, retried and failed over like chat calls, with token usage.
 *
 * <pre>{@code
 * EmbeddingModel model = RouterEmbeddingModel.builder(router, "text-embedding-3-small").dimensions(1536).build();
 * Embedding embedding = model.embed("hello").content();
 * }</pre>
 *
 * <p>Text inputs only. A request's model name (or {@code EmbeddingRequestParameters}' model name)
 * picks another model group; its dimensions are sent as {@code dimensions}. Errors are mapped as
 * for {@link RouterChatModel}.
 *
 * <p>Thread-safe. It does not own the router.
 *
 * @since 0.1.0
 */
public final class RouterEmbeddingModel implements EmbeddingModel {

    private static final Set<EmbeddingParameter<?>> SUPPORTED = Set.of(EmbeddingRequestParameters.MODEL_NAME,
            EmbeddingRequestParameters.DIMENSIONS);

    private final Router router;
    private final String modelGroup;
    private final RequestOptions options;
    private final int dimensions;

    private RouterEmbeddingModel(Builder builder) {
        this.router = builder.router;
        this.modelGroup = builder.modelGroup;
        this.options = builder.options;
        this.dimensions = builder.dimensions;
    }

    /**
     * A builder for a model that embeds with {@code modelGroup} on {@code router}.
     *
     * @param router the router; not closed by the model
     * @param modelGroup the model group (or alias) requests go to when they name no model
     * @return a builder
     * @throws NullPointerException if an argument is null
     */
    public static Builder builder(Router router, String modelGroup) {
        return new Builder(router, modelGroup);
    }

    @Override
    public EmbeddingResponse doEmbed(EmbeddingRequest request) {
        EmbeddingRequestParameters parameters = request.parameters();
        String model = parameters != null && parameters.modelName() != null ? parameters.modelName() : modelGroup;
        io.llmrouter.api.embedding.EmbeddingRequest.Builder out =
                io.llmrouter.api.embedding.EmbeddingRequest.builder(model);
        for (EmbeddingInput input : request.inputs()) {
            out.addInput(input.text());
        }
        Integer requested = parameters != null ? parameters.dimensions() : null;
        if (requested != null) {
            out.dimensions(requested);
        } else if (dimensions > 0) {
            out.dimensions(dimensions);
        }
        io.llmrouter.api.embedding.EmbeddingRequest routerRequest;
        try {
            routerRequest = out.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
        io.llmrouter.api.embedding.EmbeddingResponse response;
        try {
            response = router.embedding(routerRequest, options);
        } catch (RuntimeException e) {
            throw ExceptionMapping.toLangChain4j(e);
        }
        List<Embedding> embeddings = new ArrayList<>(response.data().size());
        for (io.llmrouter.api.embedding.Embedding embedding : response.data()) {
            embeddings.add(Embedding.from(embedding.vector()));
        }
        EmbeddingResponseMetadata.Builder<?> metadata = EmbeddingResponseMetadata.builder().modelName(response.model());
        response.usage().ifPresent(usage -> metadata.tokenUsage(ChatMapping.tokenUsage(usage)));
        return EmbeddingResponse.builder().embeddings(embeddings).metadata(metadata.build()).build();
    }

    /** The model name and dimensions: what a request may set. */
    @Override
    public Set<EmbeddingParameter<?>> supportedParameters() {
        return SUPPORTED;
    }

    /** The configured dimensions, else (as LangChain4j does) the length of a probe embedding. */
    @Override
    public int dimension() {
        return dimensions > 0 ? dimensions : EmbeddingModel.super.dimension();
    }

    /** The model group. */
    @Override
    public String modelName() {
        return modelGroup;
    }

    /** {@link ModelProvider#OTHER}: the router picks the provider per call. */
    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    /** The configured dimensions; empty when the model's own are used. */
    public OptionalInt dimensions() {
        return dimensions > 0 ? OptionalInt.of(dimensions) : OptionalInt.empty();
    }

    @Override
    public String toString() {
        return "RouterEmbeddingModel{modelGroup=" + modelGroup + ", dimensions=" + dimensions + "}";
    }

    /**
     * Builds a {@link RouterEmbeddingModel}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private final Router router;
        private final String modelGroup;
        private RequestOptions options = RequestOptions.none();
        private int dimensions;

        private Builder(Router router, String modelGroup) {
            this.router = Objects.requireNonNull(router, "router");
            this.modelGroup = Objects.requireNonNull(modelGroup, "modelGroup");
            if (modelGroup.isBlank()) {
                throw new IllegalArgumentException("modelGroup is blank");
            }
        }

        /**
         * Per-call router options for every call of this model. Default {@link RequestOptions#none()}.
         *
         * @param options the options
         * @return this builder
         */
        public Builder options(RequestOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * The dimensions to ask for (models that can shorten their vectors), also what
         * {@link RouterEmbeddingModel#dimension()} answers without a probe call. Default: unset.
         *
         * @param dimensions the dimensions, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code dimensions} is below 1
         */
        public Builder dimensions(int dimensions) {
            if (dimensions < 1) {
                throw new IllegalArgumentException("dimensions must be at least 1: " + dimensions);
            }
            this.dimensions = dimensions;
            return this;
        }

        /**
         * Builds the model.
         *
         * @return the model
         */
        public RouterEmbeddingModel build() {
            return new RouterEmbeddingModel(this);
        }
    }
}
