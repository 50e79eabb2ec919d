package io.llmrouter.proxy;

import io.llmrouter.Router;
import io.llmrouter.litellm.LiteLlmConfig;
import io.llmrouter.micrometer.RouterMetrics;
import io.llmrouter.proxy.internal.ProxyConfig;
import io.llmrouter.proxy.store.ProxyStore;
import io.llmrouter.proxy.store.StoreException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the proxy: {@code java -jar router-proxy-<version>-all.jar --config config.yaml [--port 4000]
 * [--host 127.0.0.1]}. The config is LiteLLM's {@code config.yaml} (its {@code model_list},
 * {@code router_settings}, ...) plus {@code general_settings.master_key} (required, {@code sk-...}),
 * {@code database_url} (default: the embedded database), {@code max_request_size_mb} and
 * {@code request_timeout}. A configuration error exits with status 2 and a message; a shutdown
 * signal stops gracefully (see {@link ProxyServer#close()}).
 *
 * @since 0.1.0
 */
public final class ProxyMain {

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
        ProxyServer server = start(args, System.getenv(), System.err);
        if (server == null) {
            System.exit(CONFIG_ERROR);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "llmrouter-proxy-shutdown"));
        server.awaitStop();
    }

    /**
     * Starts the proxy from command-line arguments, or prints why it cannot.
     *
     * @param args the arguments
     * @param env where {@code os.environ/NAME} values are read
     * @param err where configuration errors are printed
     * @return the running server, or empty-handed (null is never returned to users: this is the
     *     main's helper) when the configuration is wrong
     */
    static ProxyServer start(String[] args, Map<String, String> env, PrintStream err) {
        Path config = null;
        String host = ProxyServer.DEFAULT_HOST;
        int port = ProxyServer.DEFAULT_PORT;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--config" -> config = Path.of(value(args, ++i, a));
                    case "--host" -> host = value(args, ++i, a);
                    case "--port" -> port = Integer.parseInt(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown argument '" + a
                            + "'; usage: --config config.yaml [--port 4000] [--host 127.0.0.1]");
                }
            }
            if (config == null) {
                throw new IllegalArgumentException("--config config.yaml is required");
            }
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException("config file " + config + " not found");
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
            return ProxyServer.builder().router(router).store(store).masterKey(proxy.masterKey())
                    .host(host).port(port).settings(proxy.settings()).metrics(registry).build().start();
        } catch (IllegalArgumentException | StoreException | IllegalStateException e) {
            err.println("llmrouter proxy: " + e.getMessage());
            return null;
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }
}
