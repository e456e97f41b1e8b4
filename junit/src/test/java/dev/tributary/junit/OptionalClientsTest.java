package dev.tributary.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.firehose.FirehoseAsyncClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The optional Firehose and S3 clients: injected and working against the server when their SDK
 * modules are on the classpath, and the extension still loading when they are not.
 */
@Tributary
class OptionalClientsTest {

    @Test
    void firehoseDeliversAndTheInjectedS3ClientReadsTheObject(TributaryServer server, FirehoseClient firehose,
                                                              S3Client s3) {
        firehose.createDeliveryStream(b -> b.deliveryStreamName("to-s3").extendedS3DestinationConfiguration(d -> d
                .roleARN("arn:aws:iam::000000000000:role/firehose").bucketARN("arn:aws:s3:::delivered")));
        firehose.putRecord(b -> b.deliveryStreamName("to-s3").record(r -> r.data(SdkBytes.fromUtf8String("hello\n"))));
        assertThat(server.flushFirehose("to-s3")).isEqualTo(1);
        assertThat(server.flushFirehose(null)).isZero();

        List<S3Object> objects = s3.listObjectsV2(b -> b.bucket("delivered")).contents();
        assertThat(objects).hasSize(1);
        assertThat(objects.get(0).key()).contains("/to-s3-1-");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("delivered").key(objects.get(0).key())).asUtf8String())
                .isEqualTo("hello\n");
    }

    @Test
    void asyncClientsWorkToo(FirehoseAsyncClient firehose, S3AsyncClient s3) throws Exception {
        firehose.createDeliveryStream(b -> b.deliveryStreamName("async-direct").extendedS3DestinationConfiguration(d -> d
                .roleARN("arn:aws:iam::000000000000:role/firehose").bucketARN("arn:aws:s3:::async-bucket"))).get();
        assertThat(firehose.listDeliveryStreams(b -> { }).get().deliveryStreamNames()).contains("async-direct");
        s3.createBucket(b -> b.bucket("async-put")).get();
        s3.putObject(b -> b.bucket("async-put").key("a/b.txt"), AsyncRequestBody.fromString("written")).get();
        assertThat(s3.getObject(b -> b.bucket("async-put").key("a/b.txt"), AsyncResponseTransformer.toBytes()).get()
                .asUtf8String()).isEqualTo("written");
    }

    @Test
    void injectedClientsAreTheServersOwnAndOtherTypesAreRefused(TributaryServer server, FirehoseClient firehose,
                                                                S3Client s3, KinesisClient kinesis) {
        assertThat(server.client(FirehoseClient.class)).isSameAs(firehose);
        assertThat(server.client(S3Client.class)).isSameAs(s3);
        assertThat(server.client(KinesisClient.class)).isSameAs(kinesis).isSameAs(server.kinesis());
        assertThatThrownBy(() -> server.client(OtherClient.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no client of type dev.tributary.junit.OptionalClientsTest$OtherClient");
    }

    /** A client type the extension does not build. */
    interface OtherClient extends software.amazon.awssdk.core.SdkClient {
    }

    /** Loads this module's classes from the test classpath, minus the Firehose and S3 SDK modules. */
    static final class WithoutFirehoseAndS3 extends URLClassLoader {
        WithoutFirehoseAndS3(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("software.amazon.awssdk.services.firehose.")
                    || name.startsWith("software.amazon.awssdk.services.s3.")) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }

    @Test
    void extensionLoadsAndLinksWithoutTheOptionalModules() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(new File(entry).toURI().toURL());
        }
        try (WithoutFirehoseAndS3 loader = new WithoutFirehoseAndS3(urls.toArray(URL[]::new))) {
            assertThatThrownBy(() -> loader.loadClass(OptionalClients.FIREHOSE)).isInstanceOf(ClassNotFoundException.class);
            for (String name : List.of("dev.tributary.junit.TributaryExtension", "dev.tributary.junit.TributaryServer",
                    "dev.tributary.junit.OptionalClients")) {
                Class<?> c = Class.forName(name, true, loader);   // links and verifies
                assertThat(c.getClassLoader()).isSameAs(loader);
                assertThat(c.getDeclaredMethods()).isNotEmpty();  // resolves every signature type
            }
            Class<?> optional = Class.forName("dev.tributary.junit.OptionalClients", true, loader);
            Method available = optional.getDeclaredMethod("available", String.class);
            available.setAccessible(true);
            assertThat(available.invoke(null, OptionalClients.FIREHOSE)).isEqualTo(false);
            assertThat(available.invoke(null, OptionalClients.S3)).isEqualTo(false);
            assertThat(available.invoke(null, "software.amazon.awssdk.services.kinesis.KinesisClient")).isEqualTo(true);
            Method supports = optional.getDeclaredMethod("supports", Class.class);
            supports.setAccessible(true);
            assertThat(supports.invoke(null, Class.forName("software.amazon.awssdk.services.kinesis.KinesisClient",
                    false, loader))).isEqualTo(false);
        }
        assertThat(OptionalClients.available(OptionalClients.FIREHOSE)).isTrue();
    }
}
