package io.llmrouter.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server for tests, on 127.0.0.1: the one CI started (its port in the system property or
 * environment variable {@value #PORT_VARIABLE}) for tests that only need a Redis, or a private
 * process on a free port ({@code --save "" --appendonly no}) for tests that stop, freeze or restart
 * it. Tests skip, with a message saying so, only when no {@code redis-server} binary exists.
 */
final class RedisServer implements AutoCloseable {

    /** The variable that carries the port of a Redis started by CI. */
    static final String PORT_VARIABLE = "LLMROUTER_REDIS_PORT";

    private final int port;
    private final boolean owned;
    private Process process;
    /** Extra redis-server arguments (TLS). */
    private List<String> extra = List.of();
    /** The server's working directory: a replica writes the RDB it receives there, never into the source tree. */
    private Path dir;

    private RedisServer(int port, boolean owned) {
        this.port = port;
        this.owned = owned;
    }

    /** The CI's Redis when it gave one, else a private one; close it after the tests. */
    static RedisServer shared() {
        Optional<Integer> given = givenPort();
        if (given.isPresent()) {
            return new RedisServer(given.get(), false);
        }
        return started();
    }

    /** A private redis-server process on a free port, which the test may stop and restart. */
    static RedisServer started() {
        assumeTrue(binary().isPresent(), "redis-server not found on PATH: the Redis tests are skipped"
                + " (install it: apt-get install redis-server; CI always has it)");
        RedisServer s = new RedisServer(freePort(), true);
        s.start();
        return s;
    }

    /** A free port for a private redis-server that is not started yet ({@link #start()} starts it). */
    static RedisServer notStarted() {
        assumeTrue(binary().isPresent(), "redis-server not found on PATH: the Redis tests are skipped"
                + " (install it: apt-get install redis-server; CI always has it)");
        return new RedisServer(freePort(), true);
    }

    /**
     * A private redis-server that accepts only TLS on its port, with a certificate for 127.0.0.1
     * signed by a CA made for the test ({@link #caCertificate()}); needs {@code openssl}.
     */
    static RedisServer startedWithTls() throws IOException, InterruptedException {
        RedisServer s = notStarted();
        s.dir = Files.createTempDirectory("llmrouter-redis-tls-");
        Path d = s.dir;
        Files.writeString(d.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        openssl(d, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=llmrouter-test-ca",
                "-keyout", "ca.key", "-out", "ca.pem");
        openssl(d, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "redis.key",
                "-out", "redis.csr");
        openssl(d, "x509", "-req", "-in", "redis.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.ext", "-out", "redis.pem");
        s.extra = List.of("--port", "0", "--tls-port", Integer.toString(s.port), "--tls-cert-file",
                d.resolve("redis.pem").toString(), "--tls-key-file", d.resolve("redis.key").toString(),
                "--tls-ca-cert-file", d.resolve("ca.pem").toString(), "--tls-auth-clients", "no");
        s.start();
        return s;
    }

    /** The test CA's certificate (PEM), for a server from {@link #startedWithTls()}. */
    Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            assumeTrue(false, "openssl not found: the TLS test is skipped");
            throw e;
        }
        assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl could not make the test certificates");
    }

    private static Optional<Integer> givenPort() {
        String v = System.getProperty(PORT_VARIABLE, System.getenv(PORT_VARIABLE));
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(Integer.parseInt(v.trim()));
    }

    static Optional<Path> binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/sbin").split(File.pathSeparator)) {
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        Path fallback = Path.of("/usr/bin/redis-server");
        return Files.isExecutable(fallback) ? Optional.of(fallback) : Optional.empty();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return port;
    }

    /** A key prefix no other test uses. */
    static String uniquePrefix() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Starts the process (again, on the same port) and waits until it accepts connections. */
    void start() {
        if (!owned) {
            throw new IllegalStateException("the CI's Redis is not this test's to start");
        }
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("llmrouter-redis-");
            }
            List<String> command = new java.util.ArrayList<>(List.of(binary().orElseThrow().toString(), "--port",
                    Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                    "--dir", dir.toString(), "--loglevel", "warning"));
            command.addAll(extra);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited with " + process.exitValue());
                }
                Thread.onSpinWait();
            }
        }
        throw new IllegalStateException("redis-server did not accept connections on port " + port);
    }

    /** Kills the process (as a crash would) and waits for it to end. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Freezes the process (SIGSTOP): connections stay open and commands time out, as with a very slow Redis. */
    void freeze() {
        signal("-STOP");
    }

    /** Resumes a frozen process (SIGCONT). */
    void thaw() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor(5,
                    TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A store on this server, with its own key prefix unless given. */
    RedisStateStore.Builder store(String prefix) {
        return RedisStateStore.builder().port(port).keyPrefix(prefix);
    }

    @Override
    public void close() {
        if (owned && process != null) {
            thaw();
            kill();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // a temporary directory: left for the OS to clean
            }
        }
    }
}
