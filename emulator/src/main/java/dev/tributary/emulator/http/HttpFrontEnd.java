package dev.tributary.emulator.http;

import dev.tributary.emulator.config.EmulatorConfig;
import dev.tributary.emulator.control.ControlHandler;
import dev.tributary.emulator.protocol.AwsJsonDispatcher;
import dev.tributary.emulator.protocol.CommonError;
import dev.tributary.emulator.protocol.RawRequest;
import dev.tributary.emulator.protocol.WireFormat;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP port: Jetty 12 (core handlers, no servlets) speaking HTTP/1.1 with keep-alive and
 * HTTP/2 cleartext with prior knowledge on the same connector, since the AWS SDK v2 async client
 * opens h2c on {@code http://} endpoints. POSTs carrying an {@code X-Amz-Target} go to the AWS
 * JSON dispatcher (the path is ignored, as AWS does); {@code /_tributary/...} is the control API;
 * form-encoded POSTs (the AWS Query protocol), CloudWatch's JSON 1.0 target and its RPC v2 CBOR
 * paths go to the CloudWatch handler (which also answers STS GetCallerIdentity).
 */
public final class HttpFrontEnd implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFrontEnd.class);

    private final Server server;
    private final ServerConnector connector;
    private final String host;

    private HttpFrontEnd(Server server, ServerConnector connector, String host) {
        this.server = server;
        this.connector = connector;
        this.host = host;
    }

    /** Starts the server; it also serves path-style S3 requests (no X-Amz-Target) with {@code s3} when not null. */
    public static HttpFrontEnd start(EmulatorConfig config, CompletableFuture<AwsJsonDispatcher> dispatcher,
                                     ControlHandler control, dev.tributary.emulator.s3.S3Handler s3) {
        return start(config, dispatcher, control, s3, null, null);
    }

    /** As above, also serving CloudWatch's PutMetricData (Query, JSON 1.0 and RPC v2 CBOR) with {@code cloudwatch} when not null. */
    public static HttpFrontEnd start(EmulatorConfig config, CompletableFuture<AwsJsonDispatcher> dispatcher,
                                     ControlHandler control, dev.tributary.emulator.s3.S3Handler s3,
                                     dev.tributary.emulator.cloudwatch.CloudWatchHandler cloudwatch) {
        return start(config, dispatcher, control, s3, cloudwatch, null);
    }

    /** As above, also serving the MSK REST API ({@code /v1/...}, {@code /api/v2/...}) with {@code msk} when not null. */
    public static HttpFrontEnd start(EmulatorConfig config, CompletableFuture<AwsJsonDispatcher> dispatcher,
                                     ControlHandler control, dev.tributary.emulator.s3.S3Handler s3,
                                     dev.tributary.emulator.cloudwatch.CloudWatchHandler cloudwatch,
                                     dev.tributary.emulator.msk.MskHandler msk) {
        // Without this property Jetty's MemoryUtils asks the platform MBean server whether oops are
        // compressed, which starts JMX (and JFR's diagnostic commands): ~100 ms of start-up. 16 is
        // the answer for compressed oops (4-byte references in a 64-byte line), the default under 32 GiB.
        if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null) {
            System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
        }
        QueuedThreadPool threads = new QueuedThreadPool(256, 8);
        threads.setName("tributary-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        // MSK puts ARNs in the path, their ':' and '/' percent-encoded (%2F): routes match the raw path.
        http.setUriCompliance(org.eclipse.jetty.http.UriCompliance.DEFAULT.with("tributary",
                org.eclipse.jetty.http.UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                org.eclipse.jetty.http.UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
        h2c.setMaxConcurrentStreams(1024);
        HttpConnectionFactory http1 = new HttpConnectionFactory(http);
        ServerConnector connector = config.tls()
                ? new ServerConnector(server, tlsFactories(config, http, http1, h2c))
                : new ServerConnector(server, http1, h2c);
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(300_000);
        server.addConnector(connector);
        RootHandler root = new RootHandler(dispatcher, control, config.maxRequestBytes(), s3, cloudwatch);
        root.msk = msk;
        server.setHandler(root);
        // No graceful drain: idle keep-alive connections (the JDK and Netty keep them) would hold a
        // stop for the whole timeout. In-flight requests of a stopping emulator may be cut.
        server.setStopTimeout(0);
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        return new HttpFrontEnd(server, connector, config.host());
    }

    /**
     * TLS and plain on one port: a detector looks at the first bytes; a TLS handshake goes to TLS,
     * then ALPN picks h2 or HTTP/1.1; anything else falls to the next factory, plain HTTP/1.1 (which
     * switches to h2c on the HTTP/2 preface).
     */
    private static org.eclipse.jetty.server.ConnectionFactory[] tlsFactories(EmulatorConfig config,
            HttpConfiguration http, HttpConnectionFactory http1, HTTP2CServerConnectionFactory h2c) {
        java.nio.file.Path keystore = config.tlsKeystore();
        String password = config.tlsKeystorePassword();
        if (keystore == null) {
            java.nio.file.Path dir;
            try {
                dir = config.inMemory() ? java.nio.file.Files.createTempDirectory("tributary-tls")
                        : config.dataDir().resolve("tls");
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create a directory for the TLS certificate", e);
            }
            keystore = TlsMaterial.ensure(dir);
            password = TlsMaterial.KEYSTORE_PASSWORD;
        }
        org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
        ssl.setKeyStorePath(keystore.toString());
        ssl.setKeyStoreType("PKCS12");
        ssl.setKeyStorePassword(password);
        ssl.setCipherComparator(org.eclipse.jetty.http2.HTTP2Cipher.COMPARATOR);
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer(false));
        org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory h2 =
                new org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory(https);
        h2.setMaxConcurrentStreams(1024);
        org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory alpn =
                new org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol("http/1.1");
        org.eclipse.jetty.server.SslConnectionFactory tls =
                new org.eclipse.jetty.server.SslConnectionFactory(ssl, alpn.getProtocol());
        org.eclipse.jetty.server.DetectorConnectionFactory detector =
                new org.eclipse.jetty.server.DetectorConnectionFactory(tls);
        return new org.eclipse.jetty.server.ConnectionFactory[] {detector, http1, h2c, tls, alpn, h2};
    }

    public int port() {
        return connector.getLocalPort();
    }

    public URI endpoint() {
        String h = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        return URI.create("http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP server did not stop cleanly", e);
        }
    }

    /** Routes every request; never lets an exception reach Jetty (that would be a 500 with a stack trace). */
    static final class RootHandler extends Handler.Abstract {
        private final CompletableFuture<AwsJsonDispatcher> ready;
        private final ControlHandler control;
        private final long maxRequestBytes;
        private final dev.tributary.emulator.s3.S3Handler s3;
        private final dev.tributary.emulator.cloudwatch.CloudWatchHandler cloudwatch;
        private dev.tributary.emulator.msk.MskHandler msk;

        RootHandler(CompletableFuture<AwsJsonDispatcher> dispatcher, ControlHandler control, long maxRequestBytes,
                    dev.tributary.emulator.s3.S3Handler s3, dev.tributary.emulator.cloudwatch.CloudWatchHandler cloudwatch) {
            this.ready = dispatcher;
            this.control = control;
            this.maxRequestBytes = maxRequestBytes;
            this.s3 = s3;
            this.cloudwatch = cloudwatch;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            if (path.startsWith(ControlHandler.PREFIX)) {
                // Control requests (health first of all) are answered while the services still start.
                byte[] body = readBody(request);
                ControlHandler.Reply reply = body == null
                        ? new ControlHandler.Reply(413, "application/json",
                                "{\"message\":\"Request body too large\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        : control.handle(request.getMethod(), path, request.getHttpURI().getQuery(), body);
                response.setStatus(reply.status());
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
                if (reply.contentType().startsWith("text/html")) {
                    // The console's pages: only their own script, styles and API.
                    response.getHeaders().put("Content-Security-Policy", dev.tributary.emulator.console.ConsoleHandler.CSP);
                }
                response.write(true, ByteBuffer.wrap(reply.body()), callback);
                return true;
            }
            if (msk != null && request.getHeaders().get("X-Amz-Target") == null
                    && dev.tributary.emulator.msk.MskHandler.accepts(path, request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                // MSK's REST-JSON API, routed by method and path.
                byte[] body = readBody(request);
                dev.tributary.emulator.msk.MskHandler.Reply reply = msk.handle(request.getMethod(),
                        request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
                        request.getHeaders().get(HttpHeader.AUTHORIZATION), body == null ? new byte[0] : body);
                response.setStatus(reply.status());
                reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
                response.write(true, ByteBuffer.wrap(reply.body()), callback);
                return true;
            }
            if (cloudwatch != null && !String.valueOf(request.getHeaders().get(HttpHeader.AUTHORIZATION)).contains("/s3/aws4_request")
                    && dev.tributary.emulator.cloudwatch.CloudWatchHandler.serves(request.getMethod(), path,
                    request.getHeaders().get(HttpHeader.CONTENT_TYPE), request.getHeaders().get("X-Amz-Target"))) {
                handleCloudWatch(request, response, callback, path);
                return true;
            }
            if (s3 != null && isS3(request, path)) {
                // Path-style S3 (/<bucket>[/<key>]): the files Firehose delivers.
                handleS3(request, response, callback);
                return true;
            }
            AwsJsonDispatcher dispatcher = ready.join();
            String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            WireFormat format = WireFormat.ofContentType(contentType);
            if (!HttpMethod.POST.is(request.getMethod())) {
                send(response, callback, dispatcher.error(CommonError.UNKNOWN_OPERATION, null, format, requestId()));
                return true;
            }
            byte[] body = readBody(request);
            if (body == null) {
                send(response, callback, dispatcher.error(CommonError.REQUEST_ENTITY_TOO_LARGE,
                        "Request body exceeds " + maxRequestBytes + " bytes", format, requestId()));
                return true;
            }
            java.util.Map<String, java.util.List<String>> headers = new java.util.LinkedHashMap<>();
            for (org.eclipse.jetty.http.HttpField f : request.getHeaders()) {
                headers.computeIfAbsent(f.getName(), k -> new java.util.ArrayList<>()).add(f.getValue());
            }
            if (request.getHeaders().get(HttpHeader.HOST) == null && request.getHttpURI().getAuthority() != null) {
                // HTTP/2 carries the host as :authority; SigV4 signs it as the Host header.
                headers.put("Host", java.util.List.of(request.getHttpURI().getAuthority()));
            }
            AwsJsonDispatcher.Answer answer = dispatcher.dispatch(new RawRequest(request.getMethod(),
                    request.getHttpURI().getPath(), request.getHttpURI().getQuery(), headers, body));
            send(response, callback, answer);
            return true;
        }

        /**
         * Path-style S3 rather than an AWS JSON call: no {@code X-Amz-Target}, and either signed for
         * the {@code s3} service, or not a POST (the JSON protocols only POST; a POST without a target
         * is a JSON client's unknown operation, answered as AWS does).
         */
        static boolean isS3(Request request, String path) {
            if (request.getHeaders().get("X-Amz-Target") != null) {
                return false;
            }
            String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (auth != null && auth.contains("/s3/aws4_request")) {
                return true;
            }
            return !HttpMethod.POST.is(request.getMethod()) && !path.equals("/") || HttpMethod.GET.is(request.getMethod());
        }

        private void handleCloudWatch(Request request, Response response, Callback callback, String path) {
            byte[] body = readBody(request);
            java.util.Map<String, String> headers = new java.util.HashMap<>();
            for (org.eclipse.jetty.http.HttpField f : request.getHeaders()) {
                headers.put(f.getName().toLowerCase(java.util.Locale.ROOT), f.getValue());
            }
            dev.tributary.emulator.cloudwatch.CloudWatchHandler.Reply reply =
                    cloudwatch.handle(path, headers, body == null ? new byte[0] : body);
            response.setStatus(reply.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
            reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
            response.write(true, ByteBuffer.wrap(reply.body()), callback);
        }

        private void handleS3(Request request, Response response, Callback callback) {
            byte[] body = readBody(request);
            java.util.Map<String, String> headers = new java.util.HashMap<>();
            for (org.eclipse.jetty.http.HttpField f : request.getHeaders()) {
                headers.put(f.getName().toLowerCase(java.util.Locale.ROOT), f.getValue());
            }
            dev.tributary.emulator.s3.S3Handler.Reply reply = s3.handle(request.getMethod(),
                    request.getHttpURI().getPath(), request.getHttpURI().getQuery(), headers,
                    body == null ? new byte[0] : body);
            response.setStatus(reply.status());
            reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
            if (!reply.headers().containsKey("Content-Length")) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
            }
            response.write(true, ByteBuffer.wrap(reply.body()), callback);
        }

        /**
         * The whole body, or null when it is larger than allowed (declared or actual). A body
         * cut short by the client is read as far as it came; decoding then refuses it.
         */
        private byte[] readBody(Request request) {
            if (request.getLength() > maxRequestBytes) {
                return null;
            }
            try {
                return Content.Source.asByteArrayAsync(request, (int) Math.min(maxRequestBytes, Integer.MAX_VALUE - 8))
                        .get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new byte[0];
            } catch (ExecutionException e) {
                return null;
            }
        }

        private static void send(Response response, Callback callback, AwsJsonDispatcher.Answer answer) {
            if (answer.streaming() != null) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
                response.getHeaders().put("x-amzn-RequestId", answer.requestId());
                response.getHeaders().put("x-amz-id-2", amzId2());
                answer.streaming().start(new JettyEventSink(response, callback));
                return;
            }
            response.setStatus(answer.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
            response.getHeaders().put("x-amzn-RequestId", answer.requestId());
            response.getHeaders().put("x-amz-id-2", amzId2());
            if (answer.errorCode() != null) {
                response.getHeaders().put("x-amzn-ErrorType", answer.errorCode() + ":");
            }
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
        }

        private static String requestId() {
            return java.util.UUID.randomUUID().toString();
        }

        private static String amzId2() {
            byte[] b = new byte[72];
            ThreadLocalRandom.current().nextBytes(b);
            return Base64.getEncoder().encodeToString(b);
        }
    }
}
