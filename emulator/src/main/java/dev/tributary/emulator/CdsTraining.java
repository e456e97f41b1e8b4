package dev.tributary.emulator;

import dev.tributary.emulator.config.EmulatorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Run once by the build with {@code -XX:ArchiveClassesAtExit}: starts an in-memory emulator,
 * sends the requests a typical client starts with (so their classes are loaded too), and exits.
 * The class-data-sharing archive it leaves ({@code emulator/target/tributary.jsa}) lets
 * {@code java -XX:SharedArchiveFile=emulator/target/tributary.jsa -jar emulator/target/tributary.jar}
 * start in about two thirds of the time (docs/benchmarks.md).
 */
public final class CdsTraining {
    private static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKIDTRAINING/20300101/us-east-1/kinesis/"
            + "aws4_request, SignedHeaders=host, Signature=00";

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        try (Tributary t = Tributary.start(EmulatorConfig.forTests())) {
            String endpoint = t.endpoint().toString();
            get(endpoint + "/_tributary/health");
            post(endpoint, "CreateStream", "{\"StreamName\":\"training\",\"ShardCount\":2}");
            post(endpoint, "DescribeStreamSummary", "{\"StreamName\":\"training\"}");
            post(endpoint, "PutRecord", "{\"StreamName\":\"training\",\"PartitionKey\":\"k\",\"Data\":\"AAAA\"}");
            post(endpoint, "PutRecords", "{\"StreamName\":\"training\",\"Records\":[{\"PartitionKey\":\"k\","
                    + "\"Data\":\"AAAA\"},{\"PartitionKey\":\"j\",\"Data\":\"AAAA\"}]}");
            post(endpoint, "ListShards", "{\"StreamName\":\"training\"}");
            String it = post(endpoint, "GetShardIterator", "{\"StreamName\":\"training\","
                    + "\"ShardId\":\"shardId-000000000000\",\"ShardIteratorType\":\"TRIM_HORIZON\"}");
            String iterator = it.replaceAll(".*\"ShardIterator\":\"([^\"]+)\".*", "$1");
            post(endpoint, "GetRecords", "{\"ShardIterator\":\"" + iterator + "\"}");
            post(endpoint, "DescribeStream", "{\"StreamName\":\"nope\"}");
        }
    }

    private static void get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try (InputStream in = c.getInputStream()) {
            in.readAllBytes();
        }
    }

    private static String post(String endpoint, String op, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/x-amz-json-1.1");
        c.setRequestProperty("X-Amz-Target", "Kinesis_20131202." + op);
        c.setRequestProperty("Authorization", AUTH);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream();
        try (in) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
