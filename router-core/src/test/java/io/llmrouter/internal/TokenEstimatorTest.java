package io.llmrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.api.chat.ChatRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

    private static final int TEN_MB = 10 * 1024 * 1024;
    /** The framing of a one-message chat request: the reply's priming (3) and one message (4). */
    private static final int FRAMING = 3 + TokenEstimator.PER_MESSAGE;

    /** A tokenizer that counts with o200k and records how much it was given, and the largest piece. */
    private static final class WatchedTokenizer implements ToIntFunction<String> {
        long calls;
        long chars;
        int largest;

        @Override
        public int applyAsInt(String chunk) {
            calls++;
            chars += chunk.length();
            largest = Math.max(largest, chunk.length());
            return TokenEstimator.tokensOf(chunk);
        }
    }

    @Test
    void givenTenMegabytesOfOneCharacter_whenCountedUpToAWindow_thenStopsPastTheLimitInBoundedChunks() {
        // given: 'a' runs tokenize at 8 characters a token, so the whole prompt is 1.3 M tokens
        ChatRequest request = ChatRequest.ofUser("m", "a".repeat(TEN_MB));
        WatchedTokenizer tokenizer = new WatchedTokenizer();
        int limit = 128_000;
        // when
        int tokens = TokenEstimator.count(request, limit, tokenizer);
        // then: past the limit, so the caller can decide, after reading about a tenth of the text
        assertThat(tokens).isGreaterThan(limit);
        assertThat(tokenizer.largest).isLessThanOrEqualTo(TokenEstimator.CHUNK_CHARS);
        assertThat(tokenizer.chars).isLessThanOrEqualTo(8L * (limit + 1) + TokenEstimator.CHUNK_CHARS);
    }

    @Test
    void givenTenMegabytesOfSpaces_whenCountedWithoutLimit_thenCountsExactlyInBoundedChunks() {
        // given: the longest o200k token is 128 spaces
        ChatRequest request = ChatRequest.ofUser("m", " ".repeat(TEN_MB));
        WatchedTokenizer tokenizer = new WatchedTokenizer();
        // when
        int tokens = TokenEstimator.count(request, Integer.MAX_VALUE, tokenizer);
        // then: every character read once, never more than a chunk at a time
        assertThat(tokens).isEqualTo(TEN_MB / 128 + FRAMING);
        assertThat(tokenizer.chars).isEqualTo(TEN_MB);
        assertThat(tokenizer.largest).isLessThanOrEqualTo(TokenEstimator.CHUNK_CHARS);
        assertThat(tokenizer.calls).isEqualTo((TEN_MB + TokenEstimator.CHUNK_CHARS - 1) / TokenEstimator.CHUNK_CHARS);
    }

    @Test
    void givenOrdinaryText_whenCountedInChunks_thenCountsAsTheWholeTextDoes() {
        // given: seeded prose with punctuation, numbers, accents, newlines and emoji, 200 k characters
        String text = prose(200_000, new SplittableRandom(7));
        WatchedTokenizer tokenizer = new WatchedTokenizer();
        // when
        int tokens = TokenEstimator.count(ChatRequest.ofUser("m", text), Integer.MAX_VALUE, tokenizer);
        // then
        assertThat(tokenizer.calls).isGreaterThan(text.length() / TokenEstimator.CHUNK_CHARS);
        assertThat(tokens).isEqualTo(TokenEstimator.tokensOf(text) + FRAMING);
    }

    @Test
    void givenRouterTokenizerOnThePath_whenCounted_thenTheCountIsExactO200k() {
        // given: router-tokenizer is router-core's runtime dependency; characters / 4 would say 320 + framing
        ChatRequest request = ChatRequest.ofUser("m", " ".repeat(1280));
        // when
        int tokens = TokenEstimator.count(request, Integer.MAX_VALUE);
        // then: ten runs of 128 spaces
        assertThat(tokens).isEqualTo(10 + FRAMING);
    }

    @Test
    void givenNoTokenCounterService_whenDiscovered_thenCountsCharactersOverFour() throws IOException {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            // when
            ToIntFunction<String> counter = TokenEstimator.discover(empty);
            // then: the heuristic, rounded up
            assertThat(counter.applyAsInt(" ".repeat(1280))).isEqualTo(320);
            assertThat(counter.applyAsInt("hello")).isEqualTo(2);
            assertThat(counter.applyAsInt("")).isZero();
        }
    }

    @Test
    void givenTheHeuristic_whenCounted_thenTheCountStillLiesBetweenTheBounds() {
        for (String text : new String[] {" ".repeat(100_000), "a", "é€😀 Ünïcödé ".repeat(5_000),
                prose(50_000, new SplittableRandom(5))}) {
            ChatRequest request = ChatRequest.ofUser("m", text);
            TokenEstimator.Bounds bounds = TokenEstimator.bounds(request);
            assertThat(TokenEstimator.count(request, Integer.MAX_VALUE, TokenEstimator::heuristic))
                    .isBetween(bounds.lower(), bounds.upper());
        }
    }

    @Test
    void chunksNeverSplitASurrogatePair() {
        String emoji = "\uD83D\uDE00".repeat(TokenEstimator.CHUNK_CHARS);
        int end = TokenEstimator.chunkEnd("x" + emoji, 0);
        assertThat(end).isEqualTo(TokenEstimator.CHUNK_CHARS - 1);
        assertThat(Character.isHighSurrogate(("x" + emoji).charAt(end - 1))).isFalse();
    }

    @Test
    void boundsHoldTheCountBetweenThem() {
        for (String text : new String[] {" ".repeat(100_000), "a".repeat(100_000), "é€😀 Ünïcödé ".repeat(5_000),
                prose(50_000, new SplittableRandom(3))}) {
            ChatRequest request = ChatRequest.ofUser("m", text);
            TokenEstimator.Bounds bounds = TokenEstimator.bounds(request);
            int tokens = TokenEstimator.count(request, Integer.MAX_VALUE);
            assertThat(tokens).isBetween(bounds.lower(), bounds.upper());
            assertThat(bounds.upper()).isEqualTo(TokenEstimator.upperBound(request));
        }
    }

    @Test
    void theLongestTokenBoundMatchesTheBundledVocabulary() throws IOException {
        int longest = 0;
        // JTokkit's vocabulary, on the test path through router-tokenizer
        try (InputStream in = TokenEstimatorTest.class.getClassLoader()
                .getResourceAsStream("com/knuddels/jtokkit/o200k_base.tiktoken");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String base64 = line.substring(0, line.indexOf(' '));
                longest = Math.max(longest, Base64.getDecoder().decode(base64).length);
            }
        }
        assertThat(longest).isEqualTo(TokenEstimator.MAX_TOKEN_BYTES);
    }

    private static String prose(int length, SplittableRandom random) {
        String[] words = {"the", "router", "picks", "a", "deployment", "Über", "naïve", "café", "1234567", "x",
            "don't", "it's", "HTTP", "JSON", "{\"k\":", "[1,", "2]", "—", "😀", "...", "Hello,", "world!", "\n",
            "\n\n", "  ", "\t", "McDonald", "iPhone", "ВАСЯ", "東京", "مرحبا", "$4.99", "e-mail", "a/b"};
        StringBuilder b = new StringBuilder(length + 16);
        while (b.length() < length) {
            b.append(words[random.nextInt(words.length)]);
            b.append(random.nextInt(8) == 0 ? "" : " ");
        }
        return b.toString();
    }
}
