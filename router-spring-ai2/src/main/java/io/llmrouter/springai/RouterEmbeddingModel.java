package io.llmrouter.springai;

import io.llmrouter.Router;
import io.llmrouter.springai.internal.SpringAiMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;

/**
 * A Spring AI {@link EmbeddingModel} backed by a {@link Router}'s model group: embeddings get the
 * router's routing, retries, fallbacks and cost. The options' {@code model} names another group
 * and {@code dimensions} is passed on. The metadata carries the usage and, when priced,
 * {@value RouterChatModel#METADATA_COST_USD}; errors are the router's typed exceptions.
 *
 * <pre>{@code
 * EmbeddingModel embeddings = new RouterEmbeddingModel(router, "text-embedding-3-small");
 * float[] vector = embeddings.embed("hello");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RouterEmbeddingModel implements EmbeddingModel {

    private final Router router;
    private final String modelGroup;

    /**
     * An embedding model over {@code router}'s {@code modelGroup}.
     *
     * @param router the router
     * @param modelGroup the model group (or alias)
     * @throws NullPointerException if an argument is null
     */
    public RouterEmbeddingModel(Router router, String modelGroup) {
        this.router = Objects.requireNonNull(router, "router");
        this.modelGroup = Objects.requireNonNull(modelGroup, "modelGroup");
    }

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        Objects.requireNonNull(request, "request");
        EmbeddingOptions options = request.getOptions();
        String group = options != null && options.getModel() != null ? options.getModel() : modelGroup;
        io.llmrouter.api.embedding.EmbeddingRequest.Builder b =
                io.llmrouter.api.embedding.EmbeddingRequest.builder(group).inputs(request.getInstructions());
        if (options != null && options.getDimensions() != null) {
            b.dimensions(options.getDimensions());
        }
        io.llmrouter.api.embedding.EmbeddingResponse r = router.embedding(b.build());
        List<Embedding> embeddings = new ArrayList<>();
        for (io.llmrouter.api.embedding.Embedding e : r.data()) {
            embeddings.add(new Embedding(e.vector(), e.index()));
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        r.cost().totalUsd().ifPresent(usd -> metadata.put(RouterChatModel.METADATA_COST_USD, usd));
        r.routing().ifPresent(routing -> {
            metadata.put(RouterChatModel.METADATA_DEPLOYMENT_ID, routing.deploymentId());
            metadata.put(RouterChatModel.METADATA_MODEL_GROUP, routing.modelGroup());
        });
        EmbeddingResponseMetadata m = new EmbeddingResponseMetadata(r.model(),
                r.usage().map(SpringAiMapping::usage).orElse(null), metadata);
        return new EmbeddingResponse(embeddings, m);
    }

    @Override
    public float[] embed(Document document) {
        Objects.requireNonNull(document, "document");
        return embed(document.getText());
    }

    @Override
    public String toString() {
        return "RouterEmbeddingModel[modelGroup=" + modelGroup + "]";
    }
}
