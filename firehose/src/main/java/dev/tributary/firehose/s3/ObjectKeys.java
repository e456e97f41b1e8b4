package dev.tributary.firehose.s3;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * S3 object keys as Firehose builds them (docs/research/firehose-analytics.md 1.2.1, 1.2.2):
 * {@code <evaluated prefix><stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid><extension>}.
 *
 * <ul>
 * <li>{@code !{timestamp:<DateTimeFormatter pattern>}} evaluates to the arrival time of the
 * oldest record in the object, in the stream's time zone (UTC unless {@code CustomTimeZone});
 * every timestamp expression of one key uses that same instant.</li>
 * <li>{@code !{firehose:random-string}}: 11 random characters, new for each occurrence.</li>
 * <li>{@code !{firehose:error-output-type}}: only in the error prefix.</li>
 * <li>{@code !{partitionKeyFromQuery:<key>}}: with dynamic partitioning only, the object's value
 * of that partition key; such a prefix gets no default time prefix.</li>
 * <li>A prefix with no timestamp expression gets {@code !{timestamp:yyyy/MM/dd/HH/}} appended,
 * concatenated as is (no slash inserted: {@code legacy} gives {@code legacy2026/07/13/14/}, as
 * probed against AWS, floci-io/floci#1857).</li>
 * </ul>
 * Stateless; thread-safe.
 */
public final class ObjectKeys {
    /** What a prefix without timestamp expression gets appended. */
    public static final String DEFAULT_TIME_PATTERN = "yyyy/MM/dd/HH/";
    private static final DateTimeFormatter SUFFIX_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss",
            Locale.ROOT);
    private static final String RANDOM_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    /** The longest prefix AWS accepts once evaluated. */
    public static final int MAX_PREFIX_LENGTH = 512;

    private ObjectKeys() {
    }

    /** One piece of a prefix: literal text, or an expression {@code !{namespace:value}}. */
    public record Part(String literal, String namespace, String value) {
        boolean isExpression() {
            return namespace != null;
        }
    }

    /**
     * Splits a prefix into literal text and expressions.
     *
     * @throws IllegalArgumentException (with AWS-style text) for a {@code !{} that does not start
     *                                  a well-formed expression
     */
    public static List<Part> parse(String prefix) {
        List<Part> parts = new ArrayList<>();
        if (prefix == null) {
            return parts;
        }
        int i = 0;
        StringBuilder literal = new StringBuilder();
        while (i < prefix.length()) {
            int start = prefix.indexOf("!{", i);
            if (start < 0) {
                literal.append(prefix, i, prefix.length());
                break;
            }
            literal.append(prefix, i, start);
            int end = prefix.indexOf('}', start);
            int colon = prefix.indexOf(':', start);
            if (end < 0 || colon < 0 || colon > end) {
                throw new IllegalArgumentException("The expression at position " + start + " of prefix "
                        + prefix + " is malformed. Expressions look like !{namespace:value}.");
            }
            if (literal.length() > 0) {
                parts.add(new Part(literal.toString(), null, null));
                literal.setLength(0);
            }
            parts.add(new Part(null, prefix.substring(start + 2, colon), prefix.substring(colon + 1, end)));
            i = end + 1;
        }
        if (literal.length() > 0) {
            parts.add(new Part(literal.toString(), null, null));
        }
        return parts;
    }

    /** True when the prefix holds any {@code !{...}} expression. */
    public static boolean hasExpressions(String prefix) {
        return prefix != null && prefix.contains("!{");
    }

    /**
     * Checks {@code Prefix} and {@code ErrorOutputPrefix} as CreateDeliveryStream and
     * UpdateDestination do. Returns the problem in words, or null when both are fine.
     */
    public static String validate(String prefix, String errorOutputPrefix) {
        return validate(prefix, errorOutputPrefix, false);
    }

    /**
     * As {@link #validate(String, String)}; with {@code dynamicPartitioning},
     * {@code !{partitionKeyFromQuery:key}} is allowed in {@code Prefix} and {@code ErrorOutputPrefix}
     * is required.
     */
    public static String validate(String prefix, String errorOutputPrefix, boolean dynamicPartitioning) {
        try {
            if (dynamicPartitioning && (errorOutputPrefix == null || errorOutputPrefix.isEmpty())) {
                return "ErrorOutputPrefix is required when dynamic partitioning is enabled.";
            }
            for (Part p : parse(prefix)) {
                if (p.isExpression()) {
                    String problem = checkExpression(p, false, dynamicPartitioning);
                    if (problem != null) {
                        return problem;
                    }
                }
            }
            boolean errorHasExpressions = false;
            boolean errorHasType = false;
            for (Part p : parse(errorOutputPrefix)) {
                if (p.isExpression()) {
                    errorHasExpressions = true;
                    String problem = checkExpression(p, true, dynamicPartitioning);
                    if (problem != null) {
                        return problem;
                    }
                    errorHasType |= p.namespace().equals("firehose") && p.value().equals("error-output-type");
                }
            }
            if (hasExpressions(prefix) && (errorOutputPrefix == null || errorOutputPrefix.isEmpty())) {
                return "ErrorOutputPrefix can't be null when Prefix contains expressions";
            }
            if (errorHasExpressions && !errorHasType) {
                return "ErrorOutputPrefix must contain !{firehose:error-output-type} when it contains expressions";
            }
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    private static String checkExpression(Part p, boolean errorPrefix, boolean dynamicPartitioning) {
        switch (p.namespace()) {
            case "timestamp" -> {
                try {
                    DateTimeFormatter.ofPattern(p.value(), Locale.ROOT).format(Instant.EPOCH.atZone(ZoneOffset.UTC));
                    return null;
                } catch (IllegalArgumentException | java.time.DateTimeException e) {
                    return "The timestamp format " + p.value() + " is not a valid java.time.format.DateTimeFormatter"
                            + " pattern.";
                }
            }
            case "firehose" -> {
                if (p.value().equals("random-string")) {
                    return null;
                }
                if (p.value().equals("error-output-type")) {
                    return errorPrefix ? null
                            : "The expression !{firehose:error-output-type} is allowed only in ErrorOutputPrefix.";
                }
                return "Unknown firehose expression !{firehose:" + p.value() + "}.";
            }
            case "partitionKeyFromQuery", "partitionKeyFromLambda" -> {
                if (errorPrefix) {
                    return "Partition key expressions are not allowed in ErrorOutputPrefix.";
                }
                if (!dynamicPartitioning) {
                    return "The expression !{" + p.namespace() + ":" + p.value()
                            + "} is allowed only when dynamic partitioning is enabled.";
                }
                return null;
            }
            default -> {
                return "Unknown expression namespace " + p.namespace() + " in !{" + p.namespace() + ":" + p.value()
                        + "}.";
            }
        }
    }

    /**
     * The evaluated {@code Prefix} for an object whose oldest record arrived at {@code oldest}:
     * with {@value #DEFAULT_TIME_PATTERN} appended when it has no timestamp expression.
     */
    public static String evaluatePrefix(String prefix, Instant oldest, ZoneId zone, RandomGenerator random) {
        return evaluatePrefix(prefix, oldest, zone, random, null);
    }

    /**
     * The evaluated {@code Prefix} of an object of a dynamically partitioned stream: each
     * {@code !{partitionKeyFromQuery:key}} becomes the object's value of {@code key}. With
     * {@code partitionKeys} null (no dynamic partitioning), as {@link #evaluatePrefix(String,
     * Instant, ZoneId, RandomGenerator)}. With dynamic partitioning no default time prefix is
     * appended: the prefix is the partitioning scheme (AWS's examples, e.g.
     * {@code customer_id=!{partitionKeyFromQuery:customer_id}/}, end in the object name directly).
     */
    public static String evaluatePrefix(String prefix, Instant oldest, ZoneId zone, RandomGenerator random,
                                        Map<String, String> partitionKeys) {
        List<Part> parts = parse(prefix);
        boolean hasTimestamp = parts.stream().anyMatch(p -> p.isExpression() && p.namespace().equals("timestamp"));
        if (!hasTimestamp && partitionKeys == null) {
            parts = new ArrayList<>(parts);
            parts.add(new Part(null, "timestamp", DEFAULT_TIME_PATTERN));
        }
        return evaluate(parts, oldest, zone, random, null, partitionKeys);
    }

    /** The keys a prefix's {@code !{partitionKeyFromQuery:key}} expressions name, in order. */
    public static Set<String> partitionKeysIn(String prefix) {
        return keysIn(prefix, "partitionKeyFromQuery");
    }

    /**
     * The keys a prefix's {@code !{partitionKeyFromLambda:key}} expressions name, in order. In a
     * partition-key map given to {@link #evaluatePrefix(String, Instant, ZoneId, RandomGenerator, Map)}
     * their values are under {@value #LAMBDA_KEY}{@code key}; query keys are under their bare names.
     */
    public static Set<String> lambdaPartitionKeysIn(String prefix) {
        return keysIn(prefix, "partitionKeyFromLambda");
    }

    /** The map key of a Lambda partition key's value (query keys go by their bare names). */
    public static final String LAMBDA_KEY = "partitionKeyFromLambda:";

    private static Set<String> keysIn(String prefix, String namespace) {
        Set<String> keys = new LinkedHashSet<>();
        for (Part p : parse(prefix)) {
            if (p.isExpression() && p.namespace().equals(namespace)) {
                keys.add(p.value());
            }
        }
        return keys;
    }

    /**
     * The evaluated {@code ErrorOutputPrefix} for records that failed with {@code errorType} (e.g.
     * {@code processing-failed}). Without an error prefix, AWS uses
     * {@code <prefix><error-output-type>/yyyy/MM/dd/HH/}.
     */
    public static String evaluateErrorPrefix(String errorOutputPrefix, String prefix, String errorType,
                                             Instant oldest, ZoneId zone, RandomGenerator random) {
        if (errorOutputPrefix == null || errorOutputPrefix.isEmpty()) {
            String base = prefix == null ? "" : prefix;
            return base + errorType + "/" + DateTimeFormatter.ofPattern(DEFAULT_TIME_PATTERN, Locale.ROOT)
                    .format(oldest.atZone(zone));
        }
        List<Part> parts = parse(errorOutputPrefix);
        boolean hasTimestamp = parts.stream().anyMatch(p -> p.isExpression() && p.namespace().equals("timestamp"));
        if (!hasTimestamp) {
            parts = new ArrayList<>(parts);
            parts.add(new Part(null, "timestamp", DEFAULT_TIME_PATTERN));
        }
        return evaluate(parts, oldest, zone, random, errorType, null);
    }

    private static String evaluate(List<Part> parts, Instant oldest, ZoneId zone, RandomGenerator random,
                                   String errorType, Map<String, String> partitionKeys) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            if (!p.isExpression()) {
                out.append(p.literal());
            } else if (p.namespace().equals("timestamp")) {
                out.append(DateTimeFormatter.ofPattern(p.value(), Locale.ROOT).format(oldest.atZone(zone)));
            } else if (p.value().equals("random-string")) {
                out.append(randomString(random));
            } else if (p.value().equals("error-output-type") && errorType != null) {
                out.append(errorType);
            } else if (p.namespace().equals("partitionKeyFromQuery") && partitionKeys != null
                    && partitionKeys.containsKey(p.value())) {
                out.append(partitionKeys.get(p.value()));
            } else if (p.namespace().equals("partitionKeyFromLambda") && partitionKeys != null
                    && partitionKeys.containsKey(LAMBDA_KEY + p.value())) {
                out.append(partitionKeys.get(LAMBDA_KEY + p.value()));
            } else {
                throw new IllegalArgumentException("cannot evaluate !{" + p.namespace() + ":" + p.value() + "}");
            }
        }
        return out.toString();
    }

    /** 11 characters, as {@code !{firehose:random-string}} gives. */
    public static String randomString(RandomGenerator random) {
        char[] c = new char[11];
        for (int i = 0; i < c.length; i++) {
            c[i] = RANDOM_ALPHABET.charAt(random.nextInt(RANDOM_ALPHABET.length()));
        }
        return new String(c);
    }

    /**
     * The part of the key AWS does not let you change:
     * {@code <stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid><extension>}.
     */
    public static String objectName(String streamName, long version, Instant oldest, ZoneId zone, UUID uuid,
                                    String extension) {
        return streamName + "-" + version + "-" + SUFFIX_TIME.format(oldest.atZone(zone)) + "-" + uuid
                + (extension == null ? "" : extension);
    }
}
