package io.llmrouter.providers.vertex.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.exception.ContentPolicyViolationException;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.image.GeneratedImage;
import io.llmrouter.api.image.ImageFormat;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.image.ImageResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Imagen on Vertex AI ({@code publishers/google/models/imagen-*:predict}): the body, the mapping of
 * OpenAI's {@code size} to Imagen's {@code aspectRatio}, and the answer. The writer throws an
 * {@link UnsupportedImageRequestException} for a request Imagen cannot serve; the reader an
 * {@link IllegalArgumentException} naming the JSON path of a value that does not fit.
 */
public final class VertexImagen {

    /** The model id prefix of Imagen models: {@value}. */
    public static final String MODEL_PREFIX = "imagen";

    /** Imagen's aspect ratios. */
    public static final List<String> ASPECT_RATIOS = List.of("1:1", "9:16", "16:9", "3:4", "4:3");

    /** Imagen's own output sizes, which are close to (not exactly) their aspect ratio. */
    private static final Map<String, String> NATIVE_SIZES = Map.of("1024x1024", "1:1", "768x1408", "9:16",
            "1408x768", "16:9", "896x1280", "3:4", "1280x896", "4:3");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private VertexImagen() {
    }

    /** A request Imagen cannot serve; its message says why. */
    public static final class UnsupportedImageRequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedImageRequestException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Whether a model id is an Imagen model.
     *
     * @param modelId the model id, e.g. {@code imagen-3.0-generate-002}
     * @return true for {@code imagen*}
     */
    public static boolean isImagen(String modelId) {
        return modelId.startsWith(MODEL_PREFIX);
    }

    /**
     * The aspect ratio of an OpenAI size: the size reduced to lowest terms, or one of Imagen's own
     * output sizes ({@code 1408x768} is 16:9).
     *
     * @param size {@code WIDTHxHEIGHT}
     * @return the aspect ratio, empty when it is not one of {@link #ASPECT_RATIOS}
     */
    public static Optional<String> aspectRatio(String size) {
        String known = NATIVE_SIZES.get(size);
        if (known != null) {
            return Optional.of(known);
        }
        String[] wh = size.split("x");
        long w = Long.parseLong(wh[0]);
        long h = Long.parseLong(wh[1]);
        long gcd = gcd(w, h);
        String ratio = w / gcd + ":" + h / gcd;
        return ASPECT_RATIOS.contains(ratio) ? Optional.of(ratio) : Optional.empty();
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * The body: {@code {"instances": [{"prompt"}], "parameters": {"sampleCount": n (default 1),
     * "aspectRatio"?}}}.
     *
     * @param r the request
     * @return the body
     * @throws UnsupportedImageRequestException for a size that is not one of Imagen's aspect
     *     ratios, or a request for URLs (Imagen returns the bytes)
     */
    public static ObjectNode body(ImageRequest r) {
        if (r.responseFormat().orElse(ImageFormat.B64_JSON) == ImageFormat.URL) {
            throw new UnsupportedImageRequestException("Imagen returns images as base64 only: ask for response_format "
                    + ImageFormat.B64_JSON.wireValue() + " (or leave it unset), not " + ImageFormat.URL.wireValue());
        }
        ObjectNode o = NODES.objectNode();
        o.putArray("instances").addObject().put("prompt", r.prompt());
        ObjectNode parameters = o.putObject("parameters");
        parameters.put("sampleCount", r.n().orElse(1));
        if (r.size().isPresent()) {
            String size = r.size().get();
            String ratio = aspectRatio(size).orElseThrow(() -> new UnsupportedImageRequestException("size " + size
                    + " is not one of Imagen's aspect ratios " + ASPECT_RATIOS + " (e.g. 1024x1024, 1408x768,"
                    + " 768x1408, 1280x896, 896x1280)"));
            parameters.put("aspectRatio", ratio);
        }
        return o;
    }

    /**
     * Reads the answer {@code {"predictions": [{"bytesBase64Encoded", "mimeType", "prompt"?}]}}:
     * one base64 image per prediction with bytes (the enhanced {@code prompt}, when sent, as the
     * revised prompt); predictions without bytes (filtered by Responsible AI, with a
     * {@code raiFilteredReason}) are left out. An answer with no image at all (every image
     * filtered: {@code {}}, or only filtered predictions) is a content-policy violation.
     *
     * @param json the body
     * @param modelId the model id
     * @param created the time of the answer, in epoch seconds
     * @param provider the provider name, for messages
     * @param context the call's context, for a filtered answer's exception
     * @return the response, with at least one image
     * @throws IllegalArgumentException naming the path of a value that does not fit
     * @throws ContentPolicyViolationException when every image was filtered
     */
    public static ImageResponse read(JsonNode json, String modelId, long created, String provider,
            ErrorContext context) {
        if (!(json instanceof ObjectNode root)) {
            throw new IllegalArgumentException("$: expected an object");
        }
        ImageResponse.Builder b = ImageResponse.builder().model(modelId).created(created);
        JsonNode predictions = root.get("predictions");
        String filtered = null;
        int images = 0;
        if (predictions != null && !predictions.isNull()) {
            if (!(predictions instanceof ArrayNode array)) {
                throw new IllegalArgumentException("$.predictions: expected an array");
            }
            for (int i = 0; i < array.size(); i++) {
                JsonNode p = array.get(i);
                if (!p.isObject()) {
                    throw new IllegalArgumentException("$.predictions[" + i + "]: expected an object");
                }
                JsonNode bytes = p.get("bytesBase64Encoded");
                if (bytes == null || bytes.isNull()) {
                    JsonNode reason = p.get("raiFilteredReason");
                    if (reason != null && reason.isTextual()) {
                        filtered = reason.textValue();
                    }
                    continue;
                }
                if (!bytes.isTextual()) {
                    throw new IllegalArgumentException("$.predictions[" + i + "].bytesBase64Encoded: expected a string");
                }
                JsonNode prompt = p.get("prompt");
                b.addImage(GeneratedImage.of(null, bytes.textValue(),
                        prompt != null && prompt.isTextual() ? prompt.textValue() : null));
                images++;
            }
        }
        if (images == 0) {
            throw new ContentPolicyViolationException(provider + ": no image: every image was filtered by Responsible"
                    + " AI" + (filtered == null ? "" : " (" + filtered + ")"), context);
        }
        return b.build();
    }
}
