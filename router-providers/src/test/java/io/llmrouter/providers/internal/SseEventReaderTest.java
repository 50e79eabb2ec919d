package io.llmrouter.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
}
