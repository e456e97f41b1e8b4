package dev.tributary.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Runs sample test classes through the JUnit Platform and checks, from outside, how many servers
 * they got and that each was closed afterwards. The samples are static nested classes, which
 * Surefire does not run on its own.
 */
class ExtensionLifecycleTest {
    static final List<URI> SEEN = new CopyOnWriteArrayList<>();

    static TestExecutionSummary run(Class<?> sample) {
        SEEN.clear();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(sample)).build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getFailures()).as("failures of %s", sample.getSimpleName()).isEmpty();
        return summary;
    }

    static boolean listening(URI endpoint) {
        try (Socket s = new Socket(endpoint.getHost(), endpoint.getPort())) {
            return s.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    @Tributary
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class SharedSample {
        @Test
        @Order(1)
        void first(URI endpoint, KinesisClient kinesis) {
            SEEN.add(endpoint);
            kinesis.createStream(b -> b.streamName("kept").shardCount(1));
        }

        @Test
        @Order(2)
        void second(URI endpoint, KinesisClient kinesis) {
            SEEN.add(endpoint);
            // Without resetBetweenTests the first test's stream is still there.
            assertThat(kinesis.listStreams().streamNames()).containsExactly("kept");
        }

        @Nested
        class Inner {
            @Test
            void nestedClassesShareTheServer(URI endpoint) {
                SEEN.add(endpoint);
            }
        }
    }

    @Tributary(perMethod = true)
    static class PerMethodSample {
        @Test
        void one(URI endpoint, KinesisClient kinesis) {
            SEEN.add(endpoint);
            kinesis.createStream(b -> b.streamName("mine").shardCount(1));
        }

        @Test
        void two(URI endpoint, KinesisClient kinesis) {
            SEEN.add(endpoint);
            kinesis.createStream(b -> b.streamName("mine").shardCount(1));
        }
    }

    static class RegisteredPerMethodSample {
        @RegisterExtension
        static final TributaryExtension TRIBUTARY = TributaryExtension.builder().perMethod(true).build();

        @Test
        void one(TributaryServer server) {
            SEEN.add(server.endpoint());
        }

        @Test
        void two(TributaryServer server) {
            SEEN.add(server.endpoint());
        }
    }

    static class InstanceFieldSample {
        @RegisterExtension
        final TributaryExtension tributary = TributaryExtension.builder().build();

        @Test
        void one(URI endpoint) {
            SEEN.add(endpoint);
        }

        @Test
        void two(URI endpoint) {
            SEEN.add(endpoint);
        }
    }

    @Test
    void oneServerPerClassSharedByNestedClassesAndClosedAfterIt() {
        assertThat(run(SharedSample.class).getTestsSucceededCount()).isEqualTo(3);
        assertThat(SEEN).hasSize(3).containsOnly(SEEN.get(0));
        assertThat(listening(SEEN.get(0))).isFalse();
    }

    @Test
    void perMethodGivesEachTestItsOwnServerOnADistinctPort() {
        assertThat(run(PerMethodSample.class).getTestsSucceededCount()).isEqualTo(2);
        assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
        assertThat(SEEN).noneMatch(ExtensionLifecycleTest::listening);
    }

    @Test
    void registerExtensionWithPerMethodGivesDistinctServers() {
        assertThat(run(RegisteredPerMethodSample.class).getTestsSucceededCount()).isEqualTo(2);
        assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
        assertThat(SEEN).noneMatch(ExtensionLifecycleTest::listening);
    }

    @Test
    void instanceFieldRegistrationFallsBackToAServerPerTestAndClosesEach() {
        assertThat(run(InstanceFieldSample.class).getTestsSucceededCount()).isEqualTo(2);
        assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
        assertThat(SEEN).noneMatch(ExtensionLifecycleTest::listening);
    }
}
