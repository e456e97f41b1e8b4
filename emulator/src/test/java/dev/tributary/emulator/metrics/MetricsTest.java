package dev.tributary.emulator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void emptyRegistryRendersEveryFamilyHeader() {
        Metrics m = new Metrics();
        assertThat(m.scrape()).isEqualTo("""
                # HELP tributary_requests_total Requests answered, by service, operation and HTTP status.
                # TYPE tributary_requests_total counter
                # HELP tributary_request_errors_total Requests answered with an AWS error, by service, operation and error name.
                # TYPE tributary_request_errors_total counter
                # HELP tributary_request_duration_seconds Time to answer a request, by service and operation.
                # TYPE tributary_request_duration_seconds histogram
                # HELP tributary_records_in_total Records accepted by PutRecord and PutRecords.
                # TYPE tributary_records_in_total counter
                # HELP tributary_bytes_in_total Data bytes of the records accepted by PutRecord and PutRecords.
                # TYPE tributary_bytes_in_total counter
                # HELP tributary_records_out_total Records delivered by GetRecords and SubscribeToShard.
                # TYPE tributary_records_out_total counter
                # HELP tributary_bytes_out_total Data bytes of the records delivered by GetRecords and SubscribeToShard.
                # TYPE tributary_bytes_out_total counter
                """);
    }

    @Test
    void scrapeRendersCountersCumulativeHistogramAndGaugesExactly() {
        Metrics m = new Metrics();
        AtomicLong streams = new AtomicLong(2);
        m.gauge("tributary_streams", "Streams.", streams::get);
        m.gauge("tributary_open_shards", "Open shards.", () -> 5);
        m.request("kinesis", "PutRecord", 200, null, 2_000_000);          // 2 ms: le 0.005
        m.request("kinesis", "PutRecord", 200, null, 1_000_000);          // exactly 1 ms: le 0.001
        m.request("kinesis", "PutRecord", 400, "ResourceNotFoundException", 30_000_000); // le 0.05
        m.request("kinesis", "CreateStream", 200, null, 2_000_000_000L);  // 2 s: +Inf only
        m.recordsIn("orders", 3, 30);
        m.recordsIn("orders", 1, 5);
        m.recordsOut("orders", 4, 35);
        m.recordsOut("empty", 0, 0);
        streams.set(3);

        assertThat(m.scrape()).isEqualTo("""
                # HELP tributary_requests_total Requests answered, by service, operation and HTTP status.
                # TYPE tributary_requests_total counter
                tributary_requests_total{service="kinesis",operation="CreateStream",status="200"} 1
                tributary_requests_total{service="kinesis",operation="PutRecord",status="200"} 2
                tributary_requests_total{service="kinesis",operation="PutRecord",status="400"} 1
                # HELP tributary_request_errors_total Requests answered with an AWS error, by service, operation and error name.
                # TYPE tributary_request_errors_total counter
                tributary_request_errors_total{service="kinesis",operation="PutRecord",error="ResourceNotFoundException"} 1
                # HELP tributary_request_duration_seconds Time to answer a request, by service and operation.
                # TYPE tributary_request_duration_seconds histogram
                tributary_request_duration_seconds_bucket{service="kinesis",operation="CreateStream",le="0.001"} 0
                tributary_request_duration_seconds_bucket{service="kinesis",operation="CreateStream",le="0.005"} 0
                tributary_request_duration_seconds_bucket{service="kinesis",operation="CreateStream",le="0.01"} 0
                tributary_request_duration_seconds_bucket{service="kinesis",operation="CreateStream",le="0.025"} 0
                tributary_request_duration_seconds_bucket{service="kinesis",operation="CreateStream",le="0.05"} 0
                tributary_request_duration_seconds_bucket{service="kinesis",operation="CreateStream",le="0.1"} 0
                tributary_request_duration_seconds_bucket{service="kinesis",operation="CreateStream",le="0.25"} 0
                tributary_request_duration_seconds_bucket{service="kinesis",operation="CreateStream",le="0.5"} 0
                tributary_request_duration_seconds_bucket{service="kinesis",operation="CreateStream",le="1"} 0
                tributary_request_duration_seconds_bucket{service="kinesis",operation="CreateStream",le="+Inf"} 1
                tributary_request_duration_seconds_sum{service="kinesis",operation="CreateStream"} 2.0
                tributary_request_duration_seconds_count{service="kinesis",operation="CreateStream"} 1
                tributary_request_duration_seconds_bucket{service="kinesis",operation="PutRecord",le="0.001"} 1
                tributary_request_duration_seconds_bucket{service="kinesis",operation="PutRecord",le="0.005"} 2
                tributary_request_duration_seconds_bucket{service="kinesis",operation="PutRecord",le="0.01"} 2
                tributary_request_duration_seconds_bucket{service="kinesis",operation="PutRecord",le="0.025"} 2
                tributary_request_duration_seconds_bucket{service="kinesis",operation="PutRecord",le="0.05"} 3
                tributary_request_duration_seconds_bucket{service="kinesis",operation="PutRecord",le="0.1"} 3
                tributary_request_duration_seconds_bucket{service="kinesis",operation="PutRecord",le="0.25"} 3
                tributary_request_duration_seconds_bucket{service="kinesis",operation="PutRecord",le="0.5"} 3
                tributary_request_duration_seconds_bucket{service="kinesis",operation="PutRecord",le="1"} 3
                tributary_request_duration_seconds_bucket{service="kinesis",operation="PutRecord",le="+Inf"} 3
                tributary_request_duration_seconds_sum{service="kinesis",operation="PutRecord"} 0.033
                tributary_request_duration_seconds_count{service="kinesis",operation="PutRecord"} 3
                # HELP tributary_records_in_total Records accepted by PutRecord and PutRecords.
                # TYPE tributary_records_in_total counter
                tributary_records_in_total{stream="orders"} 4
                # HELP tributary_bytes_in_total Data bytes of the records accepted by PutRecord and PutRecords.
                # TYPE tributary_bytes_in_total counter
                tributary_bytes_in_total{stream="orders"} 35
                # HELP tributary_records_out_total Records delivered by GetRecords and SubscribeToShard.
                # TYPE tributary_records_out_total counter
                tributary_records_out_total{stream="orders"} 4
                # HELP tributary_bytes_out_total Data bytes of the records delivered by GetRecords and SubscribeToShard.
                # TYPE tributary_bytes_out_total counter
                tributary_bytes_out_total{stream="orders"} 35
                # HELP tributary_streams Streams.
                # TYPE tributary_streams gauge
                tributary_streams 3
                # HELP tributary_open_shards Open shards.
                # TYPE tributary_open_shards gauge
                tributary_open_shards 5
                """);
    }

    @Test
    void labelValuesEscapeBackslashQuoteAndNewline() {
        Metrics m = new Metrics();
        m.recordsIn("a\\b\"c\nd", 1, 1);
        assertThat(m.scrape()).contains("tributary_records_in_total{stream=\"a\\\\b\\\"c\\nd\"} 1\n");
    }

    @Test
    void gaugeRejectsDuplicateAndInvalidNames() {
        Metrics m = new Metrics();
        m.gauge("tributary_streams", "Streams.", () -> 0);
        assertThatThrownBy(() -> m.gauge("tributary_streams", "again", () -> 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gauge tributary_streams is already registered");
        assertThatThrownBy(() -> m.gauge("1bad", "x", () -> 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid metric name 1bad");
    }

    @Test
    void concurrentRecordingLosesNoCounts() throws Exception {
        Metrics m = new Metrics();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    m.request("kinesis", "GetRecords", 200, null, 100_000);
                    m.recordsOut("s", 2, 10);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        String text = m.scrape();
        assertThat(text).contains("tributary_requests_total{service=\"kinesis\",operation=\"GetRecords\",status=\"200\"} 80000\n")
                .contains("tributary_request_duration_seconds_count{service=\"kinesis\",operation=\"GetRecords\"} 80000\n")
                .contains("tributary_records_out_total{stream=\"s\"} 160000\n")
                .contains("tributary_bytes_out_total{stream=\"s\"} 800000\n");
    }
}
