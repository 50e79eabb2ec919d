package io.llmrouter.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP upstream on loopback that speaks OpenAI's Chat Completions or Anthropic's Messages
 * wire format and fails on cue: the tool for testing retries, fallbacks, timeouts and deadlines
 * through the real provider adapters and the real HTTP client, with no network and no new
 * dependency (it runs on the JDK's {@code com.sun.net.httpserver}).
 *
 * <pre>{@code
 * try (FaultServer primary = FaultServer.openAi().then(Fault.status(503)).times(3).then(Fault.ok("hi")).start()) {
 *     Deployment d = Deployment.builder("gpt-4o", "openai/gpt-4o").apiBase(primary.url())
 *         .apiKey(Secret.of("sk-test")).build();
 *     ...
 *     assertThat(primary.callCount()).isEqualTo(4);
 * }
 * }</pre>
 *
 * <p><b>Endpoints.</b> {@link #openAi()} serves {@code POST /v1/chat/completions};
 * {@link #anthropic()} serves {@code POST /v1/messages}. {@link #url()} is
 * {@code http://127.0.0.1:<port>/v1}, the {@code apiBase} for either adapter. Any other method or
 * path gets a 404 in the same format and uses no script step (it is still counted and recorded).
 *
 * <p><b>The script.</b> Each call to the endpoint takes the script's next {@link Fault}; the
 * last one repeats for every later call; an empty script always answers
 * {@link Fault#ok(String) ok}({@value #DEFAULT_REPLY}). {@link #replaceScript(Fault...)} and
 * {@link #heal()} change it while the server runs. A successful answer echoes the request's
 * {@code model} and reports usage estimated at four characters per token.
 *
 * <p><b>Threads.</b> Each server owns one accepting thread, {@value #WORKER_THREADS} daemon
 * worker threads and one timer thread for delayed faults; handlers never block (a delay is
 * scheduled, a held exchange is parked in a set, an endless or large body is sent by a daemon
 * sender thread of its own), so a few threads serve any number of concurrent calls. {@link #close()} stops them all, closes held exchanges and is idempotent.
 *
 * <p><b>Latency.</b> The JDK server writes an answer's headers and body in two writes, so with
 * Nagle's algorithm on every answer waits about 40 ms for the client's delayed ACK. Run the tests
 * with the system property {@code sun.net.httpserver.nodelay=true} (for example in Surefire's
 * {@code systemPropertyVariables}) to avoid it; the JDK reads it once, when its first server
 * starts. This class never sets a system property itself.
 *
 * <p><b>Records.</b> {@link #callCount()} counts every request; {@link #requests()} keeps the
 * first {@value #MAX_RECORDED} in arrival order.
 *
 * <p>Thread-safe. The {@link Builder} is not.
 *
 * @since 0.1.0
 */
public final class FaultServer implements AutoCloseable {

    /** The text an empty script or {@link #heal()} answers with: {@value}. */
    public static final String DEFAULT_REPLY = "ok";

    /** How many requests {@link #requests()} keeps (later ones are counted, not kept): {@value}. */
    public static final int MAX_RECORDED = 10_000;

    /** Worker threads per server: {@value}. */
    public static final int WORKER_THREADS = 2;

    /**
     * The most bytes an endless body ({@link Fault#endlessBody()}, {@link Fault#endlessStreamLine()})
     * sends before the server stops it by itself: {@value} (1 GiB).
     */
    public static final long ENDLESS_BYTES = 1L << 30;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fixed {@code created} of answers: 2025-01-01T00:00:00Z. */
    private static final long CREATED = 1_735_689_600L;

    /** The wire format served. */
    private enum Format {
        OPENAI("/v1/chat/completions"), ANTHROPIC("/v1/messages");

        final String path;

        Format(String path) {
            this.path = path;
        }
    }

    private final Format format;
    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    /** Sends the bodies that take long (endless and large ones), so the workers never block. */
    private final ExecutorService senders;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<ReceivedRequest> received = new ArrayList<>();
    private final Set<HttpExchange> held = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Script script;

    /** An immutable list of steps with its own call counter. */
    private static final class Script {
        final List<Fault> steps;
        final AtomicInteger next = new AtomicInteger();

        Script(List<Fault> steps) {
            this.steps = List.copyOf(steps);
        }

        Fault next() {
            if (steps.isEmpty()) {
                return Fault.ok(DEFAULT_REPLY);
            }
            int n = next.getAndIncrement();
            return steps.get(Math.min(Math.max(n, 0), steps.size() - 1));
        }
    }

    private FaultServer(Format format, List<Fault> steps) {
        this.format = format;
        this.script = new Script(steps);
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port", e);
        }
        String name = "fault-server-" + server.getAddress().getPort();
        this.workers = Executors.newFixedThreadPool(WORKER_THREADS, daemon(name + "-worker"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon(name + "-timer"));
        this.senders = Executors.newCachedThreadPool(daemon(name + "-sender"));
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A builder of a server speaking OpenAI's Chat Completions ({@code POST /v1/chat/completions}). */
    public static Builder openAi() {
        return new Builder(Format.OPENAI);
    }

    /** A builder of a server speaking Anthropic's Messages API ({@code POST /v1/messages}). */
    public static Builder anthropic() {
        return new Builder(Format.ANTHROPIC);
    }

    /** The base URL to give a deployment's {@code apiBase}: {@code http://127.0.0.1:<port>/v1}. */
    public String url() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** The loopback port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** How many requests arrived (any path), including those still held or delayed. */
    public int callCount() {
        return calls.get();
    }

    /** The requests received, in arrival order (the first {@value #MAX_RECORDED}). */
    public List<ReceivedRequest> requests() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** How many exchanges a {@link Fault#noAnswer()} holds open now. */
    public int heldCount() {
        return held.size();
    }

    /**
     * Plays {@code steps} from the next call on, as a fresh script (the last step repeats; none:
     * always {@link Fault#ok(String) ok}). Calls already delayed or held are not affected.
     */
    public void replaceScript(Fault... steps) {
        Objects.requireNonNull(steps, "steps");
        this.script = new Script(List.of(steps));
    }

    /** Answers every later call with {@link Fault#ok(String) ok}({@value #DEFAULT_REPLY}); held calls stay held. */
    public void heal() {
        replaceScript();
    }

    /** Stops the server: closes held exchanges and every connection, stops its threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        timer.shutdownNow();
        for (HttpExchange exchange : held) {
            exchange.close();
        }
        held.clear();
        server.stop(0);
        workers.shutdownNow();
        senders.shutdownNow();
    }

    @Override
    public String toString() {
        return "FaultServer[" + format.name().toLowerCase(Locale.ROOT) + " " + url() + ", calls="
                + calls.get() + ", held=" + held.size() + "]";
    }

    // ------------------------------------------------------------------------------ serving

    private void handle(HttpExchange exchange) {
        try {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int call = calls.incrementAndGet();
            synchronized (received) {
                if (received.size() < MAX_RECORDED) {
                    received.add(new ReceivedRequest(call, exchange.getRequestMethod(),
                            exchange.getRequestURI().getPath(), exchange.getRequestHeaders(), body));
                }
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !format.path.equals(exchange.getRequestURI().getPath())) {
                sendJson(exchange, 404, errorBody(404, "Unknown request URL: " + exchange.getRequestMethod() + " "
                        + exchange.getRequestURI().getPath(), exchange), Map.of(), call);
                return;
            }
            Fault fault = script.next().resolve(call);
            String model = modelOf(body);
            if (fault.delay().isZero()) {
                perform(exchange, fault, call, model);
            } else {
                try {
                    timer.schedule(() -> perform(exchange, fault, call, model), fault.delay().toNanos(),
                            TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException closing) {
                    exchange.close();
                }
            }
        } catch (IOException | RuntimeException e) {
            exchange.close(); // the client went away, or the server is closing
        }
    }

    private void perform(HttpExchange exchange, Fault fault, int call, String model) {
        try {
            switch (fault.kind()) {
                case OK -> sendJson(exchange, 200, okBody(fault.text(), model, call, exchange), Map.of(), call);
                case FILTERED -> sendJson(exchange, 200, filteredBody(model, call, exchange), Map.of(), call);
                case STATUS -> sendJson(exchange, fault.statusCode(), errorBody(fault.statusCode(), null, exchange),
                        Map.of(), call);
                case RATE_LIMIT -> sendJson(exchange, 429, errorBody(429, null, exchange), retryAfterHeaders(fault), call);
                case CONTEXT_LENGTH -> sendJson(exchange, 400, contextLengthBody(), Map.of(), call);
                case CONTENT_FILTER -> sendJson(exchange, 400, contentFilterBody(), Map.of(), call);
                case EXPIRED_KEY -> sendJson(exchange, 401, errorBody(401, null, exchange), Map.of(), call);
                case HTML -> send(exchange, fault.statusCode(), "text/html", htmlPage(fault.statusCode()), Map.of());
                case MALFORMED_JSON -> {
                    String whole = okBody(DEFAULT_REPLY, model, call, exchange);
                    sendJson(exchange, 200, whole.substring(0, whole.length() / 2), Map.of(), call);
                }
                case TRUNCATED_BODY -> sendTruncated(exchange, okBody(DEFAULT_REPLY, model, call, exchange), call);
                case CONNECTION_RESET -> exchange.close();
                case NO_ANSWER -> {
                    held.add(exchange);
                    if (closed.get() && held.remove(exchange)) {
                        exchange.close();
                    }
                }
                case RAW -> send(exchange, fault.statusCode(), fault.contentType(), fault.text(), Map.of());
                case STREAM -> sendStream(exchange, fault, call, model);
                case ENDLESS_BODY, ENDLESS_STREAM_LINE, LARGE_BODY -> senders.execute(() -> sendLong(exchange, fault,
                        call, model));
                case MIX -> throw new IllegalStateException("a mix is resolved before it is performed");
            }
        } catch (IOException | RuntimeException e) {
            exchange.close();
        }
    }

    /** A chat-completion (OpenAI) or Messages (Anthropic) event stream, ended as the fault says. */
    private void sendStream(HttpExchange exchange, Fault fault, int call, String model) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        Fault.StreamEnd end = fault.streamEnd();
        // A cut: promise more bytes than will come, so closing early breaks the connection.
        exchange.sendResponseHeaders(200, end == Fault.StreamEnd.CUT ? 1L << 20 : 0);
        OutputStream out = exchange.getResponseBody();
        int emit = fault.streamEmit();
        boolean openAi = format == Format.OPENAI;
        String id = (openAi ? "chatcmpl-fault" : "msg_fault") + call;
        if (!openAi) {
            event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"" + id
                    + "\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":"
                    + JSON.getNodeFactory().textNode(model) + ",\"stop_reason\":null,\"stop_sequence\":null,"
                    + "\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}");
            if (end != Fault.StreamEnd.FILTERED) {
                event(out, "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            }
        } else if (end == Fault.StreamEnd.FILTERED) {
            ObjectNode delta = JSON.createObjectNode().put("role", "assistant").put("content", "");
            event(out, chunk(id, model, delta, null));
        }
        for (int i = 0; i < emit; i++) {
            if (openAi) {
                ObjectNode delta = JSON.createObjectNode();
                if (i == 0) {
                    delta.put("role", "assistant");
                }
                delta.put("content", "w" + i + " ");
                event(out, chunk(id, model, delta, null));
            } else {
                event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                        + "{\"type\":\"text_delta\",\"text\":\"w" + i + " \"}}");
            }
        }
        switch (end) {
            case COMPLETE, WITHOUT_TERMINATOR, FILTERED -> {
                String finish = end == Fault.StreamEnd.FILTERED ? (openAi ? "content_filter" : "refusal")
                        : (openAi ? "stop" : "end_turn");
                if (openAi) {
                    event(out, chunk(id, model, JSON.createObjectNode(), finish));
                    ObjectNode usage = JSON.createObjectNode().put("object", "chat.completion.chunk").put("id", id)
                            .put("model", model);
                    usage.putArray("choices");
                    usage.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", emit)
                            .put("total_tokens", 10 + emit);
                    event(out, usage.toString());
                } else {
                    if (end != Fault.StreamEnd.FILTERED) {
                        event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
                    }
                    event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
                            + finish + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + emit + "}}");
                }
                if (end != Fault.StreamEnd.WITHOUT_TERMINATOR) {
                    if (openAi) {
                        event(out, "[DONE]");
                    } else {
                        event(out, "message_stop", "{\"type\":\"message_stop\"}");
                    }
                }
                exchange.close();
            }
            case CUT, WITHOUT_END -> exchange.close(); // CUT: short of the declared length, the connection breaks
            case MALFORMED -> {
                if (openAi) {
                    event(out, "{\"id\":\"" + id + "\",\"choices\":[{\"delta\":");
                } else {
                    event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":");
                }
                exchange.close();
            }
            case STALL -> {
                held.add(exchange);
                if (closed.get() && held.remove(exchange)) {
                    exchange.close();
                }
            }
        }
    }

    private String chunk(String id, String model, ObjectNode delta, String finishReason) {
        ObjectNode root = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", 1764400000L).put("model", model);
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return root.toString();
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void event(OutputStream out, String name, String data) throws IOException {
        out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private Map<String, String> retryAfterHeaders(Fault fault) {
        Duration retryAfter = fault.retryAfter();
        if (retryAfter == null) {
            return Map.of();
        }
        long millis = retryAfter.toMillis();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("retry-after", Long.toString((millis + 999) / 1000));
        if (format == Format.OPENAI) {
            headers.put("retry-after-ms", Long.toString(millis));
        }
        return headers;
    }

    private void sendJson(HttpExchange exchange, int status, String body, Map<String, String> headers, int call)
            throws IOException {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(format == Format.OPENAI ? "x-request-id" : "request-id", "req_fault_" + call);
        send(exchange, status, "application/json", body, all);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body,
            Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Headers h = exchange.getResponseHeaders();
        h.set("Content-Type", contentType);
        headers.forEach(h::set);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Sends an endless or a large body, without a length (chunked), on a sender thread: until the
     * client disconnects (the write fails), the server closes, or the body's bytes are out.
     */
    private void sendLong(HttpExchange exchange, Fault fault, int call, String model) {
        try {
            boolean stream = fault.kind() == Fault.Kind.ENDLESS_STREAM_LINE;
            long total = fault.kind() == Fault.Kind.LARGE_BODY ? Long.parseLong(fault.text()) : ENDLESS_BYTES;
            String head;
            String tail;
            if (fault.kind() == Fault.Kind.LARGE_BODY) {
                // a valid answer whose text is the padding: split the ok body around its text
                String marker = "@@fault-padding@@";
                String whole = okBody(marker, model, call, exchange);
                int at = whole.indexOf(marker);
                head = whole.substring(0, at);
                tail = whole.substring(at + marker.length());
            } else {
                head = stream ? "data: {\"id\":\"chatcmpl-fault" + call + "\",\"choices\":[{\"delta\":{\"content\":\""
                        : "{\"id\":\"chatcmpl-fault" + call + "\",\"choices\":[{\"message\":{\"content\":\"";
                tail = "";
            }
            byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
            byte[] tailBytes = tail.getBytes(StandardCharsets.UTF_8);
            Headers h = exchange.getResponseHeaders();
            h.set("Content-Type", stream ? "text/event-stream" : "application/json");
            exchange.sendResponseHeaders(200, 0); // chunked: no length announced
            byte[] block = new byte[16 * 1024];
            java.util.Arrays.fill(block, (byte) 'a');
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(headBytes);
                long left = total - headBytes.length - tailBytes.length;
                while (left > 0 && !closed.get()) {
                    int n = (int) Math.min(left, block.length);
                    out.write(block, 0, n); // fails once the client has gone
                    left -= n;
                }
                out.write(tailBytes);
            }
        } catch (IOException | RuntimeException e) {
            exchange.close();
        }
    }

    /** Declares the whole body's length, sends half, then closes the connection. */
    private void sendTruncated(HttpExchange exchange, String body, int call) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Headers h = exchange.getResponseHeaders();
        h.set("Content-Type", "application/json");
        h.set(format == Format.OPENAI ? "x-request-id" : "request-id", "req_fault_" + call);
        exchange.sendResponseHeaders(200, bytes.length);
        OutputStream out = exchange.getResponseBody();
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        // Closing a fixed-length body before its end makes the JDK server close the connection.
        exchange.close();
    }

    // ------------------------------------------------------------------------------ bodies

    private static String modelOf(String requestBody) {
        try {
            JsonNode model = JSON.readTree(requestBody).path("model");
            return model.isTextual() ? model.textValue() : "unknown";
        } catch (JsonProcessingException | RuntimeException e) {
            return "unknown";
        }
    }

    private static int tokens(int chars) {
        return Math.max(1, (chars + 3) / 4);
    }

    private String okBody(String text, String model, int call, HttpExchange exchange) {
        int prompt = tokens(requestLength(exchange));
        int completion = tokens(text.length());
        ObjectNode root = JSON.createObjectNode();
        if (format == Format.OPENAI) {
            root.put("id", "chatcmpl-fault" + call).put("object", "chat.completion").put("created", CREATED)
                    .put("model", model);
            ObjectNode choice = root.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", text).putNull("refusal")
                    .putArray("annotations");
            choice.putNull("logprobs");
            choice.put("finish_reason", "stop");
            ObjectNode usage = root.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                    .put("total_tokens", prompt + completion);
            usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
            usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                    .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
            root.put("service_tier", "default").put("system_fingerprint", "fp_fault");
        } else {
            root.put("id", "msg_fault" + call).put("type", "message").put("role", "assistant").put("model", model);
            root.putArray("content").addObject().put("type", "text").put("text", text);
            root.put("stop_reason", "end_turn").putNull("stop_sequence");
            root.putObject("usage").put("input_tokens", prompt).put("cache_creation_input_tokens", 0)
                    .put("cache_read_input_tokens", 0).put("output_tokens", completion);
        }
        return root.toString();
    }

    /** A 200 answer the content filter stopped: no text, content_filter (Anthropic: refusal), with usage. */
    private String filteredBody(String model, int call, HttpExchange exchange) {
        int prompt = tokens(requestLength(exchange));
        ObjectNode root = JSON.createObjectNode();
        if (format == Format.OPENAI) {
            root.put("id", "chatcmpl-fault" + call).put("object", "chat.completion").put("created", CREATED)
                    .put("model", model);
            ObjectNode choice = root.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").putNull("content").putNull("refusal");
            choice.putNull("logprobs");
            choice.put("finish_reason", "content_filter");
            root.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", 0)
                    .put("total_tokens", prompt);
        } else {
            root.put("id", "msg_fault" + call).put("type", "message").put("role", "assistant").put("model", model);
            root.putArray("content");
            root.put("stop_reason", "refusal").putNull("stop_sequence");
            root.putObject("usage").put("input_tokens", prompt).put("output_tokens", 0);
        }
        return root.toString();
    }

    private static int requestLength(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        try {
            return length == null ? 0 : Integer.parseInt(length.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The vendor's error envelope for {@code status}; {@code message} overrides the usual text. */
    private String errorBody(int status, String message, HttpExchange exchange) {
        ObjectNode root = JSON.createObjectNode();
        if (format == Format.OPENAI) {
            String[] e = openAiError(status, exchange);
            ObjectNode error = root.putObject("error").put("message", message != null ? message : e[0]);
            if (e[1] == null) {
                error.putNull("type");
            } else {
                error.put("type", e[1]);
            }
            error.putNull("param");
            if (e[2] == null) {
                error.putNull("code");
            } else {
                error.put("code", e[2]);
            }
        } else {
            String[] e = anthropicError(status);
            root.put("type", "error");
            root.putObject("error").put("type", e[1]).put("message", message != null ? message : e[0]);
            root.put("request_id", "req_fault");
        }
        return root.toString();
    }

    /** message, type, code of OpenAI's envelope for a status. */
    private static String[] openAiError(int status, HttpExchange exchange) {
        return switch (status) {
            case 400 -> new String[] {"Invalid request.", "invalid_request_error", null};
            case 401 -> new String[] {"Incorrect API key provided: " + maskedKey(exchange)
                    + ". You can find your API key at https://platform.openai.com/account/api-keys.",
                    "invalid_request_error", "invalid_api_key"};
            case 403 -> new String[] {"You are not allowed to sample from this model", "invalid_request_error",
                    "model_not_allowed"};
            case 404 -> new String[] {"The model does not exist or you do not have access to it.",
                    "invalid_request_error", "model_not_found"};
            case 429 -> new String[] {"Rate limit reached for gpt-4o in organization org-fault on requests per min"
                    + " (RPM): Limit 500, Used 500, Requested 1. Please try again later.", "requests",
                    "rate_limit_exceeded"};
            case 500 -> new String[] {"The server had an error while processing your request. Sorry about that!",
                    "server_error", null};
            case 502 -> new String[] {"Bad gateway.", "cf_bad_gateway", "502"};
            case 503 -> new String[] {"The engine is currently overloaded, please try again later.", "server_error",
                    null};
            case 504 -> new String[] {"Gateway timeout.", "cf_gateway_timeout", "504"};
            case 529 -> new String[] {"The server is overloaded.", "server_error", "overloaded"};
            default -> new String[] {"HTTP " + status + " (fault injected)",
                    status >= 500 ? "server_error" : "invalid_request_error", null};
        };
    }

    /** message, type of Anthropic's envelope for a status. */
    private static String[] anthropicError(int status) {
        return switch (status) {
            case 400 -> new String[] {"Invalid request.", "invalid_request_error"};
            case 401 -> new String[] {"invalid x-api-key", "authentication_error"};
            case 403 -> new String[] {"Your API key does not have permission to use the specified resource.",
                    "permission_error"};
            case 404 -> new String[] {"The requested resource could not be found.", "not_found_error"};
            case 413 -> new String[] {"Request exceeds the maximum allowed number of bytes.", "request_too_large"};
            case 429 -> new String[] {"Number of request tokens has exceeded your per-minute rate limit.",
                    "rate_limit_error"};
            case 504 -> new String[] {"Request timed out.", "timeout_error"};
            case 529 -> new String[] {"Overloaded", "overloaded_error"};
            default -> new String[] {status >= 500 ? "Internal server error" : "HTTP " + status + " (fault injected)",
                    status >= 500 ? "api_error" : "invalid_request_error"};
        };
    }

    /** The key as OpenAI quotes it in a 401: its first 3 and last 4 characters. */
    private static String maskedKey(HttpExchange exchange) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String key = auth == null ? "" : auth.replaceFirst("^Bearer\\s+", "");
        if (key.length() < 12) {
            return "********";
        }
        return key.substring(0, 3) + "*".repeat(key.length() - 7) + key.substring(key.length() - 4);
    }

    private String contextLengthBody() {
        if (format == Format.OPENAI) {
            return "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens. However, your"
                    + " messages resulted in 130412 tokens. Please reduce the length of the messages.\","
                    + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}";
        }
        return "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"prompt is too long: 210345 tokens > 200000 maximum\"},\"request_id\":\"req_fault\"}";
    }

    private String contentFilterBody() {
        if (format == Format.OPENAI) {
            return "{\"error\":{\"message\":\"The response was filtered due to the prompt triggering Azure OpenAI's"
                    + " content management policy. Please modify your prompt and retry.\",\"type\":null,"
                    + "\"param\":\"prompt\",\"code\":\"content_filter\",\"status\":400,\"innererror\":{"
                    + "\"code\":\"ResponsibleAIPolicyViolation\",\"content_filter_result\":{"
                    + "\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
                    + "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},"
                    + "\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},"
                    + "\"violence\":{\"filtered\":true,\"severity\":\"medium\"}}}}}";
        }
        return "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"Output blocked by content filtering policy\"},\"request_id\":\"req_fault\"}";
    }

    private static String htmlPage(int status) {
        String title = status + (status == 502 ? " Bad Gateway" : status == 503 ? " Service Temporarily Unavailable"
                : status == 504 ? " Gateway Time-out" : status == 200 ? " OK" : " Error");
        return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
                + "</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n";
    }

    /**
     * Builds a {@link FaultServer}'s script and starts it; not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final Format format;
        private final List<Fault> steps = new ArrayList<>();

        private Builder(Format format) {
            this.format = format;
        }

        /** Next call: {@code fault}. */
        public Builder then(Fault fault) {
            steps.add(Objects.requireNonNull(fault, "fault"));
            return this;
        }

        /**
         * Plays the last fault added {@code times} times in all (so {@code then(f).times(3)} is
         * three calls of {@code f}).
         *
         * @throws IllegalArgumentException if {@code times} is less than 1
         * @throws IllegalStateException if no fault was added yet
         */
        public Builder times(int times) {
            if (times < 1) {
                throw new IllegalArgumentException("times must be at least 1, was " + times);
            }
            if (steps.isEmpty()) {
                throw new IllegalStateException("times(" + times + ") needs a fault before it: call then(fault)");
            }
            Fault last = steps.get(steps.size() - 1);
            for (int i = 1; i < times; i++) {
                steps.add(last);
            }
            return this;
        }

        /**
         * Binds a free port on 127.0.0.1 and starts serving.
         *
         * @return the running server; close it
         * @throws UncheckedIOException if no port can be opened
         */
        public FaultServer start() {
            return new FaultServer(format, steps);
        }
    }
}
