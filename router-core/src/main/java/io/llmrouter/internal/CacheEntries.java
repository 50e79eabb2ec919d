package io.llmrouter.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmrouter.api.chat.ChatResponse;
import io.llmrouter.api.internal.OpenAiJsonCodec;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The response cache's values: a versioned JSON envelope ({@code "v": 1}) with when the entry was
 * stored and expires (router clock, epoch milliseconds), what the answer cost when it was made
 * (the saving a hit reports), the deployment that made it, and the answer: a chat response in
 * OpenAI's JSON (no cost, routing or request in it, so no secret), or one embedding vector
 * (little-endian float32, base64). A value that does not decode is a miss.
 *
 * <p>Internal: not API, may change in any release.
 */
final class CacheEntries {

    static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CacheEntries() {
    }

    /** A decoded entry: exactly one of {@code response} and {@code vector} is set. */
    record Entry(long storedAt, long expiresAt, BigDecimal savedUsd, String deploymentId, String route,
            ChatResponse response, String model, float[] vector) {

        /** Whether the entry may be served at {@code now} to a request that accepts entries up to {@code maxAgeMillis} old (-1: any). */
        boolean usableAt(long now, long maxAgeMillis) {
            return now < expiresAt && (maxAgeMillis < 0 || now - storedAt <= maxAgeMillis);
        }
    }

    /** A semantic index record: the vector of a stored request's text and the key of its entry. */
    record Candidate(String key, float[] vector) {
    }

    static byte[] chat(ChatResponse response, long storedAt, long expiresAt, BigDecimal savedUsd,
            String deploymentId, String route) {
        ObjectNode o = envelope(storedAt, expiresAt, savedUsd, deploymentId, route);
        o.set("response", OpenAiJsonCodec.writeResponse(response));
        return bytes(o);
    }

    static byte[] embedding(String model, float[] vector, long storedAt, long expiresAt, BigDecimal savedUsd,
            String deploymentId, String route) {
        ObjectNode o = envelope(storedAt, expiresAt, savedUsd, deploymentId, route);
        o.put("model", model);
        o.put("vector", encode(vector));
        return bytes(o);
    }

    static byte[] candidate(String key, float[] vector) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("v", VERSION);
        o.put("key", key);
        o.put("vector", encode(vector));
        return bytes(o);
    }

    /** The entry, or null when {@code value} is not one this version wrote. */
    static Entry read(byte[] value) {
        try {
            JsonNode o = MAPPER.readTree(value);
            if (o == null || o.path("v").asInt() != VERSION) {
                return null;
            }
            BigDecimal saved = o.hasNonNull("saved_usd") ? new BigDecimal(o.get("saved_usd").asText()) : BigDecimal.ZERO;
            JsonNode response = o.get("response");
            return new Entry(o.path("stored_at").asLong(), o.path("expires_at").asLong(), saved,
                    o.path("deployment").asText("cache"), o.path("route").asText("cache/cache"),
                    response == null ? null : OpenAiJsonCodec.readResponse(response),
                    o.path("model").asText(null), o.hasNonNull("vector") ? decode(o.get("vector").asText()) : null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The candidate, or null when {@code value} is not one. */
    static Candidate readCandidate(byte[] value) {
        try {
            JsonNode o = MAPPER.readTree(value);
            if (o == null || o.path("v").asInt() != VERSION || !o.hasNonNull("key") || !o.hasNonNull("vector")) {
                return null;
            }
            return new Candidate(o.get("key").asText(), decode(o.get("vector").asText()));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static ObjectNode envelope(long storedAt, long expiresAt, BigDecimal savedUsd, String deploymentId,
            String route) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("v", VERSION);
        o.put("stored_at", storedAt);
        o.put("expires_at", expiresAt);
        if (savedUsd != null) {
            o.put("saved_usd", savedUsd.toPlainString());
        }
        o.put("deployment", deploymentId);
        o.put("route", route);
        return o;
    }

    private static byte[] bytes(JsonNode o) {
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String encode(float[] vector) {
        ByteBuffer b = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
            b.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    static float[] decode(String base64) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }

    /** Cosine similarity; 0 when the lengths differ or a vector is zero. */
    static double cosine(float[] a, float[] b) {
        if (a.length != b.length || a.length == 0) {
            return 0;
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
