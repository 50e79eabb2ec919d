package io.llmrouter.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class SseEventReaderTest {

    private static List<SseEvent> read(String text) throws IOException {
        SseEventReader reader = new SseEventReader(new Buffer().writeUtf8(text));
        List<SseEvent> events = new ArrayList<>();
        for (SseEvent e = reader.next(); e != null; e = reader.next()) {
            events.add(e);
        }
        return events;
    }

    @Test
    void readsDataEventsSeparatedByBlankLines() throws IOException {
        assertThat(read("data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: [DONE]\n\n"))
                .extracting(SseEvent::data).containsExactly("{\"a\":1}", "{\"a\":2}", "[DONE]");
    }

    @Test
    void acceptsCrLfSeparatorsAsGeminiSends() throws IOException {
        assertThat(read("data: one\r\n\r\ndata: two\r\n\r\n")).extracting(SseEvent::data).containsExactly("one", "two");
    }

    @Test
    void keepsEventNamesAndSkipsCommentsAsAnthropicAndOpenRouterSend() throws IOException {
        List<SseEvent> events = read(": OPENROUTER PROCESSING\n\nevent: message_start\ndata: {}\n\n"
                + ": keep-alive\nevent: message_stop\ndata: {\"type\":\"message_stop\"}");
        assertThat(events).extracting(e -> e.name().orElse("")).containsExactly("message_start", "message_stop");
        assertThat(events.get(1).data()).isEqualTo("{\"type\":\"message_stop\"}");
    }

    @Test
    void joinsMultiLineDataAndDropsOneLeadingSpace() throws IOException {
        assertThat(read("data:  two spaces\ndata:none\n\n")).singleElement()
                .satisfies(e -> assertThat(e.data()).isEqualTo(" two spaces\nnone"));
    }

    @Test
    void recognisesTheDoneMarker() throws IOException {
        assertThat(read("data: [DONE]\n\n").get(0).isDone()).isTrue();
        assertThat(read("data: {}\n\n").get(0).isDone()).isFalse();
    }

    private static List<SseEvent> read(String text, long limit) throws IOException {
        SseEventReader reader = new SseEventReader(new Buffer().writeUtf8(text), limit);
        List<SseEvent> events = new ArrayList<>();
        for (SseEvent e = reader.next(); e != null; e = reader.next()) {
            events.add(e);
        }
        return events;
    }

    @Test
    void acceptsALineOfExactlyTheLimitAndRejectsOneByteMore() throws IOException {
        String line = "data: " + "a".repeat(10); // 16 bytes
        assertThat(read(line + "\n\n", 16)).singleElement().satisfies(e -> assertThat(e.data()).hasSize(10));
        assertThatThrownBy(() -> read(line + "a\n\n", 16)).isInstanceOf(ResponseTooLargeException.class)
                .hasMessageContaining("16 bytes").hasMessageContaining("maxStreamEventBytes");
    }

    @Test
    void rejectsAnEventWhoseLinesTogetherPassTheLimit() {
        String event = "data: aaaa\n".repeat(5) + "\n"; // five 10-byte lines
        assertThatThrownBy(() -> read(event, 40)).isInstanceOf(ResponseTooLargeException.class);
    }

    @Test
    void limitsEachEventNotTheWholeStream() throws IOException {
        String event = "data: aaaa\n\n";
        assertThat(read(event.repeat(1_000), 16)).hasSize(1_000);
    }

    @Test
    void rejectsAnEndlessLineWithoutReadingMoreThanTheLimitAndASegment() {
        // a source that never ends: counts what the reader pulled from it
        long[] pulled = {0};
        okio.Source endless = new okio.Source() {
            @Override
            public long read(Buffer sink, long byteCount) {
                long n = Math.min(byteCount, 8_192);
                for (long i = 0; i < n; i++) {
                    sink.writeByte('a');
                }
                pulled[0] += n;
                return n;
            }

            @Override
            public okio.Timeout timeout() {
                return okio.Timeout.NONE;
            }

            @Override
            public void close() {
            }
        };
        SseEventReader reader = new SseEventReader(okio.Okio.buffer(endless), 100_000);
        assertThatThrownBy(reader::next).isInstanceOf(ResponseTooLargeException.class);
        assertThat(pulled[0]).isLessThanOrEqualTo(100_000 + 8_192);
    }

    @Test
    void rejectsAnEndlessCommentLine() {
        assertThatThrownBy(() -> read(":" + "x".repeat(100) + "\n\ndata: a\n\n", 64))
                .isInstanceOf(ResponseTooLargeException.class);
    }
}
