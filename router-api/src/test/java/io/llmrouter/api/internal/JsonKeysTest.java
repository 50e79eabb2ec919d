package io.llmrouter.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonKeysTest {

    private static final JsonKeys KEYS = new JsonKeys("a", "bb", "ccc");

    @Test
    void givenKeysInTheListedOrder_whenReadExpectingEachNext_thenEachIndexThenEnd() throws IOException {
        try (JsonParser p = parser("{\"a\":1,\"bb\":2,\"ccc\":3}")) {
            assertThat(KEYS.next(p, 0)).isZero();
            assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
            assertThat(KEYS.next(p, 1)).isEqualTo(1);
            p.nextToken();
            assertThat(KEYS.next(p, 2)).isEqualTo(2);
            assertThat(p.currentName()).isEqualTo("ccc");
            assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
            assertThat(p.getIntValue()).isEqualTo(3);
            assertThat(KEYS.next(p, 3)).isEqualTo(JsonKeys.END);
            assertThat(p.currentToken()).isEqualTo(JsonToken.END_OBJECT);
        }
    }

    @Test
    void givenAnotherKeyThanExpected_whenRead_thenItsOwnIndexOrOtherWithItsName() throws IOException {
        try (JsonParser p = parser("{\"ccc\":1,\"zz\":{\"a\":2},\"a\":3}")) {
            assertThat(KEYS.next(p, 0)).isEqualTo(2);
            p.nextToken();
            assertThat(KEYS.next(p, 0)).isEqualTo(JsonKeys.OTHER);
            assertThat(p.currentName()).isEqualTo("zz");
            p.nextToken();
            p.skipChildren();
            assertThat(KEYS.next(p, 1)).isZero();
            p.nextToken();
            assertThat(KEYS.next(p, 1)).isEqualTo(JsonKeys.END);
        }
    }

    @Test
    void givenExpectedOutOfRangeOrEscapedName_whenRead_thenLookedUpByName() throws IOException {
        try (JsonParser p = parser("{ \"b\\u0062\" : 1 , \"a\":2}")) {
            assertThat(KEYS.next(p, 1)).isEqualTo(1);
            p.nextToken();
            assertThat(KEYS.next(p, -1)).isZero();
            p.nextToken();
            assertThat(KEYS.next(p, 99)).isEqualTo(JsonKeys.END);
        }
    }

    @Test
    void givenPrefixOfExpectedKey_whenRead_thenNotTakenForIt() throws IOException {
        try (JsonParser p = parser("{\"b\":1,\"bbb\":2,\"bb\":3}")) {
            assertThat(KEYS.next(p, 1)).isEqualTo(JsonKeys.OTHER);
            assertThat(p.currentName()).isEqualTo("b");
            p.nextToken();
            assertThat(KEYS.next(p, 1)).isEqualTo(JsonKeys.OTHER);
            assertThat(p.currentName()).isEqualTo("bbb");
            p.nextToken();
            assertThat(KEYS.next(p, 1)).isEqualTo(1);
        }
    }

    @Test
    void givenDuplicateOrTooManyKeys_whenBuilt_thenRefused() {
        assertThatThrownBy(() -> new JsonKeys("a", "b", "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("key given twice: a");
        String[] many = new String[32];
        for (int i = 0; i < many.length; i++) {
            many[i] = "k" + i;
        }
        assertThatThrownBy(() -> new JsonKeys(many))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("at most 31 keys, got 32");
        assertThat(KEYS.size()).isEqualTo(3);
        assertThat(KEYS.name(2)).isEqualTo("ccc");
        assertThat(KEYS.indexOf("zz")).isEqualTo(JsonKeys.OTHER);
    }

    private static JsonParser parser(String json) throws IOException {
        JsonParser p = new JsonFactory().createParser(json.getBytes(StandardCharsets.UTF_8));
        assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
        return p;
    }
}
