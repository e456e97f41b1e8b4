package dev.tributary.junit;

import dev.tributary.emulator.config.ConfigLoader;
import dev.tributary.emulator.config.EmulatorConfig;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The JUnit 5 extension behind {@link Tributary @Tributary}: starts an in-memory Tributary on a
 * free port once per test class (or once per test) and resolves parameters of type
 * {@link TributaryServer}, {@link KinesisClient}, {@link KinesisAsyncClient}, {@link URI} (the
 * endpoint) and, when their SDK modules are on the test classpath, {@code FirehoseClient},
 * {@code FirehoseAsyncClient}, {@code S3Client} and {@code S3AsyncClient}. Use it through the annotation, or programmatically:
 * <pre>{@code
 * @RegisterExtension
 * static final TributaryExtension TRIBUTARY = TributaryExtension.builder().resetBetweenTests(true).build();
 * }</pre>
 * Registered on a {@code static} field it behaves like the annotation. Registered on an instance
 * field, JUnit gives it no class-level callbacks, so the server is always per test.
 *
 * <p>The running server lives in the JUnit {@link ExtensionContext.Store} of the class (or test)
 * context that started it and is closed by the matching after-callback; {@code @Nested} classes
 * share their enclosing class's server. Thread-safe as JUnit requires (parallel test classes each
 * get their own server).
 */
