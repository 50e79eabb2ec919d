/**
 * The Azure OpenAI adapter (chat completions, streamed or not, and embeddings), route prefix
 * {@code azure}: the route names the Azure deployment, the URL is the classic
 * {@code /openai/deployments/{deployment}/...?api-version=} form or the v1 form
 * ({@link io.llmrouter.providers.azure.AzureOpenAiProvider#API_STYLE}), and the credential is an
 * {@code api-key} or a Microsoft Entra ID token from an
 * {@link io.llmrouter.providers.azure.AzureTokenSupplier}. Set {@code baseModel} so answers are
 * priced as the deployed model. The same package holds the Azure AI Foundry adapter, route prefix
 * {@code azure_ai} ({@link io.llmrouter.providers.azure.AzureAiProvider}): the model inference
 * endpoint ({@code https://<resource>.services.ai.azure.com/models}) or a serverless endpoint, with a
 * key or an Entra ID token.
 *
 * <pre>{@code
 * Deployment azure = Deployment.builder("gpt-4o", "azure/my-prod-deployment")
 *     .apiBase("https://my-resource.openai.azure.com")
 *     .apiKey(Secret.fromEnv("AZURE_API_KEY"))
 *     .option(AzureOpenAiProvider.API_VERSION, "2024-10-21")
 *     .baseModel("gpt-4o")
 *     .build();
 * }</pre>
 */
package io.llmrouter.providers.azure;
