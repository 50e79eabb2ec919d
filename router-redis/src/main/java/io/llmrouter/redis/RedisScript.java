package io.llmrouter.redis;

import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the Redis store, each loaded once ({@code SCRIPT LOAD}) and run by its SHA-1
 * ({@code EVALSHA}); a server that lost its script cache (restart, failover) answers
 * {@code NOSCRIPT}, and the script is loaded again.
 */
enum RedisScript {
    USAGE("usage.lua", ScriptOutputType.MULTI),
    HEALTH("health.lua", ScriptOutputType.INTEGER),
    SPEND("spend.lua", ScriptOutputType.INTEGER),
    RESERVE("reserve.lua", ScriptOutputType.MULTI),
    SETTLE("settle.lua", ScriptOutputType.MULTI);

    final String source;
    final String sha;
    final ScriptOutputType output;

    RedisScript(String resource, ScriptOutputType output) {
        this.output = output;
        try (InputStream in = RedisScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            this.source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
