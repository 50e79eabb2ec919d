package io.llmrouter.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class NdjsonReaderTest {

    private static List<String> read(String text, long limit) throws IOException {
        NdjsonReader reader = new NdjsonReader(new Buffer().writeUtf8(text), limit);
        List<String> lines = new ArrayList<>();
        for (String line = reader.next(); line != null; line = reader.next()) {
            lines.add(line);
        }
        return lines;
    }

    @Test
    void readsOneJsonTextPerLineSkippingBlankLinesAndCrLf() throws IOException {
        assertThat(read("{\"a\":1}\r\n\n  \n{\"a\":2}\n{\"done\":true}", 100))
                .containsExactly("{\"a\":1}", "{\"a\":2}", "{\"done\":true}");
    }

    @Test
    void failsOnALineLongerThanTheLimitWithoutBufferingIt() {
        assertThatThrownBy(() -> read("{\"a\":\"" + "x".repeat(200) + "\"}\n", 64))
                .isInstanceOf(ResponseTooLargeException.class);
    }

    @Test
    void rejectsANonPositiveLimit() {
        assertThatThrownBy(() -> new NdjsonReader(new Buffer(), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxLineBytes");
    }
}
