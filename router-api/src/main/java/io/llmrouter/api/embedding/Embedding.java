package io.llmrouter.api.embedding;

import java.util.Arrays;
import java.util.Objects;

/**
 * One embedding vector and the index of the input it belongs to.
 *
 * <p>Immutable: the vector is copied in, and {@link #vector()} returns a copy; use
 * {@link #get(int)} and {@link #dimensions()} to read without copying. Thread-safe.
 *
 * @since 0.1.0
 */
public final class Embedding {

    private final int index;
    private final float[] vector;

    private Embedding(int index, float[] vector) {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, was " + index);
        }
        this.index = index;
        this.vector = vector;
    }

    /**
     * @param index the input's index
     * @param vector the vector (copied)
     * @return the embedding
     */
    public static Embedding of(int index, float[] vector) {
        return new Embedding(index, Objects.requireNonNull(vector, "vector").clone());
    }

    /** The index of the input this embedding belongs to. */
    public int index() {
        return index;
    }

    /** A copy of the vector. */
    public float[] vector() {
        return vector.clone();
    }

    /** Component {@code i} of the vector. */
    public float get(int i) {
        return vector[i];
    }

    /** The vector's length. */
    public int dimensions() {
        return vector.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Embedding e && index == e.index && Arrays.equals(vector, e.vector);
    }

    @Override
    public int hashCode() {
        return 31 * index + Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
        return "Embedding[index=" + index + ", dimensions=" + vector.length + "]";
    }
}
