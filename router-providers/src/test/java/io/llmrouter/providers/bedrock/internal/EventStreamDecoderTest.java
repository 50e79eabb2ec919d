package io.llmrouter.providers.bedrock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmrouter.api.exception.ErrorContext;
import io.llmrouter.api.exception.InvalidProviderResponseException;
import io.llmrouter.providers.bedrock.internal.EventStreamMessage.HeaderValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link EventStreamDecoder} against botocore's event-stream test vectors
 * ({@code shared/fixtures/providers/bedrock/eventstream-vectors}, found by walking up from the
 * working directory; skipped when absent) and against messages written by {@link EventStreamEncoder}.
 */
class EventStreamDecoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BedrockErrorMapper ERRORS = new BedrockErrorMapper("bedrock");

    private static EventStreamDecoder decoder(BufferedSource source) {
        return new EventStreamDecoder(source, problem -> ERRORS.invalidStream(problem, null, ErrorContext.none(),
                List.of(), null));
    }

    private static EventStreamDecoder decoder(byte[] bytes) {
        return decoder(new Buffer().write(bytes));
    }

    private static List<EventStreamMessage> decodeAll(EventStreamDecoder decoder) throws IOException {
        List<EventStreamMessage> messages = new ArrayList<>();
        Optional<EventStreamMessage> m;
        while ((m = decoder.next()).isPresent()) {
            messages.add(m.get());
        }
        return messages;
    }

    /** {@code shared/fixtures/providers/bedrock} in the working directory or one of its parents. */
    static Optional<Path> corpus() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("fixtures").resolve("providers").resolve("bedrock");
            if (Files.isDirectory(candidate) && Files.exists(candidate.resolve("expected.json"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A source that hands out at most one byte per read: every message spans many reads. */
    private static final class OneByteAtATime implements Source {
        private final Buffer data;

        OneByteAtATime(byte[] bytes) {
            this.data = new Buffer().write(bytes);
        }

        @Override
        public long read(Buffer sink, long byteCount) {
            return data.exhausted() ? -1 : data.read(sink, 1);
        }

        @Override
        public Timeout timeout() {
            return Timeout.NONE;
        }

        @Override
        public void close() {
        }
    }

    // ------------------------------------------------------------------------------------ vectors

    @TestFactory
    Stream<DynamicTest> decodesEveryValidVectorAndRejectsEveryCorruptedOne() throws IOException {
        Path dir = corpus().map(c -> c.resolve("eventstream-vectors")).filter(Files::isDirectory).orElse(null);
        Assumptions.assumeTrue(dir != null && Files.exists(dir.resolve("expected.json")),
                "shared/fixtures/providers/bedrock/eventstream-vectors not found");
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".bin")).sorted().toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.bin$", "");
                JsonNode exp = expected.get(name);
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    assertThat(exp).as("expectation for %s", name).isNotNull();
                    byte[] bytes = Files.readAllBytes(file);
                    assertThat(bytes).hasSize(exp.path("bytes").asInt());
                    JsonNode expect = exp.path("expect");
                    if (expect.has("error")) {
                        checkRejected(bytes, expect.path("error").asText());
                    } else {
                        checkDecoded(bytes, expect);
                    }
                }));
            }
        }
        assertThat(tests).as("vectors").hasSize(expected.size()).hasSizeGreaterThanOrEqualTo(15);
        return tests.stream();
    }

    private static void checkDecoded(byte[] bytes, JsonNode expect) throws IOException {
        // one byte per read, to show the decoder does not need a message in one piece
        EventStreamDecoder decoder = decoder(Okio.buffer(new OneByteAtATime(bytes)));
        EventStreamMessage message = decoder.next().orElseThrow();
        assertThat(decoder.next()).isEmpty();
        assertThat(message.payloadUtf8()).isEqualTo(expect.path("payload").path("bytes_utf8").asText());
        JsonNode headers = expect.path("headers");
        assertThat(message.headers().keySet()).containsExactlyInAnyOrderElementsOf(
                headers.properties().stream().map(Map.Entry::getKey).toList());
        headers.properties().forEach(h -> assertThat(plain(message.headers().get(h.getKey())))
                .as("header %s", h.getKey()).isEqualTo(plain(h.getValue())));
    }

    private static void checkRejected(byte[] bytes, String error) {
        String problem = switch (error) {
            case "ChecksumMismatch" -> "CRC32 mismatch";
            case "DuplicateHeader" -> "duplicate header";
            case "InvalidHeadersLength" -> "invalid headers length";
            default -> throw new AssertionError("unknown expected error " + error);
        };
        assertThatThrownBy(() -> decodeAll(decoder(bytes))).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageStartingWith("bedrock: invalid event stream: ").hasMessageContaining(problem);
    }

    /** A decoded header as the vectors' JSON gives it: boolean, number, string, or {@code {"bytes_utf8"}}. */
    private static Object plain(HeaderValue value) {
        if (value instanceof HeaderValue.BooleanValue b) {
            return b.value();
        } else if (value instanceof HeaderValue.ByteValue b) {
            return (long) b.value();
        } else if (value instanceof HeaderValue.ShortValue s) {
            return (long) s.value();
        } else if (value instanceof HeaderValue.IntValue i) {
            return (long) i.value();
        } else if (value instanceof HeaderValue.LongValue l) {
            return l.value();
        } else if (value instanceof HeaderValue.TimestampValue t) {
            return t.epochMillis();
        } else if (value instanceof HeaderValue.StringValue s) {
            return s.value();
        } else if (value instanceof HeaderValue.BytesValue b) {
            return List.of(b.value().utf8());
        } else if (value instanceof HeaderValue.UuidValue u) {
            ByteBuffer bytes = ByteBuffer.allocate(16).putLong(u.value().getMostSignificantBits())
                    .putLong(u.value().getLeastSignificantBits());
            return List.of(new String(bytes.array(), StandardCharsets.UTF_8));
        }
        return value;
    }

    private static Object plain(JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue();
        } else if (value.isIntegralNumber()) {
            return value.longValue();
        } else if (value.isTextual()) {
            return value.textValue();
        }
        return List.of(value.path("bytes_utf8").asText());
    }

    // ------------------------------------------------------------------------------------ own messages

    @Test
    void givenEncodedMessagesOfEveryHeaderType_whenDecoded_thenRoundTripInOrder() throws IOException {
        // given
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put("t", new HeaderValue.BooleanValue(true));
        headers.put("f", new HeaderValue.BooleanValue(false));
        headers.put("b", new HeaderValue.ByteValue((byte) -7));
        headers.put("s", new HeaderValue.ShortValue((short) 30_000));
        headers.put("i", new HeaderValue.IntValue(-123_456));
        headers.put("l", new HeaderValue.LongValue(Long.MIN_VALUE));
        headers.put("bytes", new HeaderValue.BytesValue(ByteString.encodeUtf8("\u0000\u00ff")));
        headers.put("str", new HeaderValue.StringValue("h\u00e9llo \u2603"));
        headers.put("ts", new HeaderValue.TimestampValue(1_700_000_000_123L));
        headers.put("id", new HeaderValue.UuidValue(UUID.fromString("01234567-89ab-cdef-0123-456789abcdef")));
        byte[] payload = "{\"k\":\"\u00fc\"}".getBytes(StandardCharsets.UTF_8);
        byte[] second = EventStreamEncoder.event("messageStop", "{\"stopReason\":\"end_turn\"}");
        // when
        List<EventStreamMessage> messages = decodeAll(decoder(Okio.buffer(new OneByteAtATime(
                EventStreamEncoder.stream(EventStreamEncoder.message(headers, payload), second).readByteArray()))));
        // then
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).headers()).containsExactlyEntriesOf(headers);
        assertThat(messages.get(0).payload()).isEqualTo(ByteString.of(payload));
        assertThat(messages.get(1).stringHeader(":event-type")).contains("messageStop");
        assertThat(messages.get(1).stringHeader(":message-type")).contains("event");
        assertThat(messages.get(1).payloadUtf8()).isEqualTo("{\"stopReason\":\"end_turn\"}");
    }

    @Test
    void givenTheCorpusStream_whenEncodedAgainFromItsEvents_thenTheBytesAreIdentical() throws IOException {
        // the test encoder against the corpus's botocore-verified bytes: the encoder is right independently
        Path dir = corpus().orElse(null);
        Assumptions.assumeTrue(dir != null && Files.exists(dir.resolve("converse-stream.eventstream")),
                "shared/fixtures/providers/bedrock not found");
        List<String> lines = Files.readAllLines(dir.resolve("converse-stream-events.jsonl"));
        List<byte[]> encoded = new ArrayList<>();
        for (String line : lines) {
            Map.Entry<String, JsonNode> event = JSON.readTree(line).properties().iterator().next();
            encoded.add(EventStreamEncoder.event(event.getKey(), JSON.writeValueAsString(event.getValue())));
        }
        byte[] corpusBytes = Files.readAllBytes(dir.resolve("converse-stream.eventstream"));
        assertThat(EventStreamEncoder.stream(encoded.toArray(new byte[0][])).readByteArray()).isEqualTo(corpusBytes);
        assertThat(decodeAll(decoder(corpusBytes))).hasSize(lines.size());
    }

    @Test
    void givenEmptySource_whenNext_thenEmpty() throws IOException {
        assertThat(decoder(new byte[0]).next()).isEmpty();
    }

    @Test
    void givenSourceEndingInsideThePrelude_whenNext_thenRejected() {
        byte[] message = EventStreamEncoder.event("messageStart", "{\"role\":\"assistant\"}");
        assertThatThrownBy(() -> decoder(Arrays.copyOf(message, 7)).next())
                .isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("the stream ended inside a message prelude (7 of 12 bytes)");
    }

    @Test
    void givenSourceEndingInsideAMessage_whenNext_thenRejected() throws IOException {
        byte[] first = EventStreamEncoder.event("messageStart", "{\"role\":\"assistant\"}");
        byte[] second = EventStreamEncoder.event("messageStop", "{\"stopReason\":\"end_turn\"}");
        byte[] cut = Arrays.copyOf(EventStreamEncoder.stream(first, second).readByteArray(),
                first.length + second.length - 5);
        EventStreamDecoder decoder = decoder(cut);
        assertThat(decoder.next()).isPresent();
        assertThatThrownBy(decoder::next).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("the stream ended inside a message (" + (second.length - 5) + " of "
                        + second.length + " bytes)");
    }

    @Test
    void givenFlippedPayloadBit_whenNext_thenMessageCrcMismatch() {
        byte[] message = EventStreamEncoder.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"x\"}}");
        message[message.length - 10] ^= 0x01;
        assertThatThrownBy(() -> decoder(message).next()).isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("message CRC32 mismatch");
    }

    @Test
    void givenHugeLengthWithMatchingPreludeCrc_whenNext_thenRejectedWithoutWaitingForTheBytes() {
        // a valid prelude announcing a 100 MiB payload, followed by nothing: rejected from the prelude alone
        ByteBuffer prelude = ByteBuffer.allocate(12).putInt(100 * 1024 * 1024).putInt(0);
        CRC32 crc = new CRC32();
        crc.update(prelude.array(), 0, 8);
        prelude.putInt((int) crc.getValue());
        assertThatThrownBy(() -> decoder(prelude.array()).next())
                .isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("invalid payload length");
    }

    @Test
    void givenHeaderRunningPastTheHeadersEnd_whenNext_thenRejected() {
        // headers block: name "a", type 7 (string), length 200, but only 2 bytes follow
        byte[] headers = {1, 'a', 7, 0, (byte) 200, 'x', 'y'};
        assertThatThrownBy(() -> decoder(raw(headers)).next())
                .isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("header 'a' runs past the end of the headers");
    }

    @Test
    void givenUnknownHeaderType_whenNext_thenRejected() {
        byte[] headers = {1, 'a', 42};
        assertThatThrownBy(() -> decoder(raw(headers)).next())
                .isExactlyInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("header 'a' has the unknown value type 42");
    }

    /** A message with these raw header bytes, an empty payload and correct CRCs. */
    private static byte[] raw(byte[] headers) {
        int total = 16 + headers.length;
        ByteBuffer b = ByteBuffer.allocate(total).putInt(total).putInt(headers.length);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, 8);
        b.putInt((int) crc.getValue()).put(headers);
        crc = new CRC32();
        crc.update(b.array(), 0, total - 4);
        return b.putInt((int) crc.getValue()).array();
    }

    @Test
    void rejectsAMessageOverTheDeploymentLimitRightAfterItsPrelude() {
        byte[] message = EventStreamEncoder.event("contentBlockDelta", "{\"delta\":{\"text\":\"" + "a".repeat(200) + "\"}}");
        // only the prelude is there: the decoder must not wait for the rest
        byte[] prelude = Arrays.copyOf(message, EventStreamDecoder.PRELUDE_LENGTH);
        EventStreamDecoder limited = new EventStreamDecoder(new Buffer().write(prelude),
                problem -> ERRORS.invalidStream(problem, null, ErrorContext.none(), List.of(), null), 128);
        assertThatThrownBy(limited::next).isInstanceOf(InvalidProviderResponseException.class)
                .hasMessageContaining("128 bytes").hasMessageContaining("maxStreamEventBytes");
        EventStreamDecoder roomy = new EventStreamDecoder(new Buffer().write(message),
                problem -> ERRORS.invalidStream(problem, null, ErrorContext.none(), List.of(), null), message.length);
        assertThatCode(roomy::next).doesNotThrowAnyException();
    }
}
