package dev.tributary.it;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import io.netty.channel.nio.NioEventLoopGroup;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Builds the real AWS SDK v2 Kinesis clients the integration tests run against: three HTTP
 * stacks (Apache, URLConnection, Netty async over h2c) times two wire formats (CBOR, the SDK's
 * default for Kinesis, and JSON).
 *
 * <p>SDK 2.52 has no per-client CBOR switch: {@code AwsCborProtocolFactory} reads
 * {@code SdkSystemSetting.CBOR_ENABLED} (system property {@code aws.cborEnabled}) once, when the
 * client is built, and keeps it. So a JSON client is built with that property set to false and
 * the previous value restored afterwards; building is serialized so concurrent builds cannot see
 * each other's setting.
 *
 * <p>Every client comes back as a {@link KinesisClient}. An async client is adapted by a proxy
 * that calls the same-named method of {@link KinesisAsyncClient} and waits for it, unwrapping the
 * {@code CompletionException} so tests see the same exception types from every client.
 */
public final class Clients {
    public static final Region REGION = Region.US_EAST_1;
    public static final String ACCOUNT = "000000000000";
    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "secret"));

    private static final String CBOR_PROPERTY = "aws.cborEnabled";
    private static final Object BUILD_LOCK = new Object();

    /** The HTTP stack of a client. */
    public enum Transport {
        APACHE, URL_CONNECTION, NETTY
    }

    /** One combination of the matrix. */
    public record Kind(Transport transport, boolean cbor) {
        @Override
        public String toString() {
            return transport.name().toLowerCase(java.util.Locale.ROOT) + (cbor ? "+cbor" : "+json");
        }
    }

    private Clients() {
    }

    /** Every combination, for {@code @MethodSource("dev.tributary.it.Clients#kinds")}. */
    public static Stream<Kind> kinds() {
        return Stream.of(Transport.values()).flatMap(t -> Stream.of(new Kind(t, true), new Kind(t, false)));
    }

    /** The default client of the tests that do not vary the client: Apache with CBOR. */
    public static KinesisClient apache(URI endpoint) {
        return open(new Kind(Transport.APACHE, true), endpoint);
    }

    public static KinesisClient open(Kind kind, URI endpoint) {
        return open(kind, endpoint, true);
    }

    /**
     * @param retries false for a client that never retries, for tests that must know whether a
     *                request was acknowledged exactly once
     */
    public static KinesisClient open(Kind kind, URI endpoint, boolean retries) {
        synchronized (BUILD_LOCK) {
            String previous = System.getProperty(CBOR_PROPERTY);
            System.setProperty(CBOR_PROPERTY, Boolean.toString(kind.cbor()));
            try {
                return build(kind, endpoint, retries);
            } finally {
                if (previous == null) {
                    System.clearProperty(CBOR_PROPERTY);
                } else {
                    System.setProperty(CBOR_PROPERTY, previous);
                }
            }
        }
    }

    /** The Netty async client as such, for tests of the HTTP/2 transport itself. */
    public static KinesisAsyncClient nettyAsync(URI endpoint,
                                                software.amazon.awssdk.metrics.MetricPublisher publisher) {
        return KinesisAsyncClient.builder()
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .endpointOverride(endpoint)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(c -> c.addMetricPublisher(publisher))
                .build();
    }

    private static KinesisClient build(Kind kind, URI endpoint, boolean retries) {
        switch (kind.transport()) {
            case APACHE:
                return KinesisClient.builder().region(REGION).credentialsProvider(CREDENTIALS).endpointOverride(endpoint)
                        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16))
                        .overrideConfiguration(c -> {
                            c.apiCallTimeout(Duration.ofSeconds(60));
                            if (!retries) {
                                c.retryStrategy(AwsRetryStrategy.doNotRetry());
                            }
                        })
                        .build();
            case URL_CONNECTION:
                return KinesisClient.builder().region(REGION).credentialsProvider(CREDENTIALS).endpointOverride(endpoint)
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .overrideConfiguration(c -> {
                            c.apiCallTimeout(Duration.ofSeconds(60));
                            if (!retries) {
                                c.retryStrategy(AwsRetryStrategy.doNotRetry());
                            }
                        })
                        .build();
            case NETTY:
                // Our own event loop, shut down without Netty's 2 s quiet period when the client closes,
                // so the client's connections are gone by the time the test stops the server.
                NioEventLoopGroup loop = new NioEventLoopGroup(2);
                KinesisAsyncClient async = KinesisAsyncClient.builder().region(REGION).credentialsProvider(CREDENTIALS)
                        .endpointOverride(endpoint)
                        .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                                .eventLoopGroup(SdkEventLoopGroup.create(loop)))
                        .overrideConfiguration(c -> {
                            c.apiCallTimeout(Duration.ofSeconds(60));
                            if (!retries) {
                                c.retryStrategy(AwsRetryStrategy.doNotRetry());
                            }
                        })
                        .build();
                return syncView(async, () -> loop.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly());
            default:
                throw new IllegalArgumentException(kind.toString());
        }
    }

    /** A {@link KinesisClient} whose every call goes to {@code async} and waits for the answer. */
    static KinesisClient syncView(KinesisAsyncClient async, Runnable afterClose) {
        InvocationHandler handler = new InvocationHandler() {
            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                switch (method.getName()) {
                    case "close":
                        async.close();
                        afterClose.run();
                        return null;
                    case "serviceName":
                        return async.serviceName();
                    case "toString":
                        return "sync view of " + async;
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    default:
                        break;
                }
                Method target = KinesisAsyncClient.class.getMethod(method.getName(), method.getParameterTypes());
                Object result;
                try {
                    result = target.invoke(async, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
                if (!(result instanceof CompletableFuture<?> future)) {
                    throw new UnsupportedOperationException("not adapted: " + method);
                }
                try {
                    return future.get();
                } catch (ExecutionException | CompletionException e) {
                    throw e.getCause();
                }
            }
        };
        return (KinesisClient) Proxy.newProxyInstance(Clients.class.getClassLoader(),
                new Class<?>[] {KinesisClient.class}, handler);
    }
}
