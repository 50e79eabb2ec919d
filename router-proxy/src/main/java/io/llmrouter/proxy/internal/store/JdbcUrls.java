package io.llmrouter.proxy.internal.store;

import java.util.regex.Pattern;

/** Takes passwords out of JDBC URLs (and of messages that quote one). */
public final class JdbcUrls {

    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)\\b(password|pwd|sslpassword|sslkeypassword)=[^&;\\s]*");
    private static final Pattern USER_INFO = Pattern.compile("//[^/@?;\\s]*@");

    private JdbcUrls() {
    }

    /**
     * The text with {@code password=...} parameters and {@code user:password@} user info masked.
     *
     * @param text a URL or a message
     * @return the text without them
     */
    public static String redact(String text) {
        String s = PASSWORD_PARAMETER.matcher(text).replaceAll("$1=****");
        return USER_INFO.matcher(s).replaceAll("//****@");
    }
}
