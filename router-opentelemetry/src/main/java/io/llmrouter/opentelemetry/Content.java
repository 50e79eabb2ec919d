package io.llmrouter.opentelemetry;

import io.llmrouter.api.chat.Message;
import java.util.List;

/**
 * Messages as the GenAI conventions' {@code gen_ai.input.messages} / {@code gen_ai.output.messages}
 * JSON: {@code [{"role":"user","parts":[{"type":"text","content":"..."}]}]}, text parts only.
 */
final class Content {

    private Content() {
    }

    static String messages(List<Message> messages) {
        StringBuilder out = new StringBuilder(64);
        out.append('[');
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"role\":");
            string(out, m.role().wireValue());
            out.append(",\"parts\":[{\"type\":\"text\",\"content\":");
            string(out, m.text());
            out.append("}]}");
        }
        return out.append(']').toString();
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
