package dev.tributary.testcontainers;

import java.net.URI;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The Tributary Docker image ({@code docker/Dockerfile}) as a Testcontainers container, shaped like
 * Testcontainers' {@code LocalStackContainer}: one port (4566) for every AWS API, an endpoint and
 * static credentials to hand to an AWS SDK client.
 *
 * <pre>{@code
 * @Container
 * static TributaryContainer tributary = new TributaryContainer().withInMemory();
 *
 * KinesisClient kinesis = KinesisClient.builder()
 *         .endpointOverride(tributary.getEndpoint())
 *         .region(Region.of(tributary.getRegion()))
 *         .credentialsProvider(StaticCredentialsProvider.create(
 *                 AwsBasicCredentials.create(tributary.getAccessKey(), tributary.getSecretKey())))
 *         .build();
 * }</pre>
 *
 * <p>The container counts as started once {@code GET /_tributary/health} answers 200, which the
 * server does only after every service has started (it answers 503 before). The image is not
 * published: build it first ({@code docker build -f docker/Dockerfile -t tributary/tributary .}
 * after {@code mvn package}).
 *
 * <p>Like every {@link GenericContainer}, not thread-safe while being configured.
 */
public class TributaryContainer extends GenericContainer<TributaryContainer> {

    /** The image the repository's Dockerfile builds, by the tag the README gives it. */
    public static final DockerImageName DEFAULT_IMAGE_NAME = DockerImageName.parse("tributary/tributary");

    /** The tag used by {@link #TributaryContainer()}. */
    public static final String DEFAULT_TAG = "latest";

    /** Every AWS API, HTTP/1.1 and h2c ({@code TRIBUTARY_PORT} in the image). */
    public static final int PORT = 4566;

    /** The control API's health path; 503 while starting, 200 once every service is up. */
    public static final String HEALTH_PATH = "/_tributary/health";

    /** Where {@link #withInitFile(MountableFile)} puts the file inside the container. */
    public static final String INIT_FILE_PATH = "/etc/tributary/init.json";

    static final String IN_MEMORY_ENV = "TRIBUTARY_IN_MEMORY";
    static final String INIT_ENV = "TRIBUTARY_INIT";

    private static final String REGION = "us-east-1";
    private static final String ACCESS_KEY = "test";
    private static final String SECRET_KEY = "test";

    /** {@code tributary/tributary:latest}. */
    public TributaryContainer() {
        this(DEFAULT_IMAGE_NAME.withTag(DEFAULT_TAG));
    }

    /**
     * @param dockerImageName the Tributary image, e.g. {@code tributary/tributary:0.1.0}; another
     *     name is accepted when declared a substitute with
     *     {@code DockerImageName.parse("my/mirror").asCompatibleSubstituteFor("tributary/tributary")}
     */
    public TributaryContainer(DockerImageName dockerImageName) {
        super(dockerImageName);
        dockerImageName.assertCompatibleWith(DEFAULT_IMAGE_NAME);
        withExposedPorts(PORT);
        waitingFor(Wait.forHttp(HEALTH_PATH).forPort(PORT).forStatusCode(200)
                .withStartupTimeout(Duration.ofSeconds(60)));
    }

    /** Keeps everything in memory ({@code TRIBUTARY_IN_MEMORY=true}) instead of the /data volume. */
    public TributaryContainer withInMemory() {
        return withEnv(IN_MEMORY_ENV, "true");
    }

    /**
     * Copies {@code initFile} (resources to create at start, see docs/init.md) to
     * {@value #INIT_FILE_PATH} and points {@code TRIBUTARY_INIT} at it. The server runs as the
     * image's unprivileged user, so the file must be world-readable (a host file's mode is kept).
     */
    public TributaryContainer withInitFile(MountableFile initFile) {
        withCopyFileToContainer(initFile, INIT_FILE_PATH);
        return withEnv(INIT_ENV, INIT_FILE_PATH);
    }

    /** {@code http://<host>:<mapped port>}, for an SDK's {@code endpointOverride}. Only once started. */
    public URI getEndpoint() {
        return URI.create("http://" + getHost() + ":" + getMappedPort(PORT));
    }

    /** The region to configure clients with; the server takes it from each request's signature. */
    public String getRegion() {
        return REGION;
    }

    /** Any access key works (account {@code 000000000000}); this is the conventional one. */
    public String getAccessKey() {
        return ACCESS_KEY;
    }

    /** Any secret works unless the server verifies signatures; this is the conventional one. */
    public String getSecretKey() {
        return SECRET_KEY;
    }

    /** The strategy {@code start()} waits with; for tests of this class. */
    WaitStrategy healthWaitStrategy() {
        return getWaitStrategy();
    }
}
