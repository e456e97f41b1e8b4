package dev.tributary.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The "ceiling" target: a Kinesis endpoint that stores nothing. It uses the same Jetty set-up as
 * Tributary's front end (HTTP/1.1 + h2c, same thread pool, whole body read before answering) and
 * answers PutRecords with a canned success of the right record count (counted with a streaming
 * parser that skips record contents), so a load run against it measures what the client and the
 * HTTP layer allow on this machine. Also answers just enough of CreateStream,
 * DescribeStreamSummary, ListShards, GetShardIterator and GetRecords for the load tool's set-up.
 * <p>
 * {@code java -cp tributary-bench.jar dev.tributary.bench.CeilingServer --port 4599}
 */
public final class CeilingServer {
    private static final String SEQUENCE = "49655446812278440934263347512847474883419931185346707458";
    private static final String SHARD_ID = "shardId-000000000000";
    private static final int SHARDS = 4;

    private CeilingServer() {
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 4599;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--host" -> host = args[i + 1];
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (!InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalArgumentException("the ceiling server listens on loopback only");
        }
        Server server = start(host, port);
        System.out.println("ceiling listening on http://" + host + ":" + ((ServerConnector) server.getConnectors()[0])
                .getLocalPort());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                System.err.println("stop failed: " + e);
            }
            stopped.countDown();
        }));
        stopped.await();
    }

    static Server start(String host, int port) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(256, 8);
        threads.setName("ceiling-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
        h2c.setMaxConcurrentStreams(1024);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http), h2c);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(300_000);
        server.addConnector(connector);
        server.setHandler(new CannedHandler());
        server.start();
        return server;
    }

    static final class CannedHandler extends Handler.Abstract {
        private final JsonFactory json = new JsonFactory();
        private final CBORFactory cbor = new CBORFactory();
        private final ObjectMapper jsonMapper = new ObjectMapper(json);
        private final ObjectMapper cborMapper = new ObjectMapper(cbor);
        private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String target = String.valueOf(request.getHeaders().get("X-Amz-Target"));
            String contentType = String.valueOf(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
            boolean isCbor = contentType.contains("cbor");
            byte[] body = Content.Source.asByteArrayAsync(request, 64 << 20).get();
            String op = target.substring(target.indexOf('.') + 1);
            byte[] answer;
            int status = 200;
            switch (op) {
                case "PutRecords" -> {
                    int n = countRecords(isCbor ? cbor : json, body);
                    answer = cache.computeIfAbsent((isCbor ? "c" : "j") + n, k -> encode(isCbor, putRecords(n)));
                }
                case "PutRecord" -> answer = cached(isCbor, op, () -> entry());
                case "CreateStream", "DeleteStream" -> answer = cached(isCbor, "Empty", LinkedHashMap::new);
                case "DescribeStreamSummary" -> answer = cached(isCbor, op, CannedHandler::summary);
                case "ListShards" -> answer = cached(isCbor, op, CannedHandler::listShards);
                case "GetShardIterator" -> answer = cached(isCbor, op, () -> Map.of("ShardIterator", "ceiling"));
                case "GetRecords" -> answer = cached(isCbor, op, () -> Map.of("Records", List.of(),
                        "NextShardIterator", "ceiling", "MillisBehindLatest", 0));
                default -> {
                    status = 400;
                    answer = cached(isCbor, "Unknown", () -> Map.of("__type", "UnknownOperationException"));
                }
            }
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE,
                    isCbor ? "application/x-amz-cbor-1.1" : "application/x-amz-json-1.1");
            response.getHeaders().put("x-amzn-RequestId", UUID.randomUUID().toString());
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.length);
            response.write(true, ByteBuffer.wrap(answer), callback);
            return true;
        }

        private byte[] cached(boolean isCbor, String key, java.util.function.Supplier<Map<String, Object>> value) {
            return cache.computeIfAbsent((isCbor ? "c" : "j") + key, k -> encode(isCbor, value.get()));
        }

        private byte[] encode(boolean isCbor, Object value) {
            try {
                return (isCbor ? cborMapper : jsonMapper).writeValueAsBytes(value);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The length of the top-level "Records" array, skipping over each record's contents. */
        static int countRecords(JsonFactory factory, byte[] body) throws IOException {
            try (JsonParser p = factory.createParser(body)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return 0;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if ("Records".equals(name) && value == JsonToken.START_ARRAY) {
                        int n = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            n++;
                            p.skipChildren();
                        }
                        return n;
                    }
                    p.skipChildren();
                }
                return 0;
            }
        }

        private static Map<String, Object> entry() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("SequenceNumber", SEQUENCE);
            m.put("ShardId", SHARD_ID);
            return m;
        }

        private static Map<String, Object> putRecords(int n) {
            List<Object> records = new ArrayList<>(n);
            Map<String, Object> e = entry();
            for (int i = 0; i < n; i++) {
                records.add(e);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("FailedRecordCount", 0);
            m.put("Records", records);
            return m;
        }

        private static Map<String, Object> summary() {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("StreamName", "bench");
            s.put("StreamARN", "arn:aws:kinesis:us-east-1:000000000000:stream/bench");
            s.put("StreamStatus", "ACTIVE");
            s.put("RetentionPeriodHours", 24);
            s.put("EnhancedMonitoring", List.of());
            s.put("OpenShardCount", SHARDS);
            return Map.of("StreamDescriptionSummary", s);
        }

        private static Map<String, Object> listShards() {
            List<Object> shards = new ArrayList<>();
            for (int i = 0; i < SHARDS; i++) {
                shards.add(Map.of("ShardId", String.format("shardId-%012d", i),
                        "HashKeyRange", Map.of("StartingHashKey", "0", "EndingHashKey", "1"),
                        "SequenceNumberRange", Map.of("StartingSequenceNumber", SEQUENCE)));
            }
            return Map.of("Shards", shards);
        }
    }
}
