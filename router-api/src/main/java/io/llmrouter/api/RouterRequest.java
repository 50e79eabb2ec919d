package io.llmrouter.api;

import java.util.List;
import java.util.Optional;

/**
 * What every request the router routes has in common: the model group it names, the end user it
 * is made for, and its routing and spend tags. Implemented by
 * {@link io.llmrouter.api.chat.ChatRequest} and
 * {@link io.llmrouter.api.embedding.EmbeddingRequest}; listeners and strategies see requests
 * through this type and may test for the concrete one.
 *
 * @since 0.1.0
 */
public interface RouterRequest {

    /** The model group (alias) the request is for; rewritten to the provider's model per call. */
    String model();

    /** The end user the request is made for ({@code user} on the wire), when set. */
    Optional<String> user();

    /** Routing and spend tags; never sent to a provider. */
    List<String> tags();
}
