package io.llmrouter.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.llmrouter.spi.ResponseCache;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's response cache on Redis, shared by a fleet: built on a {@link RedisStateStore}'s
 * Lettuce client (same host, credentials, TLS and key prefix), on a connection of its own. Keys are
 * {@code <prefix>:cache:<router key>}; an entry is a string with a Redis expiry equal to its ttl
 * ({@code SET ... PX}); values above {@link Builder#compressAboveBytes(int)} are deflated. The
 * semantic cache's candidates of a scope are one Redis list ({@code LPUSH}, {@code LTRIM} to the
 * policy's bound, {@code PEXPIRE}) that a lookup reads whole ({@code LRANGE}) and scores in process:
 * Debian's Redis has no vector search, so a lookup costs one round trip plus about
 * {@code bound x (dimensions x 4 x 4/3)} bytes read (1,000 vectors of 1,536 dimensions: about 8 MB),
 * which is why the bound stays small.
 *
 * <pre>{@code
 * RedisStateStore store = RedisStateStore.builder().host("redis").keyPrefix("checkout").build();
 * Router router = Router.builder().stateStore(store)
 *     .cache(CachePolicy.builder().backend(RedisResponseCache.on(store).build()).build())
 *     .deployment(gpt4o).build();
 * }</pre>
 *
 * <p>Never blocks the caller: it connects in the background when built, and until connected (or
 * while Redis is down) every read is a miss and every write is dropped. Close it before the store
 * (closing the store also ends its connection). Thread-safe.
 *
 * @since 0.1.0
 */
public final class RedisResponseCache implements ResponseCache, AutoCloseable {

    /** Values larger than this many bytes are deflated: {@value}. */
    public static final int DEFAULT_COMPRESS_ABOVE_BYTES = 1024;

    /** The largest value read back (after inflating): {@value} bytes; a larger one is a miss. */
    public static final int MAX_VALUE_BYTES = 64 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(RedisResponseCache.class);
    private static final byte RAW = 0;
    private static final byte DEFLATED = 1;

    private final RedisStateStore store;
    private final String prefix;
    private final int compressAbove;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile StatefulRedisConnection<byte[], byte[]> connection;
    private volatile boolean closed;

    private RedisResponseCache(Builder b) {
        this.store = b.store;
        this.prefix = store.keyPrefix() + ":cache:";
        this.compressAbove = b.compressAbove;
        connect();
    }

    /**
     * A builder of a cache on {@code store}'s Redis.
     *
     * @param store the state store whose client, credentials and key prefix it uses
     * @return the builder
     */
    public static Builder on(RedisStateStore store) {
        return new Builder(Objects.requireNonNull(store, "store"));
    }

    /** Connects in the background (once at a time); until then the cache misses. */
    private void connect() {
        if (closed || connection != null || !connecting.compareAndSet(false, true)) {
            return;
        }
        store.client().connectAsync(ByteArrayCodec.INSTANCE, store.uri()).whenComplete((c, e) -> {
            connecting.set(false);
            if (e != null) {
                log.debug("Redis response cache: connect failed; reads miss until it succeeds: {}", e.toString());
            } else if (closed) {
                c.closeAsync();
            } else {
                connection = c;
            }
        });
    }

    private StatefulRedisConnection<byte[], byte[]> connection() {
        StatefulRedisConnection<byte[], byte[]> c = connection;
        if (c == null) {
            connect();
        }
        return c;
    }

    private byte[] key(String key) {
        return (prefix + key).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public CompletableFuture<Optional<byte[]>> get(String key) {
        StatefulRedisConnection<byte[], byte[]> c = connection();
        if (c == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return quiet(c.async().get(key(key))).thenApply(v -> v == null ? Optional.<byte[]>empty()
                : Optional.ofNullable(unpack(v))).exceptionally(e -> Optional.empty());
    }

    @Override
    public CompletableFuture<Void> put(String key, byte[] value, Duration ttl) {
        StatefulRedisConnection<byte[], byte[]> c = connection();
        if (c == null) {
            return CompletableFuture.completedFuture(null);
        }
        return quiet(c.async().set(key(key), pack(value), SetArgs.Builder.px(Math.max(1, ttl.toMillis()))))
                .handle((ok, e) -> null);
    }

    @Override
    public CompletableFuture<List<byte[]>> candidates(String scope) {
        StatefulRedisConnection<byte[], byte[]> c = connection();
        if (c == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        return quiet(c.async().lrange(key(scope), 0, -1)).thenApply(list -> list.stream()
                .map(RedisResponseCache::unpack).filter(Objects::nonNull).toList())
                .exceptionally(e -> List.of());
    }

    @Override
    public CompletableFuture<Void> addCandidate(String scope, byte[] candidate, int maxCandidates, Duration ttl) {
        StatefulRedisConnection<byte[], byte[]> c = connection();
        if (c == null) {
            return CompletableFuture.completedFuture(null);
        }
        byte[] k = key(scope);
        var async = c.async();
        // Pipelined on one connection: in order, one round trip.
        RedisFuture<Long> pushed = async.lpush(k, pack(candidate));
        RedisFuture<String> trimmed = async.ltrim(k, 0, maxCandidates - 1);
        RedisFuture<Boolean> expiring = async.pexpire(k, Math.max(1, ttl.toMillis()));
        return CompletableFuture.allOf(quiet(pushed), quiet(trimmed), quiet(expiring)).handle((v, e) -> null);
    }

    private static <T> CompletableFuture<T> quiet(RedisFuture<T> f) {
        return f.toCompletableFuture().whenComplete((v, e) -> {
            if (e != null) {
                log.debug("Redis response cache command failed; treated as a miss: {}", e.toString());
            }
        });
    }

    /** The value with its format byte: deflated above the threshold when that makes it smaller. */
    byte[] pack(byte[] value) {
        if (value.length > compressAbove) {
            Deflater d = new Deflater(Deflater.BEST_SPEED);
            try {
                d.setInput(value);
                d.finish();
                ByteArrayOutputStream out = new ByteArrayOutputStream(value.length / 2 + 16);
                out.write(DEFLATED);
                byte[] buf = new byte[8192];
                while (!d.finished()) {
                    out.write(buf, 0, d.deflate(buf));
                }
                if (out.size() < value.length + 1) {
                    return out.toByteArray();
                }
            } finally {
                d.end();
            }
        }
        byte[] raw = new byte[value.length + 1];
        raw[0] = RAW;
        System.arraycopy(value, 0, raw, 1, value.length);
        return raw;
    }

    /** The value without its format byte, inflated; null when it is not one this class wrote. */
    static byte[] unpack(byte[] stored) {
        if (stored == null || stored.length == 0) {
            return null;
        }
        if (stored[0] == RAW) {
            return Arrays.copyOfRange(stored, 1, stored.length);
        }
        if (stored[0] != DEFLATED) {
            return null;
        }
        Inflater inf = new Inflater();
        try {
            inf.setInput(stored, 1, stored.length - 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream(stored.length * 3);
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    return null;
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_VALUE_BYTES) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inf.end();
        }
    }

    /** Whether the cache's connection is up (tests wait for it). */
    boolean isConnected() {
        StatefulRedisConnection<byte[], byte[]> c = connection;
        return c != null && c.isOpen();
    }

    @Override
    public String description() {
        return "Redis (" + store.uri().getHost() + ":" + store.uri().getPort() + ", keys " + prefix
                + "*, deflate above " + compressAbove + " bytes)";
    }

    /** Closes the cache's connection (not the store). Idempotent. */
    @Override
    public void close() {
        closed = true;
        StatefulRedisConnection<byte[], byte[]> c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public String toString() {
        return "RedisResponseCache[" + description() + "]";
    }

    /** Builds a {@link RedisResponseCache}; not thread-safe. */
    public static final class Builder {
        private final RedisStateStore store;
        private int compressAbove = DEFAULT_COMPRESS_ABOVE_BYTES;

        private Builder(RedisStateStore store) {
            this.store = store;
        }

        /**
         * Deflates values larger than this; default {@value #DEFAULT_COMPRESS_ABOVE_BYTES}.
         *
         * @param bytes at least 0
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder compressAboveBytes(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("compressAboveBytes must not be negative, was " + bytes);
            }
            this.compressAbove = bytes;
            return this;
        }

        /**
         * The cache; it starts connecting at once, in the background.
         *
         * @return the cache
         */
        public RedisResponseCache build() {
            return new RedisResponseCache(this);
        }
    }
}
