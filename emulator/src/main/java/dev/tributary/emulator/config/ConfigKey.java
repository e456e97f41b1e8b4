package dev.tributary.emulator.config;

/**
 * Every configuration key: its flag ({@code --name}), its environment variable
 * ({@code TRIBUTARY_NAME}, dashes as underscores), its default and one line of documentation.
 * The README's configuration table lists exactly these.
 */
public enum ConfigKey {
    LOG_LEVEL("log-level", "info",
            "error, warn, info or debug; debug logs one line per request (target, status, error, latency, sizes)."),
    INIT("init", "",
            "A JSON file of resources to create at start (see docs/init.md); existing ones are left as they are."),
    HOST("host", "127.0.0.1", "Address to listen on. 0.0.0.0 for every interface (the Docker image does)."),
    PORT("port", "4566", "Port of every AWS API, HTTP/1.1 and HTTP/2 cleartext (h2c). 0 picks a free port."),
    DATA_DIR("data-dir", "./tributary-data", "Directory of the durable store. Ignored with --in-memory."),
    IN_MEMORY("in-memory", "false", "Keep everything in memory (same semantics, nothing survives a restart)."),
    TLS("tls", "false",
            "Also accept TLS (HTTPS, h2 via ALPN) on the same port, told apart by the first bytes. The certificate "
                    + "is generated on first start in <data-dir>/tls/ (see docs/tls.md) unless --tls-keystore is given."),
    TLS_KEYSTORE("tls-keystore", "", "A PKCS#12 key store to serve TLS with, instead of the generated one."),
    TLS_KEYSTORE_PASSWORD("tls-keystore-password", "tributary", "The password of --tls-keystore."),
    ACCOUNT("account", "000000000000", "Account used when the access key id is not a 12-digit account number."),
    REGION("region", "us-east-1", "Region used when a request carries no SigV4 credential scope."),
    REQUIRE_AUTH("require-auth", "true",
            "Answer requests without an Authorization header with MissingAuthenticationTokenException, as AWS does."),
    VERIFY_SIGNATURES("verify-signatures", "false",
            "Verify every request's SigV4 signature against --credentials and refuse the rest "
                    + "(UnrecognizedClientException, InvalidSignatureException), so a shared instance keeps strangers out."),
    CREDENTIALS("credentials", "",
            "With --verify-signatures: the accepted key pairs, ACCESS_KEY_ID:SECRET separated by commas."),
    CREATE_STREAM_DELAY("create-stream-delay", "500ms", "How long a new stream stays CREATING. 0 for none."),
    DELETE_STREAM_DELAY("delete-stream-delay", "500ms", "How long a deleted stream stays DELETING. 0 for none."),
    UPDATE_STREAM_DELAY("update-stream-delay", "500ms",
            "How long a stream stays UPDATING after resharding or a mode change. 0 for none."),
    THROUGHPUT_LIMITS("throughput-limits", "false",
            "Enforce Kinesis per-shard limits (writes 1,000 records/s and 1 MiB/s; reads 5 calls/s and 2 MiB/s; "
                    + "GetShardIterator 5/s) on the virtual clock. Off by default, unlike AWS."),
    SHARD_LIMIT("shard-limit", "20000",
            "Open shards an account may have per region (AWS's default quota in us-east-1, us-west-2, eu-west-1)."),
    FSYNC("fsync", "interval",
            "When appended records are forced to disk: always (before the ack), interval, or never. "
                    + "Every acknowledged record is in the OS page cache before the ack, so a killed process loses none."),
    FSYNC_INTERVAL("fsync-interval", "1s", "With --fsync interval, how often dirty logs are forced to disk."),
    SEGMENT_BYTES("segment-bytes", "67108864", "Size at which a shard's log segment file rolls."),
    NODES("nodes", "1", "Broker nodes of the shard store, each with its own directory (docs/replication.md). "
            + "1 means no replication, the fastest."),
    REPLICATION_FACTOR("replication-factor", "1",
            "Copies of each shard (Kinesis) or partition, on distinct nodes; at most --nodes."),
    MIN_INSYNC_REPLICAS("min-insync-replicas", "1",
            "Writes are refused (Kinesis: ServiceUnavailable; Kafka: NOT_ENOUGH_REPLICAS) while fewer replicas are in sync."),
    REPLICA_LAG_TIME("replica-lag-time", "10s",
            "A follower not caught up with its leader for this long leaves the in-sync set (on the virtual clock)."),
    UNCLEAN_LEADER_ELECTION("unclean-leader-election", "false",
            "Let a replica outside the in-sync set lead when no in-sync one is running (losing records), as Kafka's "
                    + "unclean.leader.election.enable does."),
    MAX_REQUEST_BYTES("max-request-bytes", "67108864", "Largest request body accepted; larger ones get HTTP 413."),
    KAFKA_PORT("kafka-port", "9092",
            "Port of the Kafka protocol listener of broker 0; broker n listens on this port + n. 0 picks free ports, "
                    + "-1 turns Kafka off. With --port 0 and no --kafka-port, free ports too (see docs/kafka.md)."),
    KAFKA_ADVERTISED_HOST("kafka-advertised-host", "",
            "Host name Kafka clients are told to connect to (Metadata, GetBootstrapBrokers). Empty: --host, "
                    + "or localhost when --host is 0.0.0.0."),
    MSK_CREATE_CLUSTER_DELAY("msk-create-cluster-delay", "500ms",
            "How long a new MSK cluster stays CREATING. 0 for none."),
    MSK_DELETE_CLUSTER_DELAY("msk-delete-cluster-delay", "500ms",
            "How long a deleted MSK cluster stays DELETING. 0 for none."),
    FIREHOSE_LAMBDA("firehose-lambda", "",
            "Lambda functions for Firehose's Lambda processor: FUNCTION_ARN=URL pairs separated by commas; each "
                    + "invocation POSTs the transformation event to the URL (docs/firehose.md)."),
    MSK_REBOOT_BROKER_DELAY("msk-reboot-broker-delay", "5s",
            "How long a broker rebooted by MSK RebootBroker stays down (its Kafka listener closed); the cluster is "
                    + "REBOOTING_BROKER meanwhile.");

    private final String flag;
    private final String defaultValue;
    private final String doc;

    ConfigKey(String flag, String defaultValue, String doc) {
        this.flag = flag;
        this.defaultValue = defaultValue;
        this.doc = doc;
    }

    /** The command-line flag without dashes, e.g. {@code data-dir}. */
    public String flag() {
        return flag;
    }

    /** The environment variable, e.g. {@code TRIBUTARY_DATA_DIR}. */
    public String env() {
        return "TRIBUTARY_" + flag.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    public static ConfigKey ofFlag(String flag) {
        for (ConfigKey k : values()) {
            if (k.flag.equals(flag)) {
                return k;
            }
        }
        return null;
    }
}
