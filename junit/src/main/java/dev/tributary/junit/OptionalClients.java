package dev.tributary.junit;

import java.net.URI;
import java.util.Set;
import software.amazon.awssdk.core.SdkClient;

/**
 * The clients of SDK modules a user may not have: Firehose and S3. They are known here by class
 * name only, so this class (and the extension) loads without them; the builders are in
 * {@link FirehoseClients} and {@link S3Clients}, which the JVM loads on their first call, that is
 * only once a test asked for such a client (and so has its class).
 *
 * <p>Thread-safe: stateless.
 */
final class OptionalClients {
    static final String FIREHOSE = "software.amazon.awssdk.services.firehose.FirehoseClient";
    static final String FIREHOSE_ASYNC = "software.amazon.awssdk.services.firehose.FirehoseAsyncClient";
    static final String S3 = "software.amazon.awssdk.services.s3.S3Client";
    static final String S3_ASYNC = "software.amazon.awssdk.services.s3.S3AsyncClient";
    private static final Set<String> TYPES = Set.of(FIREHOSE, FIREHOSE_ASYNC, S3, S3_ASYNC);

    private OptionalClients() {
    }

    /** True for a client type this extension can build (the caller holds the class, so its SDK module is there). */
    static boolean supports(Class<?> type) {
        return TYPES.contains(type.getName());
    }

    /** Whether an SDK client class is on the classpath this extension was loaded from. */
    static boolean available(String className) {
        try {
            Class.forName(className, false, OptionalClients.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** A new client of {@code type} for the endpoint; IllegalArgumentException if it is not one of ours. */
    static SdkClient build(Class<?> type, URI endpoint) {
        // A switch of direct calls, not method references: the builder classes are resolved only
        // when the matching case runs.
        return switch (type.getName()) {
            case FIREHOSE -> FirehoseClients.sync(endpoint);
            case FIREHOSE_ASYNC -> FirehoseClients.async(endpoint);
            case S3 -> S3Clients.sync(endpoint);
            case S3_ASYNC -> S3Clients.async(endpoint);
            default -> throw new IllegalArgumentException("no client of type " + type.getName());
        };
    }
}
