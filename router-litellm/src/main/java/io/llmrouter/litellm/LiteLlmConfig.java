package io.llmrouter.litellm;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.litellm.internal.ConfigReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A LiteLLM {@code config.yaml} loaded into a {@link Router.Builder}: {@code model_list},
 * {@code router_settings}, the router-relevant {@code litellm_settings} (retries, timeouts,
 * cooldowns, fallbacks, {@code model_group_alias}, {@code model_group_retry_policy}, Redis and
 * caching), with LiteLLM's meaning (see {@code src-docs/migrating-from-litellm.md}); e.g. rpm/tpm
 * only weigh selection ({@link io.llmrouter.RateLimitMode#WEIGHTS_ONLY}) unless the config asks
 * for usage-based routing or pre-call checks.
 *
 * <pre>{@code
 * LiteLlmConfig config = LiteLlmConfig.load(Path.of("config.yaml"), System.getenv());
 * config.notes().forEach(n -> log.info("not applied: {}", n));
 * Router router = config.routerBuilder().listener(myListener).build();
 * }</pre>
 *
 * <p>Values written {@code os.environ/VAR} are read from the given environment; they are never
 * logged nor put in an exception message. Keys of proxy-only sections and settings the library
 * does not have are accepted and listed in {@link #notes()}; an unknown key fails the load with its
 * file, line and key, unless the loader is {@linkplain Loader#lenient(boolean) lenient}.
 *
 * <p>Immutable except for the builder it hands out, which is a fresh builder on every call.
 *
 * @since 0.1.0
 */
public final class LiteLlmConfig {

    private final ConfigReader.Result result;

    private LiteLlmConfig(ConfigReader.Result result) {
        this.result = result;
    }

    /**
     * Loads a file, strictly (an unknown key fails the load).
     *
     * @param file the {@code config.yaml}
     * @param environment where {@code os.environ/VAR} values are read, e.g. {@code System.getenv()}
     * @throws LiteLlmConfigException if the config is invalid; {@link java.io.UncheckedIOException} if unreadable
     */
    public static LiteLlmConfig load(Path file, Map<String, String> environment) {
        return loader().environment(environment).load(file);
    }

    /**
     * Loads from a reader, strictly; messages name the source {@code config.yaml}.
     *
     * @param reader the YAML text; not closed
     * @param environment where {@code os.environ/VAR} values are read
     * @throws LiteLlmConfigException if the config is invalid
     */
    public static LiteLlmConfig load(Reader reader, Map<String, String> environment) {
        return loader().environment(environment).load(reader, "config.yaml");
    }

    /** A loader with options (lenient, environment). */
    public static Loader loader() {
        return new Loader();
    }

    /**
     * A new router builder holding every loaded deployment and policy; add to it before
     * {@code build()}. Each call returns a new builder.
     *
     * <p>When the config names Redis ({@code router_settings.redis_*}, or a {@code redis} cache)
     * and router-redis is present, each call creates the Redis clients for its builder (a
     * {@code RedisStateStore}, and a {@code RedisResponseCache} on it), which connect now, or when
     * Redis answers. The router built from that builder owns them and closes them in
     * {@link Router#close()} (and when {@code build()} fails); a builder that is never built leaves
     * them open, so build every builder asked for. The Redis password is never logged nor shown.
     */
    public Router.Builder routerBuilder() {
        return result.newBuilder();
    }

    /**
     * Reloads a running router from a file, strictly (an unknown key fails): the file's
     * {@code model_list}, fallbacks and {@code model_group_alias} replace the router's in one atomic
     * live change ({@link Router#apply(io.llmrouter.RouterChange)}), so deployments that did not
     * change keep their health, usage and spend. Settings that cannot change live (routing strategy,
     * retries, cooldowns, timeouts, tag filtering) are compared with the router's; each one that
     * differs is reported as a note saying a new router is needed, never silently ignored. A file
     * that does not load, or whose configuration is invalid, leaves the router untouched. The file
     * is the whole truth for what it covers: deployments, fallbacks and aliases added in Java are
     * replaced by the file's.
     *
     * @param router the running router
     * @param file the {@code config.yaml}
     * @param environment where {@code os.environ/VAR} values are read
     * @return what changed, and the notes
     * @throws LiteLlmConfigException if the config is invalid (the router is untouched)
     * @throws IllegalArgumentException if the change is invalid for the router, e.g. a model needs a
     *     provider the router does not have (the router is untouched)
     * @throws IllegalStateException if the router is closed
     * @throws java.io.UncheckedIOException if the file is unreadable
     */
    public static ReloadResult reload(Router router, Path file, Map<String, String> environment) {
        Objects.requireNonNull(router, "router");
        return load(file, environment).applyTo(router);
    }

    /**
     * Applies this config to a running router as {@link #reload(Router, Path, Map)} does (for
     * configs loaded with {@link Loader} options).
     *
     * @param router the running router
     * @return what changed, and the notes
     * @throws IllegalArgumentException if the change is invalid for the router (the router is untouched)
     * @throws IllegalStateException if the router is closed
     */
    public ReloadResult applyTo(Router router) {
        return LiveReload.apply(result, router);
    }

    /** The deployments loaded, in file order. */
    public List<Deployment> deployments() {
        return result.deployments();
    }

    /** The keys accepted but not applied, in file order; empty when everything applied. */
    public List<ConfigNote> notes() {
        return result.notes();
    }

    @Override
    public String toString() {
        return "LiteLlmConfig[deployments=" + deployments().size() + ", notes=" + notes().size() + "]";
    }

    /**
     * Options for loading. Not thread-safe; the configs it loads are immutable.
     *
     * @since 0.1.0
     */
    public static final class Loader {

        /** Whether unknown keys are only noted; default {@value}. */
        public static final boolean DEFAULT_LENIENT = false;
        /** Whether a deployment that cannot be resolved is skipped (and noted) rather than failing; default {@value}. */
        public static final boolean DEFAULT_SKIP_UNRESOLVED = false;

        private Map<String, String> environment = Map.of();
        private boolean lenient = DEFAULT_LENIENT;
        private boolean skipUnresolved = DEFAULT_SKIP_UNRESOLVED;

        private Loader() {
        }

        /** Where {@code os.environ/VAR} values are read; default empty. */
        public Loader environment(Map<String, String> environment) {
            this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
            return this;
        }

        /** When true, an unknown key becomes a {@link ConfigNote} instead of an error; default {@value #DEFAULT_LENIENT}. */
        public Loader lenient(boolean lenient) {
            this.lenient = lenient;
            return this;
        }

        /**
         * When true, a deployment whose provider cannot be inferred is skipped and noted instead of
         * failing the load; default {@value #DEFAULT_SKIP_UNRESOLVED}.
         */
        public Loader skipUnresolved(boolean skipUnresolved) {
            this.skipUnresolved = skipUnresolved;
            return this;
        }

        /**
         * Loads a file.
         *
         * @throws LiteLlmConfigException if the config is invalid; {@link java.io.UncheckedIOException} if unreadable
         */
        public LiteLlmConfig load(Path file) {
            Objects.requireNonNull(file, "file");
            try (Reader reader = Files.newBufferedReader(file)) {
                return load(reader, file.toString());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + file, e);
            }
        }

        /**
         * Loads from a reader (not closed).
         *
         * @param sourceName the name used in messages, e.g. the file name
         * @throws LiteLlmConfigException if the config is invalid
         */
        public LiteLlmConfig load(Reader reader, String sourceName) {
            Objects.requireNonNull(reader, "reader");
            Objects.requireNonNull(sourceName, "sourceName");
            return new LiteLlmConfig(new ConfigReader(sourceName, environment, lenient, skipUnresolved).read(reader));
        }
    }
}
