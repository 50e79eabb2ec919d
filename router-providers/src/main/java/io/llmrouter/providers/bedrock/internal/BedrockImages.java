package io.llmrouter.providers.bedrock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.ProviderServerException;
import io.llmrouter.api.image.GeneratedImage;
import io.llmrouter.api.image.ImageFormat;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import java.util.List;
import java.util.Optional;

/**
 * The InvokeModel bodies ({@code POST /model/{modelId}/invoke}) of the image models this adapter
 * supports, and their answers.
 *
 * <ul>
 * <li>Amazon Titan Image Generator and Nova Canvas ({@code amazon.titan-image-generator-*},
 *     {@code amazon.nova-canvas-*}): {@code {"taskType": "TEXT_IMAGE", "textToImageParams": {"text"},
 *     "imageGenerationConfig": {"numberOfImages", "width"?, "height"?, "quality"?}}}; answer
 *     {@code {"images": [base64...], "error"?}}.</li>
 * <li>Stability AI ({@code stability.sd3-*}, {@code stability.stable-image-*}): one image per call,
 *     {@code {"prompt", "mode": "text-to-image", "aspect_ratio"?}}; answer
 *     {@code {"images": [base64], "finish_reasons": [null | "Filter reason: ..."], "seeds"}}.</li>
 * </ul>
 * The writer throws an {@link UnsupportedImageRequestException} for a request the model cannot
 * serve; the reader an {@link IllegalArgumentException} naming the JSON path of a value that does
 * not fit, and a {@link ContentPolicyViolationException} for a filtered answer.
 */
public final class BedrockImages {

    /** Stability's aspect ratios on Bedrock. */
    public static final List<String> STABILITY_ASPECT_RATIOS = List.of("16:9", "1:1", "21:9", "2:3", "3:2", "4:5",
            "5:4", "9:16", "9:21");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private BedrockImages() {
    }

    /** An image model family with its own body shape. */
    public enum Family {
        /** Amazon Titan Image Generator and Nova Canvas: {@code TEXT_IMAGE} task. */
        AMAZON,
        /** Stability AI SD3 and Stable Image: one image per call, aspect ratio. */
        STABILITY
    }

    /** A request the model cannot serve; its message says why. */
    public static final class UnsupportedImageRequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedImageRequestException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The family of a model id (an inference profile prefix such as {@code us.} is allowed).
     *
     * @param modelId the model id, e.g. {@code amazon.nova-canvas-v1:0}
     * @return the family, empty when this adapter cannot generate images with it
     */
    public static Optional<Family> family(String modelId) {
        if (modelId.contains("amazon.titan-image-generator") || modelId.contains("amazon.nova-canvas")) {
            return Optional.of(Family.AMAZON);
        }
        if (modelId.contains("stability.sd3") || modelId.contains("stability.stable-image")) {
            return Optional.of(Family.STABILITY);
        }
        return Optional.empty();
    }

    /**
     * The body for the family.
     *
     * @param family the model family
     * @param r the request
     * @return the body
     * @throws UnsupportedImageRequestException for a request for URLs (Bedrock returns bytes), a
     *     quality Titan/Nova do not have, a Stability request for more than one image or with a
     *     size that is not one of its aspect ratios
     */
    public static ObjectNode body(Family family, ImageRequest r) {
        if (r.responseFormat().orElse(ImageFormat.B64_JSON) == ImageFormat.URL) {
            throw new UnsupportedImageRequestException("Bedrock returns images as base64 only: ask for"
                    + " response_format b64_json (or leave it unset), not url");
        }
        ObjectNode o = NODES.objectNode();
        if (family == Family.AMAZON) {
            o.put("taskType", "TEXT_IMAGE");
            o.putObject("textToImageParams").put("text", r.prompt());
            ObjectNode config = o.putObject("imageGenerationConfig");
            config.put("numberOfImages", r.n().orElse(1));
            if (r.size().isPresent()) {
                String[] wh = r.size().get().split("x");
                config.put("width", Integer.parseInt(wh[0]));
                config.put("height", Integer.parseInt(wh[1]));
            }
            if (r.quality().isPresent()) {
                config.put("quality", amazonQuality(r.quality().get()));
            }
            return o;
        }
        if (r.n().orElse(1) != 1) {
            throw new UnsupportedImageRequestException("Stability models on Bedrock generate one image per call:"
                    + " n must be 1, was " + r.n().getAsInt());
        }
        o.put("prompt", r.prompt());
        o.put("mode", "text-to-image");
        if (r.size().isPresent()) {
            o.put("aspect_ratio", stabilityAspectRatio(r.size().get()));
        }
        return o;
    }

