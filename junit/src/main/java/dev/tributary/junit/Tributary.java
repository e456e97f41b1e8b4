package dev.tributary.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against an in-memory Tributary on a free loopback port, started before the
 * first test and closed after the last (or, with {@link #perMethod}, one fresh server per test).
 * Test methods, lifecycle methods and constructors can declare parameters of these types:
 * {@link TributaryServer}, {@code software.amazon.awssdk.services.kinesis.KinesisClient},
 * {@code software.amazon.awssdk.services.kinesis.KinesisAsyncClient} and {@link java.net.URI} (the
 * endpoint).
 * <pre>{@code
 * @Tributary
 * class OrdersTest {
 *     @Test
 *     void putsAnOrder(KinesisClient kinesis) {
 *         kinesis.createStream(b -> b.streamName("orders").shardCount(1));
 *     }
 * }
 * }</pre>
 * The same settings are available programmatically through {@link TributaryExtension#builder()}
 * and {@code @RegisterExtension}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TributaryExtension.class)
public @interface Tributary {
    /** A fresh server (new port, empty state, its own clock) for every test method. */
    boolean perMethod() default false;

    /**
     * How long a new stream stays CREATING, in milliseconds of the server's clock (AWS takes
     * seconds). 0, the default, makes streams ACTIVE at once.
     */
    long createStreamDelayMillis() default 0;

    /**
     * Before each test, delete every stream and clear every injected fault of the shared server
     * ({@link TributaryServer#reset()}). Has no effect with {@link #perMethod}.
     */
    boolean resetBetweenTests() default false;

    /**
     * Broker nodes of the store (docs/replication.md). With more than one, every shard gets
     * {@link #replicationFactor()} copies and the server handle can stop and start nodes.
     */
    int nodes() default 1;

    /** Copies of each shard, at most {@link #nodes()}; writes need them all in sync but one. */
    int replicationFactor() default 1;
}
