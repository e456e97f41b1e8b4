package dev.tributary.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.protocol.AwsJsonDispatcher;
import dev.tributary.emulator.protocol.RawRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resources declared in an init file ({@code --init FILE}), created at start through the same
 * API path as a client's requests, so a CI job needs no set-up script. Existing resources are left
 * as they are, so a durable data directory can be restarted with the same file.
 *
 * <pre>{@code
 * {"kinesis": {"streams": [
 *    {"StreamName": "orders", "ShardCount": 2},
 *    {"StreamName": "events", "StreamModeDetails": {"StreamMode": "ON_DEMAND"},
 *     "account": "111111111111", "region": "eu-west-1"}]}}
 * }</pre>
 * Each stream entry is a CreateStream request, plus optional {@code account} and {@code region}.
 */
final class InitFile {
    private static final Logger LOG = LoggerFactory.getLogger(InitFile.class);

    private InitFile() {
    }

    static void apply(Path file, AwsJsonDispatcher dispatcher, String defaultAccount, String defaultRegion) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --init file " + file + ": " + e.getMessage(), e);
        }
        for (JsonNode stream : root.path("kinesis").path("streams")) {
            ObjectNode request = stream.deepCopy();
            String account = request.has("account") ? request.remove("account").asText() : defaultAccount;
            String region = request.has("region") ? request.remove("region").asText() : defaultRegion;
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("X-Amz-Target", List.of("Kinesis_20131202.CreateStream"));
            headers.put("Content-Type", List.of("application/x-amz-json-1.1"));
            headers.put("Authorization", List.of("AWS4-HMAC-SHA256 Credential=" + account + "/20000101/" + region
                    + "/kinesis/aws4_request, SignedHeaders=host, Signature=init"));
            AwsJsonDispatcher.Answer a = dispatcher.dispatch(new RawRequest("POST", "/", null, headers,
                    request.toString().getBytes(StandardCharsets.UTF_8)));
            String name = request.path("StreamName").asText();
            if (a.status() == 200) {
                LOG.info("init created stream={} account={} region={}", name, account, region);
            } else if ("ResourceInUseException".equals(a.errorCode())) {
                LOG.info("init found stream={} account={} region={}", name, account, region);
            } else {
                throw new IllegalArgumentException("--init could not create stream " + name + ": "
                        + new String(a.body(), StandardCharsets.UTF_8));
            }
        }
    }
}
