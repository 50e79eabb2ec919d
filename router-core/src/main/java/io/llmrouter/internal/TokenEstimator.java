package io.llmrouter.internal;

import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.audio.SpeechRequest;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ContentPart;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.completion.TextCompletionRequest;
import io.llmrouter.api.embedding.EmbeddingRequest;
import io.llmrouter.api.image.ImageRequest;
import io.llmrouter.api.moderation.ModerationRequest;
import io.llmrouter.api.rerank.RerankRequest;
import io.llmrouter.api.responses.ResponsesRequest;
import io.llmrouter.spi.TokenCounter;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Estimates a request's input tokens before it is sent, for rpm/tpm accounting, the context-window
 * filter and cost-based routing.
 *
 * <p>Three levels, cheapest first: {@link #quick} (characters / 4, OpenAI's rule of thumb, used
 * for tpm reservations, which real usage corrects afterwards), {@link #bounds} (UTF-8 bytes are an
 * upper bound: a byte-level BPE never makes more tokens than bytes, so a request whose bytes fit a
 * window certainly fits; bytes / {@value #MAX_TOKEN_BYTES}, the longest token, are a lower bound,
 * so a request whose lower bound passes a window certainly does not fit) and {@link #count}
 * (the {@link TokenCounter} found through {@link ServiceLoader}: {@code router-tokenizer}'s
 * {@code o200k_base}, GPT-4o's encoding, exact for OpenAI's current models and within about
 * 10-20 % for other vendors' tokenizers; without one, characters / 4 per chunk, which still lies
 * between the bounds), for what the bounds leave undecided. Each message
 * adds {@value #PER_MESSAGE} tokens of framing and each image {@value #PER_IMAGE} (a 512 px tile
 * at high detail); tool definitions count as their JSON text.
 *
 * <p>Every level is linear in time and memory: {@link #count} hands the
 * tokenizer at most {@value #CHUNK_CHARS} characters at a time (one long run of a single
 * character is one pre-token for the BPE, whose cost grows faster than its length, and whose
 * memory grew to 1.85 GB for a 10 MB prompt) and stops once it passes the limit the caller can
 * still decide on. Chunks end where the encoder's own pre-tokenizer would split (before a space
 * that starts a word) when there is one in the chunk's second half, so ordinary text counts
 * exactly; only a run of {@value #CHUNK_CHARS} characters without such a place is cut where it
 * is, which changes the count by a token or so per cut.
 */
final class TokenEstimator {

    static final int PER_MESSAGE = 4;
    static final int PER_IMAGE = 765;
    /** The longest token of {@code o200k_base} in UTF-8 bytes (a run of spaces); checked by a test. */
    static final int MAX_TOKEN_BYTES = 128;
    /** The most characters handed to the tokenizer at once. */
    static final int CHUNK_CHARS = 4096;

    private static final Logger log = LoggerFactory.getLogger(TokenEstimator.class);

    /** The exact counter, or the characters / 4 heuristic when no {@link TokenCounter} is installed. */
    private static final ToIntFunction<String> COUNTER = discover(TokenEstimator.class.getClassLoader());

    private TokenEstimator() {
    }

    /** Characters / 4 plus framing: cheap, for reservations. */
    static int quick(RouterRequest request) {
        long[] chars = {0};
        long extra = walk(request, text -> chars[0] += text.length());
        return (int) Math.min(Integer.MAX_VALUE, (chars[0] + 3) / 4 + extra);
    }

    /** An upper bound on the tokens: UTF-8 bytes plus framing. */
    static int upperBound(RouterRequest request) {
        return bounds(request).upper();
    }

    /**
     * Both bounds in one pass: UTF-8 bytes / {@value #MAX_TOKEN_BYTES} rounded up, plus framing,
     * and UTF-8 bytes plus framing.
     */
    static Bounds bounds(RouterRequest request) {
        long[] bytes = {0};
        long extra = walk(request, text -> bytes[0] += utf8Length(text));
        long lower = (bytes[0] + MAX_TOKEN_BYTES - 1) / MAX_TOKEN_BYTES + extra;
        return new Bounds((int) Math.min(Integer.MAX_VALUE, lower), (int) Math.min(Integer.MAX_VALUE, bytes[0] + extra));
    }

    /** The fewest and the most tokens a request can have under {@code o200k_base}. */
    record Bounds(int lower, int upper) {
    }

    /**
     * The token count (under {@code o200k_base} with {@code router-tokenizer}), plus framing,
     * exact when it is at most {@code limit}; otherwise some number above {@code limit}, found
     * without reading the rest of the request. Linear in the characters read, with at most
     * {@value #CHUNK_CHARS} of them tokenized at once.
     */
    static int count(RouterRequest request, int limit) {
        return count(request, limit, TokenEstimator::tokensOf);
    }

    /** {@link #count(RouterRequest, int)} with {@code tokenizer} counting each chunk (tests watch the work). */
    static int count(RouterRequest request, int limit, ToIntFunction<String> tokenizer) {
        ChunkedCount counter = new ChunkedCount(limit, tokenizer);
        long extra = walk(request, counter);
        return (int) Math.min(Integer.MAX_VALUE, counter.tokens + extra);
    }

    /** The tokens of one chunk: exact with a {@link TokenCounter}, else characters / 4. */
    static int tokensOf(String chunk) {
        return COUNTER.applyAsInt(chunk);
    }

    /**
     * The first {@link TokenCounter} service {@code loader} sees ({@code router-tokenizer}'s
     * {@code o200k_base} counter), or {@link #heuristic} when there is none or it cannot be loaded.
     * Logged once, when the estimator is first used.
     */
    static ToIntFunction<String> discover(ClassLoader loader) {
        try {
            for (TokenCounter counter : ServiceLoader.load(TokenCounter.class, loader)) {
                log.debug("counting tokens with {}", counter);
                return counter::countTokens;
            }
            log.info("no io.llmrouter.spi.TokenCounter found (add io.llmrouter:router-tokenizer for exact counts):"
                    + " context windows are checked with characters / 4");
        } catch (ServiceConfigurationError e) {
            log.warn("the io.llmrouter.spi.TokenCounter service could not be loaded: context windows are checked"
                    + " with characters / 4", e);
        }
        return TokenEstimator::heuristic;
    }

    /** Characters / 4, rounded up: OpenAI's rule of thumb, between the bounds for any text. */
    static int heuristic(String chunk) {
        return (chunk.length() + 3) / 4;
    }

    /**
     * Where the chunk of {@code text} that starts at {@code start} ends: the text's end when it is
     * near, else the last place in the chunk's second half where a space starts a word after a
     * letter or digit (the pre-tokenizer splits there too, so the count is unchanged), else
     * {@value #CHUNK_CHARS} characters on (one fewer rather than split a surrogate pair).
     */
    static int chunkEnd(String text, int start) {
        int hardEnd = start + CHUNK_CHARS;
        if (hardEnd >= text.length()) {
            return text.length();
        }
        for (int i = hardEnd - 1; i > start + CHUNK_CHARS / 2; i--) {
            if (text.charAt(i) == ' ' && Character.isLetter(text.charAt(i + 1))
                    && Character.isLetterOrDigit(text.charAt(i - 1))) {
                return i;
            }
        }
        return Character.isHighSurrogate(text.charAt(hardEnd - 1)) ? hardEnd - 1 : hardEnd;
    }

    /** Sums the tokens of texts chunk by chunk, and stops reading once past the limit. */
    private static final class ChunkedCount implements Consumer<String> {
        private final int limit;
        private final ToIntFunction<String> tokenizer;
        long tokens;

        ChunkedCount(int limit, ToIntFunction<String> tokenizer) {
            this.limit = limit;
            this.tokenizer = tokenizer;
        }

        @Override
        public void accept(String text) {
            int start = 0;
            while (start < text.length() && tokens <= limit) {
                int end = chunkEnd(text, start);
                tokens += tokenizer.applyAsInt(text.substring(start, end));
                start = end;
            }
        }
    }

    /** Feeds every text of the request to {@code sink}; returns the framing and image tokens. */
    private static long walk(RouterRequest request, Consumer<String> sink) {
        if (request instanceof EmbeddingRequest e) {
            e.inputs().forEach(sink);
            return 0;
        }
        if (request instanceof TextCompletionRequest t) {
            t.prompts().forEach(sink);
            return 0;
        }
        if (request instanceof RerankRequest r) {
            sink.accept(r.query());
            r.documents().forEach(sink);
            return 0;
        }
        if (request instanceof ImageRequest i) {
            sink.accept(i.prompt());
            return 0;
        }
        if (request instanceof SpeechRequest s) {
            sink.accept(s.input());
            return 0;
        }
        if (request instanceof ResponsesRequest r) {
            sink.accept(r.body().toString()); // the whole body: an upper bound of its text
            return 0;
        }
        if (request instanceof ModerationRequest m) {
            m.inputs().forEach(sink);
            return 0;
        }
        if (!(request instanceof ChatRequest chat)) {
            return 0;
        }
        long extra = 3; // the reply's priming
        for (Message m : chat.messages()) {
            extra += PER_MESSAGE;
            for (ContentPart part : m.contentParts()) {
                if (part instanceof TextPart t) {
                    sink.accept(t.text());
                } else if (part instanceof ImagePart) {
                    extra += PER_IMAGE;
                }
            }
            for (ToolCall call : m.toolCalls()) {
                sink.accept(call.name());
                sink.accept(call.arguments());
            }
            m.name().ifPresent(sink);
        }
        for (Tool tool : chat.tools()) {
            sink.accept(tool.name());
            tool.description().ifPresent(sink);
            tool.parameters().ifPresent(p -> sink.accept(p.toString()));
        }
        return extra;
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

}
