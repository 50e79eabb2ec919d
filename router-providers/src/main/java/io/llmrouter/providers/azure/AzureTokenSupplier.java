package io.llmrouter.providers.azure;

import java.util.concurrent.CompletableFuture;

/**
 * Supplies Microsoft Entra ID access tokens for Azure OpenAI calls, sent as
 * {@code Authorization: Bearer <token>} instead of an {@code api-key}. Set it per deployment with
 * {@code Deployment.builder(..).option(AzureOpenAiProvider.TOKEN_SUPPLIER, supplier)}.
 *
 * <p>{@link #token()} is called once per request, on the thread that starts the call, so the
 * supplier decides how to cache and refresh: return a cached token while it is valid and a new
 * one after. It must not block: return an already completed future for a cached token and an
 * incomplete one while fetching. With azure-identity (not a dependency of this library):
 *
 * <pre>{@code
 * TokenCredential credential = new DefaultAzureCredentialBuilder().build();
 * TokenRequestContext scope = new TokenRequestContext().addScopes(AzureTokenSupplier.COGNITIVE_SERVICES_SCOPE);
 * AzureTokenSupplier entra = () -> credential.getToken(scope).map(AccessToken::getToken).toFuture();
 * }</pre>
 *
 * <p>Whether {@code getToken} caches depends on the credential; wrap one that does not (e.g. a
 * developer credential) in a cache such as azure-core's {@code SimpleTokenCache}.
 *
 * <p>A supplier that throws, returns null, returns a future that fails or completes with a null or
 * blank token, or does not complete within the call's timeout fails that call with an
 * {@link io.llmrouter.api.exception.AuthenticationException} (the failure kept as its cause) before
 * any request is sent. The token is written only to the {@code Authorization} header and masked in
 * every message and log line. Implementations must be thread-safe: calls overlap.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface AzureTokenSupplier {

    /** The OAuth scope of Azure OpenAI (Azure AI services) tokens: {@value}. */
    String COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default";

    /**
     * A valid access token for {@link #COGNITIVE_SERVICES_SCOPE}, without the {@code Bearer } prefix.
     *
     * @return the token's future; never null
     */
    CompletableFuture<String> token();
}
