package dev.tributary.emulator.kinesis;

/**
 * A stream as AWS addresses it: account, region and name. Streams are isolated per account and
 * region; the store knows a stream by {@link #storeKey()}.
 */
public record StreamRef(String account, String region, String name) {

    public String storeKey() {
        return account + "/" + region + "/" + name;
    }

    public String arn() {
        return "arn:aws:kinesis:" + region + ":" + account + ":stream/" + name;
    }

    /** The stream of a store key; null when the key is not one of ours. */
    public static StreamRef ofStoreKey(String key) {
        int a = key.indexOf('/');
        int b = a < 0 ? -1 : key.indexOf('/', a + 1);
        if (a < 0 || b < 0) {
            return null;
        }
        return new StreamRef(key.substring(0, a), key.substring(a + 1, b), key.substring(b + 1));
    }

    /** The prefix of every store key of an account and region. */
    public static String storeKeyPrefix(String account, String region) {
        return account + "/" + region + "/";
    }

    /** Parses {@code arn:aws:kinesis:<region>:<account>:stream/<name>}; null if it is not one. */
    public static StreamRef ofArn(String arn) {
        if (arn == null) {
            return null;
        }
        String[] parts = arn.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("kinesis")
                || !parts[5].startsWith("stream/")) {
            return null;
        }
        String rest = parts[5].substring("stream/".length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        if (name.isEmpty()) {
            return null;
        }
        return new StreamRef(parts[4], parts[3], name);
    }
}