public final class TributaryExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TributaryExtension.class);
    /** The class-level server, in the store of the class context that started it. */
    private static final String SERVER = "server";
    /** A per-test server, in the store of its test context. */
    private static final String TEST_SERVER = "testServer";
    /** Set in the class context when JUnit called beforeAll, i.e. a class-level server can be closed. */
    private static final String CLASS_CALLBACKS = "classCallbacks";

    /** The settings of one registration. */
    record Settings(boolean perMethod, long createStreamDelayMillis, boolean resetBetweenTests, int nodes,
                    int replicationFactor) {
        Settings {
            if (nodes < 1 || replicationFactor < 1 || replicationFactor > nodes) {
                throw new IllegalArgumentException("need 1 <= replicationFactor <= nodes: " + replicationFactor + ", "
                        + nodes);
            }
            if (createStreamDelayMillis < 0) {
                throw new IllegalArgumentException("createStreamDelayMillis must not be negative: "
                        + createStreamDelayMillis);
            }
        }

        static final Settings DEFAULTS = new Settings(false, 0, false, 1, 1);

        static Settings of(Tributary annotation) {
            return new Settings(annotation.perMethod(), annotation.createStreamDelayMillis(),
                    annotation.resetBetweenTests(), annotation.nodes(), annotation.replicationFactor());
        }

        EmulatorConfig config() {
            return ConfigLoader.load(new String[] {"--in-memory", "--port", "0",
                    "--create-stream-delay", createStreamDelayMillis + "ms",
                    "--delete-stream-delay", "0", "--update-stream-delay", "0", "--nodes", String.valueOf(nodes),
                    "--replication-factor", String.valueOf(replicationFactor),
                    "--min-insync-replicas", String.valueOf(Math.max(1, replicationFactor - 1))}, Map.of());
        }
    }

    /** Null when the settings come from the {@link Tributary} annotation. */
    private final Settings programmatic;

    /** Used by JUnit for {@link Tributary @Tributary}; the settings are read from the annotation. */
    public TributaryExtension() {
        this(null);
    }

    private TributaryExtension(Settings programmatic) {
        this.programmatic = programmatic;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings for {@code @RegisterExtension}; the defaults are the annotation's. */
    public static final class Builder {
        private boolean perMethod;
        private long createStreamDelayMillis;
        private boolean resetBetweenTests;
        private int nodes = 1;
        private int replicationFactor = 1;

        private Builder() {
        }

        /** See {@link Tributary#nodes()} and {@link Tributary#replicationFactor()}. */
        public Builder nodes(int nodeCount, int factor) {
            this.nodes = nodeCount;
            this.replicationFactor = factor;
            return this;
        }

        /** See {@link Tributary#perMethod()}. */
        public Builder perMethod(boolean perMethod) {
            this.perMethod = perMethod;
            return this;
        }

        /** See {@link Tributary#createStreamDelayMillis()}. */
        public Builder createStreamDelayMillis(long millis) {
            this.createStreamDelayMillis = millis;
            return this;
        }

        /** See {@link Tributary#resetBetweenTests()}. */
        public Builder resetBetweenTests(boolean reset) {
            this.resetBetweenTests = reset;
            return this;
        }

        public TributaryExtension build() {
            return new TributaryExtension(new Settings(perMethod, createStreamDelayMillis, resetBetweenTests, nodes,
                    replicationFactor));
        }
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(CLASS_CALLBACKS, Boolean.TRUE);
        if (!settings(context).perMethod()) {
            classServer(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perTest(context)) {
            testServer(context);
        } else if (settings(context).resetBetweenTests()) {
            classServer(classContext(context)).reset();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeOwn(context, TEST_SERVER);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeOwn(context, SERVER);
    }

    /** Closes the server this very context started, if any (never an enclosing context's). */
    private static void closeOwn(ExtensionContext context, String key) {
        // remove() acts on this context's own store only, unlike get().
        TributaryServer own = context.getStore(NAMESPACE).remove(key, TributaryServer.class);
        if (own != null) {
            own.close();
        }
    }

    /** True when the current test gets its own server. */
    private boolean perTest(ExtensionContext context) {
        if (settings(context).perMethod()) {
            return true;
        }
        // Without beforeAll (an instance-field registration) nothing would close a class-level server.
        return context.getStore(NAMESPACE).get(CLASS_CALLBACKS, Boolean.class) == null;
    }

    /**
     * The class-level server, started on first need (a PER_CLASS test instance's constructor comes
     * before beforeAll). An enclosing class's server, when there is one, is shared.
     */
    private TributaryServer classServer(ExtensionContext classContext) {
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent(SERVER, k -> start(settings(classContext)), TributaryServer.class);
    }

    private TributaryServer testServer(ExtensionContext testContext) {
        return testContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent(TEST_SERVER, k -> start(settings(testContext)), TributaryServer.class);
    }

    /** The nearest class context (a parameterized test's invocations sit below a template context). */
    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private static TributaryServer start(Settings settings) {
        return new TributaryServer(dev.tributary.emulator.Tributary.start(settings.config()));
    }

    // ---- parameters ---------------------------------------------------------------------------

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TributaryServer.class || type == URI.class || TributaryServer.isClientType(type);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TributaryServer server = server(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == TributaryServer.class) {
            return server;
        }
        if (type == URI.class) {
            return server.endpoint();
        }
        return server.client(type.asSubclass(software.amazon.awssdk.core.SdkClient.class));
    }

    /** The server a parameter in this context gets: the test's own, or the class's. */
    private TributaryServer server(ExtensionContext context) {
        boolean inTest = context.getTestMethod().isPresent();
        if (inTest && perTest(context)) {
            return testServer(context);
        }
        if (!inTest && settings(context).perMethod()) {
            throw new ParameterResolutionException("@Tributary(perMethod = true) starts a server per test: "
                    + "declare Tributary parameters on test methods or @BeforeEach/@AfterEach methods, not on "
                    + "constructors or @BeforeAll methods");
        }
        return classServer(classContext(context));
    }

    /** This registration's settings, or those of the nearest {@link Tributary} on the class or an enclosing class. */
    private Settings settings(ExtensionContext context) {
        if (programmatic != null) {
            return programmatic;
        }
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<Class<?>> type = c.get().getTestClass();
            for (Class<?> k = type.orElse(null); k != null; k = k.getEnclosingClass()) {
                Tributary annotation = findAnnotation(k);
                if (annotation != null) {
                    return Settings.of(annotation);
                }
            }
        }
        return Settings.DEFAULTS;
    }

    private static Tributary findAnnotation(Class<?> type) {
        for (Class<?> k = type; k != null; k = k.getSuperclass()) {
            Tributary a = k.getAnnotation(Tributary.class);
            if (a != null) {
                return a;
            }
        }
        return null;
    }
}
