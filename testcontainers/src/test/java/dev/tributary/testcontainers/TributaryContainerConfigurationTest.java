package dev.tributary.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategyTarget;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The container's configuration, checked without a Docker engine: nothing here creates or starts a
 * container. The wait strategy is run against a local HTTP stub standing in for the mapped port.
 */
class TributaryContainerConfigurationTest {

    @Test
    void exposesTheAwsPortOnly() {
        try (TributaryContainer container = new TributaryContainer()) {
            assertThat(container.getExposedPorts()).containsExactly(4566);
        }
    }

    @Test
    void staticCredentialsAndRegionMatchTheConventionalOnes() {
        try (TributaryContainer container = new TributaryContainer()) {
            assertThat(container.getRegion()).isEqualTo("us-east-1");
            assertThat(container.getAccessKey()).isEqualTo("test");
            assertThat(container.getSecretKey()).isEqualTo("test");
        }
    }

    @Test
    @SuppressWarnings("deprecation") // getCopyToFileContainerPathMap: the only read-back of withCopyFileToContainer
    void setsNoTributaryEnvironmentByDefault() {
        try (TributaryContainer container = new TributaryContainer()) {
            assertThat(container.getEnvMap()).doesNotContainKeys("TRIBUTARY_IN_MEMORY", "TRIBUTARY_INIT");
            assertThat(container.getCopyToFileContainerPathMap()).isEmpty();
        }
    }

    @Test
    void withInMemorySetsTheInMemoryVariable() {
        try (TributaryContainer container = new TributaryContainer().withInMemory()) {
            assertThat(container.getEnvMap()).containsEntry("TRIBUTARY_IN_MEMORY", "true");
        }
    }

    @Test
    @SuppressWarnings("deprecation") // getCopyToFileContainerPathMap: the only read-back of withCopyFileToContainer
    void withInitFileCopiesTheFileAndPointsTheInitVariableAtIt() {
        MountableFile init = MountableFile.forClasspathResource("init.json");
        try (TributaryContainer container = new TributaryContainer().withInitFile(init)) {
            assertThat(container.getCopyToFileContainerPathMap()).containsExactly(
                    java.util.Map.entry(init, "/etc/tributary/init.json"));
            assertThat(container.getEnvMap()).containsEntry("TRIBUTARY_INIT", "/etc/tributary/init.json");
        }
    }

    @Test
    void acceptsATaggedImageAndADeclaredSubstitute() {
        new TributaryContainer(DockerImageName.parse("tributary/tributary:0.1.0")).close();
        new TributaryContainer(DockerImageName.parse("registry.example/mirror/tributary:1")
                .asCompatibleSubstituteFor("tributary/tributary")).close();
    }

    @Test
    void rejectsAnUnrelatedImage() {
        assertThatThrownBy(() -> new TributaryContainer(DockerImageName.parse("localstack/localstack")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tributary/tributary");
    }

    @Test
    void waitStrategyIsSatisfiedByOkFromTheHealthPathOnTheAwsPort() throws IOException {
        AtomicReference<String> asked = new AtomicReference<>();
        HttpServer stub = healthStub(200, asked);
        try (TributaryContainer container = new TributaryContainer()) {
            WaitStrategy wait = container.healthWaitStrategy().withStartupTimeout(Duration.ofSeconds(10));
            wait.waitUntilReady(targetMapping4566To(stub.getAddress().getPort()));
            assertThat(asked.get()).isEqualTo("GET /_tributary/health");
        } finally {
            stub.stop(0);
        }
    }

    @Test
    void waitStrategyKeepsWaitingWhileTheServerAnswersServiceUnavailable() throws IOException {
        HttpServer stub = healthStub(503, new AtomicReference<>());
        try (TributaryContainer container = new TributaryContainer()) {
            WaitStrategy wait = container.healthWaitStrategy().withStartupTimeout(Duration.ofSeconds(2));
            assertThatThrownBy(() -> wait.waitUntilReady(targetMapping4566To(stub.getAddress().getPort())))
                    .isInstanceOf(ContainerLaunchException.class);
        } finally {
            stub.stop(0);
        }
    }

    /** Answers {@code status} on the health path only; any other path gets the JDK server's 404. */
    private static HttpServer healthStub(int status, AtomicReference<String> asked) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/_tributary/health", exchange -> {
            URI uri = exchange.getRequestURI();
            if (!uri.getPath().equals("/_tributary/health")) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                asked.set(exchange.getRequestMethod() + " " + uri.getPath());
                exchange.sendResponseHeaders(status, -1);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    /** A stand-in for a started container whose port 4566 is mapped to {@code hostPort} on loopback. */
    private static WaitStrategyTarget targetMapping4566To(int hostPort) {
        return new WaitStrategyTarget() {
            @Override
            public List<Integer> getExposedPorts() {
                return List.of(TributaryContainer.PORT);
            }

            @Override
            public InspectContainerResponse getContainerInfo() {
                return new InspectContainerResponse();
            }

            @Override
            public String getHost() {
                return InetAddress.getLoopbackAddress().getHostAddress();
            }

            @Override
            public Integer getMappedPort(int originalPort) {
                if (originalPort != TributaryContainer.PORT) {
                    throw new IllegalArgumentException("only 4566 is exposed, not " + originalPort);
                }
                return hostPort;
            }
        };
    }
}
