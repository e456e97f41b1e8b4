package dev.tributary.emulator.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Kafka error codes injected on partitions through the test-control API
 * ({@code POST /_tributary/faults/kafka}): the next {@code calls} Produce, Fetch or ListOffsets
 * partition answers matching a rule get its error instead of being served (a Produce is then not
 * appended), so a test sees a client's retry and refresh behaviour for any error code.
 *
 * <p>Thread-safe (synchronized; checked once per partition of a request).
 */
public final class KafkaFaults {
    /** One rule, as the control API shows it. */
    public record View(long id, String topic, int partition, String api, String error, int callsLeft) {
    }

    private static final class Rule {
        final long id;
        final String topic;
        final int partition;
        final ApiKeys api;
        final Errors error;
        int callsLeft;

        Rule(long id, String topic, int partition, ApiKeys api, Errors error, int calls) {
            this.id = id;
            this.topic = topic;
            this.partition = partition;
            this.api = api;
            this.error = error;
            this.callsLeft = calls;
        }

        View view() {
            return new View(id, topic, partition, api == null ? null : api.name, error.name(), callsLeft);
        }
    }

    private final List<Rule> rules = new ArrayList<>();
    private long nextId = 1;

    /**
     * Adds a rule.
     *
     * @param topic     the topic, or null for any
     * @param partition the partition, or -1 for any
     * @param api       {@code Produce}, {@code Fetch} or {@code ListOffsets}, or null for any of them
     * @param error     a name of Kafka's {@link Errors}, e.g. {@code NOT_ENOUGH_REPLICAS}
     * @param calls     how many partition answers it affects, at least 1
     * @throws IllegalArgumentException on an unknown API or error name
     */
    public synchronized View add(String topic, int partition, String api, String error, int calls) {
        ApiKeys key = null;
        if (api != null) {
            key = switch (api.toLowerCase(Locale.ROOT)) {
                case "produce" -> ApiKeys.PRODUCE;
                case "fetch" -> ApiKeys.FETCH;
                case "listoffsets" -> ApiKeys.LIST_OFFSETS;
                default -> throw new IllegalArgumentException("api must be Produce, Fetch or ListOffsets: " + api);
            };
        }
        Errors e;
        try {
            e = Errors.valueOf(error == null ? "" : error.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException notAName) {
            throw new IllegalArgumentException("error must be a Kafka error name such as NOT_ENOUGH_REPLICAS: " + error);
        }
        if (e == Errors.NONE || calls < 1) {
            throw new IllegalArgumentException("error must not be NONE and calls must be at least 1");
        }
        Rule r = new Rule(nextId++, topic, partition, key, e, calls);
        rules.add(r);
        return r.view();
    }

    /** The error to answer for this partition instead of serving it, or null; consumes one call of the rule. */
    synchronized Errors check(ApiKeys api, String topic, int partition) {
        if (rules.isEmpty()) {
            return null;
        }
        for (Rule r : rules) {
            if ((r.api == null || r.api == api) && (r.topic == null || r.topic.equals(topic))
                    && (r.partition < 0 || r.partition == partition)) {
                if (--r.callsLeft <= 0) {
                    rules.remove(r);
                }
                return r.error;
            }
        }
        return null;
    }

    public synchronized List<View> list() {
        return rules.stream().map(Rule::view).toList();
    }

    public synchronized void clear() {
        rules.clear();
    }
}