    /** OpenAI's {@code hd} (and Titan's own {@code premium}) is {@code premium}; {@code standard} stays. */
    private static String amazonQuality(String quality) {
        return switch (quality) {
            case "standard" -> "standard";
            case "hd", "premium" -> "premium";
            default -> throw new UnsupportedImageRequestException("quality '" + quality + "' is not one of standard,"
                    + " hd (premium)");
        };
    }

    private static String stabilityAspectRatio(String size) {
        String[] wh = size.split("x");
        long w = Long.parseLong(wh[0]);
        long h = Long.parseLong(wh[1]);
        long gcd = gcd(w, h);
        String ratio = w / gcd + ":" + h / gcd;
        if (!STABILITY_ASPECT_RATIOS.contains(ratio)) {
            throw new UnsupportedImageRequestException("size " + size + " is not one of Stability's aspect ratios "
                    + STABILITY_ASPECT_RATIOS);
        }
        return ratio;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * Reads the answer: each of {@code images[]} as a base64 image.
     *
     * @param json the body
     * @param modelId the model id
     * @param created the time of the answer, in epoch seconds
     * @param provider the provider name, for messages
     * @param context the call's context, for a filtered answer's exception
     * @return the response
     * @throws IllegalArgumentException naming the path of a value that does not fit
     * @throws ContentPolicyViolationException when Titan/Nova answer an {@code error} without
     *     images, or Stability a {@code finish_reasons} entry {@code Filter reason: ...}
     * @throws ProviderServerException for Stability's other finish reason, {@code Inference error}
     */
    public static ImageResponse read(JsonNode json, String modelId, long created, String provider,
            ErrorContext context) {
        if (!(json instanceof ObjectNode root)) {
            throw new IllegalArgumentException("$: expected an object");
        }
        JsonNode reasons = root.get("finish_reasons");
        if (reasons instanceof ArrayNode array) {
            for (JsonNode reason : array) {
                if (reason.isTextual() && reason.textValue().startsWith("Filter reason")) {
                    throw new ContentPolicyViolationException(provider + ": the image was filtered: "
                            + reason.textValue(), context);
                }
                if (reason.isTextual()) {
                    // "Inference error": the model failed, worth another try
                    throw new ProviderServerException(provider + ": no image: " + reason.textValue(), context);
                }
            }
        }
        JsonNode images = root.get("images");
        JsonNode error = root.get("error");
        if ((images == null || images.isNull() || images.isEmpty()) && error != null && error.isTextual()) {
            throw new ContentPolicyViolationException(provider + ": no image: " + error.textValue(), context);
        }
        if (!(images instanceof ArrayNode array)) {
            throw new IllegalArgumentException("$.images: expected an array");
        }
        ImageResponse.Builder b = ImageResponse.builder().model(modelId).created(created);
        for (int i = 0; i < array.size(); i++) {
            JsonNode image = array.get(i);
            if (!image.isTextual() || image.textValue().isEmpty()) {
                throw new IllegalArgumentException("$.images[" + i + "]: expected a base64 string");
            }
            b.addImage(GeneratedImage.of(null, image.textValue(), null));
        }
        return b.build();
    }
}
