package io.llmrouter.api.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Internal: not API, may change in any release. The known keys of one kind of JSON object, listed
 * in the order providers usually send them, for readers that walk a {@link JsonParser} by hand.
 *
 * <p>{@link #next(JsonParser, int)} first compares the input's bytes with the key expected next
 * ({@link JsonParser#nextFieldName(com.fasterxml.jackson.core.SerializableString)}), which skips the
 * parser's symbol-table lookup of the name and the reader's {@code String} switch on it. A key in
 * another order, or one not listed, is read and looked up as usual, so the order decides only the
 * speed, never the result. Immutable and thread-safe.
 */
public final class JsonKeys {

    /** {@link #next} found no further key: the object ended. */
    public static final int END = -1;

    /** {@link #next} found a key that is not listed; read it with {@link JsonParser#currentName()}. */
    public static final int OTHER = -2;

    private final SerializedString[] keys;

    /**
     * @param names the keys, distinct, at most 31 (so that a reader can keep the ones it has seen
     *     as bits of an {@code int}), in the order they usually come
     * @throws IllegalArgumentException if a key is given twice or there are more than 31
     */
    public JsonKeys(String... names) {
        if (names.length > 31) {
            throw new IllegalArgumentException("at most 31 keys, got " + names.length);
        }
        Set<String> distinct = new HashSet<>();
        keys = new SerializedString[names.length];
        for (int i = 0; i < names.length; i++) {
            if (!distinct.add(Objects.requireNonNull(names[i], "name"))) {
                throw new IllegalArgumentException("key given twice: " + names[i]);
            }
            keys[i] = new SerializedString(names[i]);
        }
    }

    /**
     * Advances {@code p} to the next token of the current object, which should be a key.
     *
     * @param p the parser, inside an object
     * @param expected the index of the key expected next (usually the one after the last key read);
     *     tried first by its bytes. Out of range tries none.
     * @return the index of the key, {@link #OTHER} for a key not listed, or {@link #END} when the next
     *     token is not a key (the object's end)
     * @throws IOException if the parser fails
     */
    public int next(JsonParser p, int expected) throws IOException {
        String name;
        if (expected >= 0 && expected < keys.length) {
            if (p.nextFieldName(keys[expected])) {
                return expected;
            }
            if (p.currentToken() != JsonToken.FIELD_NAME) {
                return END;
            }
            name = p.currentName();
        } else {
            name = p.nextFieldName();
            if (name == null) {
                return END;
            }
        }
        return indexOf(name);
    }

    /**
     * @param name a key
     * @return its index, or {@link #OTHER} if it is not listed
     */
    public int indexOf(String name) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].getValue().equals(name)) {
                return i;
            }
        }
        return OTHER;
    }

    /**
     * @param index an index of this table
     * @return the key at {@code index}
     */
    public String name(int index) {
        return keys[index].getValue();
    }

    /** @return the number of keys */
    public int size() {
        return keys.length;
    }
}
