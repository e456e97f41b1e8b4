package dev.tributary.emulator.kinesis;

/** Kinesis shard ids: {@code shardId-} and the shard index as 12 zero-padded digits. */
public final class ShardIds {
    private static final String PREFIX = "shardId-";

    private ShardIds() {
    }

    private static final String[] CACHED = new String[1024];

    static {
        for (int i = 0; i < CACHED.length; i++) {
            CACHED[i] = pad(i);
        }
    }

    public static String format(int index) {
        return index >= 0 && index < CACHED.length ? CACHED[index] : pad(index);
    }

    private static String pad(int index) {
        String digits = Integer.toString(index);
        return PREFIX + "0".repeat(Math.max(0, 12 - digits.length())) + digits;
    }

    /**
     * The index of a shard id as AWS reads it: the digits after the last {@code -} (or the whole id
     * without one), at most 2147483647, so {@code shardId-5}, {@code shard-0005} and {@code 5} are
     * all shard 5. Anything else is -1.
     */
    public static int parse(String shardId) {
        if (shardId == null) {
            return -1;
        }
        String digits = shardId.substring(shardId.lastIndexOf('-') + 1);
        if (digits.isEmpty() || digits.length() > 20) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        long v = Long.parseLong(digits);
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }
}
