package io.llmrouter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The request-control example redacts, retries a schema-breaking answer elsewhere, and refuses a dear request. */
class RequestControlExampleTest {

    @Test
    void redactsRetriesTheInvalidAnswerAndRefusesTheDearRequest() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            RequestControlExample.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "sent: Ada ([EMAIL], card [CARD]) is 36. Extract her.",
                "attempt on sloppy: response rule 'json-schema' rejected the answer of deployment 'sloppy': the answer"
                        + " does not match the JSON schema 'person': /: required property 'age' not found",
                "attempt on careful: accepted",
                "answer: {\"name\": \"Ada Lovelace\", \"age\": 36}",
                "refused by max-cost: estimated cost $1 on deployment 'sloppy' exceeds the limit of $0.05 per"
                        + " request");
    }
}
