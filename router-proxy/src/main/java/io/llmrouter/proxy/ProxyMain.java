package io.llmrouter.proxy;

import io.llmrouter.Router;
import io.llmrouter.litellm.LiteLlmConfig;
import io.llmrouter.micrometer.RouterMetrics;
import io.llmrouter.proxy.internal.DemoUpstream;
import io.llmrouter.proxy.internal.ProxyConfig;
import io.llmrouter.proxy.store.ProxyStore;
import io.llmrouter.proxy.store.StoreException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the proxy: {@code java -jar router-proxy-<version>-all.jar --config config.yaml [--port 4000]
 * [--host 127.0.0.1] [--demo]}. The config is LiteLLM's {@code config.yaml} (its {@code model_list},
 * {@code router_settings}, ...) plus {@code general_settings.master_key} (required, {@code sk-...}),
 * {@code database_url} (default: the embedded database), {@code max_request_size_mb} and
 * {@code request_timeout}. A configuration error exits with status 2 and a message; a shutdown
 * signal stops gracefully (see {@link ProxyServer#close()}). {@code --demo} also starts a stand-in
 * OpenAI-compatible upstream on loopback (it echoes the last user message) and sets
 * {@value #DEMO_API_BASE} to its URL, for {@code examples/proxy-config.yaml}.
 *
 * @since 0.1.0
 */
public final class ProxyMain {

    /** The environment variable {@code --demo} sets to its stand-in upstream's base URL: {@value}. */
    public static final String DEMO_API_BASE = "LLMROUTER_DEMO_API_BASE";

    /** The exit status of a configuration error: {@value}. */
    public static final int CONFIG_ERROR = 2;

    private ProxyMain() {
    }

    /**
     * Starts the proxy and blocks until it is stopped.
     *
     * @param args {@code --config path}, optional {@code --port n}, {@code --host h}
     * @throws InterruptedException if interrupted while running
     */
    public static void main(String[] args) throws InterruptedException {
        Running running = start(args, System.getenv(), System.err);
        if (running == null) {
            System.exit(CONFIG_ERROR);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "llmrouter-proxy-shutdown"));
        running.server().awaitStop();
    }

    /**
     * Starts the proxy from command-line arguments, or prints why it cannot.
     *
     * @param args the arguments
     * @param env where {@code os.environ/NAME} values are read
     * @param err where configuration errors are printed
     * @return the running server (and demo upstream), or null when the configuration is wrong
     *     (the main's package-private helper)
     */
    static Running start(String[] args, Map<String, String> env, PrintStream err) {
        Path config = null;
        boolean demo = false;
        DemoUpstream upstream = null;
        String host = ProxyServer.DEFAULT_HOST;
        int port = ProxyServer.DEFAULT_PORT;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--config" -> config = Path.of(value(args, ++i, a));
                    case "--host" -> host = value(args, ++i, a);
                    case "--port" -> port = port(value(args, ++i, a));
                    case "--demo" -> demo = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + a
                            + "'; usage: --config config.yaml [--port 4000] [--host 127.0.0.1] [--demo]");
                }
            }
            if (config == null) {
                throw new IllegalArgumentException("--config config.yaml is required");
            }
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException("config file " + config + " not found");
            }
            if (demo) {
                upstream = DemoUpstream.start();
                Map<String, String> withDemo = new HashMap<>(env);
                withDemo.put(DEMO_API_BASE, upstream.apiBase());
                env = withDemo;
                err.println("llmrouter proxy: --demo upstream (echoes the last user message) at " + upstream.apiBase());
            }
            ProxyConfig proxy = ProxyConfig.read(config, env);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Router router = LiteLlmConfig.load(config, env).routerBuilder()
                    .listener(RouterMetrics.create(registry)).build();
            ProxyStore store;
            try {
                store = ProxyStore.open(proxy.store());
            } catch (RuntimeException e) {
                router.close();
                throw e;
            }
            ProxyServer server = ProxyServer.builder().router(router).store(store).masterKey(proxy.masterKey())
                    .host(host).port(port).settings(proxy.settings()).metrics(registry).build().start();
            return new Running(server, upstream);
        } catch (IllegalArgumentException | StoreException | IllegalStateException e) {
            err.println("llmrouter proxy: " + e.getMessage());
            if (upstream != null) {
                upstream.close();
            }
            return null;
        }
    }

    /** The server and, with {@code --demo}, its stand-in upstream (null otherwise). */
    record Running(ProxyServer server, DemoUpstream upstream) implements AutoCloseable {
        @Override
        public void close() {
            try {
                server.close();
            } finally {
                if (upstream != null) {
                    upstream.close();
                }
            }
        }
    }

    private static int port(String text) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 65_535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("--port must be 0 to 65535, was '" + text + "'");
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
