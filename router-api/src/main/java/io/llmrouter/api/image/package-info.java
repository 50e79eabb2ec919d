/**
 * Image generation in OpenAI's shape ({@code POST /v1/images/generations}):
 * {@link io.llmrouter.api.image.ImageRequest} and {@link io.llmrouter.api.image.ImageResponse},
 * routed like chat requests and priced per image by size and quality.
 *
 * <pre>{@code
 * ImageResponse response = router.imageGeneration(ImageRequest.builder("images", "a white siamese cat")
 *         .size("1024x1024").quality("hd").build());
 * String url = response.data().get(0).url().orElseThrow();
 * }</pre>
 */
package io.llmrouter.api.image;
