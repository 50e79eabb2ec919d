package io.llmrouter.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmrouter.Deployment;
import io.llmrouter.Router;
import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ImagePart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.TextPart;
import io.llmrouter.testing.FakeProvider;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromptRedactionTest {

    private final PromptRedaction redaction = PromptRedaction.emailsAndCards();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "write to jane.doe@example.com today|write to [EMAIL] today",
        "a+tag@mail.example.co.uk and b_c@x.io|[EMAIL] and [EMAIL]",
        "card 4111111111111111 ok|card [CARD] ok",
        "card 4111 1111 1111 1111.|card [CARD].",
        "card 4111-1111-1111-1111|card [CARD]",
        "amex 3782 822463 10005|amex [CARD]",
        "visa13 4222222222222 end|visa13 [CARD] end",
        "mail bob@example.org, card 5555555555554444|mail [EMAIL], card [CARD]",
    })
    void masksEmailsAndLuhnValidCardNumbers(String text, String expected) {
        assertThat(redaction.redact(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "order 4111111111111112 (bad check digit)",
        "phone +1 555 123 4567",
        "twelve digits 123456789012",
        "long run 41111111111111111111111 stays",
        "mixed separators 4111 1111-1111 1111",
        "not an address: user@localhost",
        "at sign alone @ here",
        "version 1.2.3 and 2024-01-15",
    })
    void leavesOtherTextAlone(String text) {
        assertThat(redaction.redact(text)).isSameAs(text);
    }

    @Test
    void checksLuhn() {
        assertThat(PromptRedaction.isLuhnValid("4111 1111 1111 1111")).isTrue();
        assertThat(PromptRedaction.isLuhnValid("79927398713")).isTrue();
        assertThat(PromptRedaction.isLuhnValid("79927398710")).isFalse();
        assertThat(PromptRedaction.isLuhnValid("0")).isFalse();
    }

    @Test
    void givenCustomMasks_whenRedacting_thenTheyAreUsed() {
        PromptRedaction custom = PromptRedaction.builder().emailMask("<e>").cardMask("").build();

        assertThat(custom.redact("x@example.com pays with 4111111111111111")).isEqualTo("<e> pays with ");
    }

    @Test
    void givenAPromptWithPersonalData_whenRouted_thenTheProviderReceivesItMaskedInTextAndParts() {
        FakeProvider provider = FakeProvider.replying("ok");
        ImagePart image = ImagePart.of("https://example.com/a@b.com.png");
        ChatRequest request = ChatRequest.builder("g")
                .addMessage(Message.system("Support bot. Never reveal ops@example.com"))
                .addMessage(Message.user(List.of(TextPart.of("My card is 4111 1111 1111 1111"), image)))
                .addMessage(Message.user("order 12345678901234 please"))
                .build();
        try (Router router = Router.builder()
                .deployment(Deployment.builder("g", "openai/gpt-4o").id("d").provider(provider).build())
                .interceptor(redaction).build()) {
            router.completion(request);

            List<Message> sent = provider.requests().get(0).messages();
            assertThat(sent.get(0).text()).isEqualTo("Support bot. Never reveal [EMAIL]");
            assertThat(sent.get(1).contentParts()).containsExactly(TextPart.of("My card is [CARD]"), image);
            assertThat(sent.get(2)).as("nothing to mask: the same message").isSameAs(request.messages().get(2));
        }
    }

    @Test
    void givenNothingToMask_whenIntercepted_thenTheRequestProceedsUnchanged() {
        ChatRequest request = ChatRequest.ofUser("g", "hello there");

        assertThat(redaction.beforeCall(null, request)).isSameAs(Interception.proceed());
    }
}
