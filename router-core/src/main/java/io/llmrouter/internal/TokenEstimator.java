package io.llmrouter.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.llmrouter.api.RouterRequest;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ContentPart;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.api.chat.Tool;
import io.llmrouter.api.chat.ToolCall;
import io.llmrouter.api.embedding.EmbeddingRequest;

/**
 * Estimates a request's input tokens before it is sent, for rpm/tpm accounting, the context-window
 * filter and cost-based routing.
 *
 * <p>Three levels, cheapest first: {@link #quick} (characters / 4, OpenAI's rule of thumb, used
 * for tpm reservations, which real usage corrects afterwards), {@link #upperBound} (UTF-8 bytes:
 * a byte-level BPE never makes more tokens than bytes, so a request whose bytes fit a window
 * certainly fits) and {@link #count} (jtokkit's {@code o200k_base}, GPT-4o's encoding, exact for
 * OpenAI's current models and within about 10-20 % for other vendors' tokenizers). Each message
 * adds {@value #PER_MESSAGE} tokens of framing and each image {@value #PER_IMAGE} (a 512 px tile
 * at high detail); tool definitions count as their JSON text.
 */
final class TokenEstimator {

    static final int PER_MESSAGE = 4;
    static final int PER_IMAGE = 765;

    private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

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
        long[] bytes = {0};
        long extra = walk(request, text -> bytes[0] += utf8Length(text));
        return (int) Math.min(Integer.MAX_VALUE, bytes[0] + extra);
    }

    /** The token count under {@code o200k_base}, plus framing. */
    static int count(RouterRequest request) {
        long[] tokens = {0};
        long extra = walk(request, text -> tokens[0] += ENCODING.countTokensOrdinary(text));
        return (int) Math.min(Integer.MAX_VALUE, tokens[0] + extra);
    }

    /** Feeds every text of the request to {@code sink}; returns the framing and image tokens. */
    private static long walk(RouterRequest request, java.util.function.Consumer<String> sink) {
        if (request instanceof EmbeddingRequest e) {
            e.inputs().forEach(sink);
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
