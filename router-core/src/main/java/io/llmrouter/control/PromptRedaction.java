package io.llmrouter.control;

import io.llmrouter.api.chat.ChatRequest;
import io.llmrouter.api.chat.ContentPart;
import io.llmrouter.api.chat.Message;
import io.llmrouter.api.chat.TextPart;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request interceptor that masks e-mail addresses and payment card numbers in the text of every
 * message (string content and text parts; images, tool-call arguments and other fields are left
 * as they are) before the request is sent. A card number is 13 to 19 digits, either in one run or
 * in groups split by single spaces or hyphens (4-4-4-x, or Amex's 4-6-5), and is masked only when
 * its Luhn check digit is right, so order numbers, phone numbers and other digit runs stay.
 * A request with nothing to mask is sent as it is, without a copy.
 *
 * <pre>{@code
 * Router router = Router.builder().deployment(d).interceptor(PromptRedaction.emailsAndCards()).build();
 * // "Mail jane.doe@example.com, card 4111 1111 1111 1111" is sent as "Mail [EMAIL], card [CARD]"
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class PromptRedaction implements RequestInterceptor {

    /** The default mask for an e-mail address: {@value}. */
    public static final String DEFAULT_EMAIL_MASK = "[EMAIL]";
    /** The default mask for a card number: {@value}. */
    public static final String DEFAULT_CARD_MASK = "[CARD]";

    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");
    /** 13-19 digits: one run, 4-4-4-(1..7) or 4-6-5 with one kind of separator; not inside a longer digit run. */
    private static final Pattern CARD = Pattern.compile("(?<![0-9])(?:[0-9]{4}([ -])[0-9]{4}\\1[0-9]{4}\\1[0-9]{1,7}"
            + "|[0-9]{4}([ -])[0-9]{6}\\2[0-9]{5}|[0-9]{13,19})(?![0-9])");

    private static final PromptRedaction DEFAULTS = new PromptRedaction(DEFAULT_EMAIL_MASK, DEFAULT_CARD_MASK);

    private final String emailMask;
    private final String cardMask;

    private PromptRedaction(String emailMask, String cardMask) {
        this.emailMask = emailMask;
        this.cardMask = cardMask;
    }

    /** Masks e-mail addresses as {@value #DEFAULT_EMAIL_MASK} and card numbers as {@value #DEFAULT_CARD_MASK}. */
    public static PromptRedaction emailsAndCards() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code text} with its e-mail addresses and Luhn-valid card numbers masked.
     *
     * @param text any text
     * @return the masked text; {@code text} itself when there was nothing to mask
     */
    public String redact(String text) {
        Objects.requireNonNull(text, "text");
        String out = text.indexOf('@') < 0 ? text : EMAIL.matcher(text).replaceAll(Matcher.quoteReplacement(emailMask));
        return hasDigitRun(out) ? redactCards(out) : out;
    }

    private String redactCards(String text) {
        Matcher m = CARD.matcher(text);
        StringBuilder sb = null;
        int last = 0;
        while (m.find()) {
            if (isLuhnValid(m.group())) {
                if (sb == null) {
                    sb = new StringBuilder(text.length());
                }
                sb.append(text, last, m.start()).append(cardMask);
                last = m.end();
            }
        }
        return sb == null ? text : sb.append(text, last, text.length()).toString();
    }

    /** Whether {@code text} has 13 or more digits at all (the cheap test before the pattern). */
    private static boolean hasDigitRun(String text) {
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9' && ++digits >= 13) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the digits of {@code number} (separators skipped) pass the Luhn check.
     *
     * @param number digits, possibly with spaces or hyphens
     * @return true when the check digit is right
     */
    public static boolean isLuhnValid(String number) {
        int sum = 0;
        boolean doubled = false;
        int digits = 0;
        for (int i = number.length() - 1; i >= 0; i--) {
            char c = number.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
            digits++;
        }
        return digits > 1 && sum % 10 == 0;
    }

    @Override
    public Interception beforeCall(AttemptContext attempt, ChatRequest request) {
        List<Message> messages = request.messages();
        List<Message> out = null;
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            Message r = redact(m);
            if (r != m && out == null) {
                out = new ArrayList<>(messages.subList(0, i));
            }
            if (out != null) {
                out.add(r);
            }
        }
        return out == null ? Interception.proceed() : Interception.proceed(request.toBuilder().messages(out).build());
    }

    /** {@code m} with its text masked; {@code m} itself when nothing changed. */
    private Message redact(Message m) {
        if (!m.hasContent()) {
            return m;
        }
        if (!m.isMultipart()) {
            String text = m.text();
            String masked = redact(text);
            return masked.equals(text) ? m : m.toBuilder().content(masked).build();
        }
        List<ContentPart> parts = m.contentParts();
        List<ContentPart> out = null;
        for (int i = 0; i < parts.size(); i++) {
            ContentPart p = parts.get(i);
            ContentPart r = p;
            if (p instanceof TextPart t) {
                String masked = redact(t.text());
                if (!masked.equals(t.text())) {
                    r = TextPart.of(masked);
                }
            }
            if (r != p && out == null) {
                out = new ArrayList<>(parts.subList(0, i));
            }
            if (out != null) {
                out.add(r);
            }
        }
        return out == null ? m : m.toBuilder().contentParts(out).build();
    }

    @Override
    public String name() {
        return "prompt-redaction";
    }

    @Override
    public String toString() {
        return "PromptRedaction[email=" + emailMask + ", card=" + cardMask + "]";
    }

    /** Builds a {@link PromptRedaction}. Not thread-safe. */
    public static final class Builder {
        private String emailMask = DEFAULT_EMAIL_MASK;
        private String cardMask = DEFAULT_CARD_MASK;

        private Builder() {
        }

        /**
         * What an e-mail address is replaced with; default {@value PromptRedaction#DEFAULT_EMAIL_MASK}.
         *
         * @param mask the replacement, may be empty
         * @return this builder
         */
        public Builder emailMask(String mask) {
            this.emailMask = Objects.requireNonNull(mask, "mask");
            return this;
        }

        /**
         * What a card number is replaced with; default {@value PromptRedaction#DEFAULT_CARD_MASK}.
         *
         * @param mask the replacement, may be empty
         * @return this builder
         */
        public Builder cardMask(String mask) {
            this.cardMask = Objects.requireNonNull(mask, "mask");
            return this;
        }

        /** The interceptor. */
        public PromptRedaction build() {
            return new PromptRedaction(emailMask, cardMask);
        }
    }
}
