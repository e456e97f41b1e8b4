package dev.tributary.store.api;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An inclusive range of the unsigned 128-bit key space, [start, end].
 */
public record KeyRange(BigInteger start, BigInteger end) {
    /** 2^128 - 1, the largest key. */
    public static final BigInteger MAX_KEY = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    public KeyRange {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (start.signum() < 0 || end.compareTo(MAX_KEY) > 0 || start.compareTo(end) > 0) {
            throw new IllegalArgumentException("invalid key range [" + start + ", " + end + "]");
        }
    }

    /** The whole key space. */
    public static KeyRange all() {
        return new KeyRange(BigInteger.ZERO, MAX_KEY);
    }

    public boolean contains(BigInteger key) {
        return start.compareTo(key) <= 0 && key.compareTo(end) <= 0;
    }

    /** True when {@code other} starts right after this range ends, or ends right before it starts. */
    public boolean isAdjacentTo(KeyRange other) {
        return end.add(BigInteger.ONE).equals(other.start) || other.end.add(BigInteger.ONE).equals(start);
    }

    /** The smallest range covering both. Only meaningful for adjacent ranges. */
    public KeyRange union(KeyRange other) {
        return new KeyRange(start.min(other.start), end.max(other.end));
    }

    /**
     * {@code n} ranges splitting the whole key space evenly: step = floor(2^128 / n), range i is
     * [i * step, (i + 1) * step - 1], and the last range ends at 2^128 - 1.
     */
    public static List<KeyRange> evenSplit(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1: " + n);
        }
        BigInteger step = BigInteger.ONE.shiftLeft(128).divide(BigInteger.valueOf(n));
        List<KeyRange> ranges = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            BigInteger s = step.multiply(BigInteger.valueOf(i));
            BigInteger e = i == n - 1 ? MAX_KEY : s.add(step).subtract(BigInteger.ONE);
            ranges.add(new KeyRange(s, e));
        }
        return ranges;
    }
}
