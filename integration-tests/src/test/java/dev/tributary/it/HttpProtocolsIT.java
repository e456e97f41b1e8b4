package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.Http2Metric;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The one port speaks HTTP/2 cleartext with prior knowledge (what the SDK's Netty client opens on
 * an {@code http://} endpoint) and HTTP/1.1 with keep-alive (what Apache and URLConnection use).
 */
class HttpProtocolsIT {
    private static Tributary server;

    @BeforeAll
    static void startServer() {
        server = Tributary.start(EmulatorConfig.forTests());
    }

    @AfterAll
    static void stopServer() {
        Kit.stop(server);
    }

    /** Collects the metrics of the first API call. */
    private static final class FirstCall implements MetricPublisher {
        final CompletableFuture<MetricCollection> metrics = new CompletableFuture<>();

        @Override
        public void publish(MetricCollection collection) {
            metrics.complete(collection);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void nettyClientUsesHttp2WithPriorKnowledge() throws Exception {
        FirstCall publisher = new FirstCall();
        try (KinesisAsyncClient kinesis = Clients.nettyAsync(server.endpoint(), publisher)) {
            kinesis.createStream(b -> b.streamName("h2").shardCount(1)).get(30, TimeUnit.SECONDS);
            MetricCollection call = publisher.metrics.get(30, TimeUnit.SECONDS);
            List<String> clientNames = values(call, HttpMetric.HTTP_CLIENT_NAME);
            assertThat(clientNames).containsOnly("NettyNio");
            assertThat(values(call, HttpMetric.HTTP_STATUS_CODE)).containsOnly(200);
            // The Netty client reports stream flow-control windows only for HTTP/2 connections.
            assertThat(values(call, Http2Metric.REMOTE_STREAM_WINDOW_SIZE_IN_BYTES)).isNotEmpty();
            assertThat(values(call, Http2Metric.LOCAL_STREAM_WINDOW_SIZE_IN_BYTES)).isNotEmpty();

            // Many concurrent calls share the HTTP/2 connection.
            List<CompletableFuture<?>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(kinesis.describeStreamSummary(b -> b.streamName("h2")));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
    }

    private static <T> List<T> values(MetricCollection c, software.amazon.awssdk.metrics.SdkMetric<T> metric) {
        List<T> out = new ArrayList<>(c.metricValues(metric));
        c.children().forEach(child -> out.addAll(values(child, metric)));
        return out;
    }

    @Test
    void http2PrefaceIsAnsweredWithSettingsFrame() throws IOException {
        try (Socket socket = new Socket(server.endpoint().getHost(), server.endpoint().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // An empty SETTINGS frame: length 0, type 0x4, flags 0, stream 0.
            out.write(new byte[] {0, 0, 0, 0x4, 0, 0, 0, 0, 0});
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[9];
            in.readFully(header);
            int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
            assertThat(header[3]).as("frame type SETTINGS").isEqualTo((byte) 0x4);
            assertThat(header[4] & 0x1).as("not an ACK").isZero();
            assertThat(new byte[] {header[5], header[6], header[7], header[8]}).as("stream 0").containsOnly(0);
            assertThat(length % 6).as("settings are 6-byte entries").isZero();
        }
    }

    @Test
    void http11ConnectionServesRequestsOneAfterAnother() throws IOException {
        try (Socket socket = new Socket(server.endpoint().getHost(), server.endpoint().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                out.write(("GET /_tributary/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Response r = readResponse(in);
                assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
                assertThat(r.headers()).doesNotContain("connection: close");
                assertThat(r.body()).contains("\"status\":\"ready\"");
            }
            String body = "{}";
            String request = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-amz-json-1.1\r\n"
                    + "X-Amz-Target: Kinesis_20131202.ListStreams\r\n"
                    + "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/kinesis/"
                    + "aws4_request, SignedHeaders=host, Signature=0\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body;
            for (int i = 0; i < 2; i++) {
                out.write(request.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Response r = readResponse(in);
                assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
                assertThat(r.body()).startsWith("{\"StreamNames\":[").contains("\"HasMoreStreams\":false");
            }
        }
    }

    @Test
    void apacheClientMakesManySequentialCalls() {
        try (KinesisClient kinesis = Clients.open(new Clients.Kind(Clients.Transport.APACHE, false), server.endpoint())) {
            kinesis.createStream(b -> b.streamName("h1").shardCount(1));
            for (int i = 0; i < 100; i++) {
                assertThat(kinesis.describeStreamSummary(b -> b.streamName("h1")).streamDescriptionSummary()
                        .openShardCount()).isEqualTo(1);
            }
        }
    }

    /**
     * Clients keep idle HTTP/1.1 connections open (the JDK keeps URLConnection's in a global
     * cache even after the SDK client is closed); stopping the server must still work.
     */
    @Test
    void serverStopsWhileAClientHoldsAnIdleKeepAliveConnection() throws IOException {
        Tributary own = Tributary.start(EmulatorConfig.forTests());
        try (Socket socket = new Socket(own.endpoint().getHost(), own.endpoint().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /_tributary/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(socket.getInputStream()).statusLine()).isEqualTo("HTTP/1.1 200 OK");
            long t0 = System.nanoTime();
            own.close();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            // The server closed the idle connection.
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        } finally {
            Kit.stop(own);
        }
    }

    private record Response(String statusLine, String headers, String body) {
    }

    /** Reads one HTTP/1.1 response with a Content-Length body. */
    private static Response readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        int length = -1;
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        assertThat(length).as("Content-Length in %s", text).isGreaterThanOrEqualTo(0);
        byte[] body = new DataInputStream(in).readNBytes(length);
        return new Response(lines[0], text.toLowerCase(Locale.ROOT), new String(body, StandardCharsets.UTF_8));
    }
}
