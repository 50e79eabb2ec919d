/**
 * The OpenAI adapter (chat completions, streamed or not, and embeddings) and every OpenAI-compatible
 * vendor it serves by route prefix: {@code openai}, {@code groq}, {@code mistral}, {@code deepseek},
 * {@code together_ai}, {@code fireworks_ai}, {@code openrouter}, {@code xai}, {@code perplexity},
 * {@code cerebras}, {@code ollama}, {@code vllm}, {@code hosted_vllm}, {@code lm_studio},
 * {@code huggingface}, {@code databricks}, {@code watsonx}, {@code nvidia_nim}, {@code sambanova},
 * {@code novita}, {@code nebius}, {@code deepinfra} and {@code openai_compatible}. A vendor is a declaration ({@link io.llmrouter.providers.openai.OpenAiCompatibleVendor}),
 * registered through {@link java.util.ServiceLoader}, so a deployment only names its route; without
 * a key, calls to a vendor's own base read its environment variable (e.g. {@code GROQ_API_KEY}).
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .deployment(Deployment.builder("llama", "groq/llama-3.3-70b-versatile").apiKey(Secret.fromEnv("GROQ_API_KEY")).build())
 *     .deployment(Deployment.builder("local", "vllm/meta-llama/Llama-3.1-8B-Instruct").apiBase("http://gpu:8000/v1").build())
 *     .build();
 * ChatResponse answer = router.completion(ChatRequest.ofUser("llama", "Hello"));
 * }</pre>
 */
package io.llmrouter.providers.openai;
