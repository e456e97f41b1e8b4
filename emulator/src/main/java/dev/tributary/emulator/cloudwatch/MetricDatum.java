package dev.tributary.emulator.cloudwatch;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One datum of a {@code PutMetricData} call, reduced to a statistic set: a single value counts as
 * a sample of one; a {@code Values}/{@code Counts} array is summed up.
 */
public record MetricDatum(String namespace, String metricName, Map<String, String> dimensions, Instant timestamp,
                          double sampleCount, double sum, double minimum, double maximum, String unit) {
    public MetricDatum {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(metricName, "metricName");
        dimensions = java.util.Collections.unmodifiableMap(new TreeMap<>(dimensions));
    }
}
