package dev.tributary.emulator.firehose;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.firehose.HttpTarget;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP endpoint response contract: what counts as delivered, what is retried, what is permanent. */
class HttpEndpointSenderTest {
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Serves one fixed answer; returns the URL. */
    private String answering(int status, String body) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            if (b.length > 0) {
                x.getResponseBody().write(b);
            }
            x.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private static HttpTarget.Result send(String url) {
        return new HttpEndpointSender(url, null, Map.of(), false, "arn:aws:firehose:us-east-1:000000000000:deliverystream/s")
                .send("req-1", 5, List.of("a".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theBodyIsTheDocumentedJson() {
        assertThat(new String(HttpEndpointSender.body("req-1", 5, List.of(new byte[] {1, 2}, new byte[0])),
                StandardCharsets.UTF_8)).isEqualTo("{\"requestId\":\"req-1\",\"timestamp\":5,\"records\":"
                + "[{\"data\":\"AQI=\"},{\"data\":\"\"}]}");
    }

    @Test
    void only200EchoingTheRequestIdIsDelivered() throws Exception {
        assertThat(send(answering(200, "{\"requestId\":\"req-1\",\"timestamp\":7}"))).isEqualTo(HttpTarget.Result.OK);
    }

    @Test
    void a200WithAnotherRequestIdIsAnInvalidResponseAndRetried() throws Exception {
        HttpTarget.Result r = send(answering(200, "{\"requestId\":\"other\",\"timestamp\":7}"));
        assertThat(r.ok()).isFalse();
        assertThat(r.retryable()).isTrue();
        assertThat(r.errorCode()).isEqualTo("HttpEndpoint.InvalidResponseFromDestination");
    }

    @Test
    void otherStatusesAreDestinationExceptionsAnd413IsPermanent() throws Exception {
        HttpTarget.Result r = send(answering(500, "{\"errorMessage\":\"x\"}"));
        assertThat(r).isEqualTo(HttpTarget.Result.failed(true, "HttpEndpoint.DestinationException",
                "The following response was received from the endpoint destination. 500: {\"errorMessage\":\"x\"}"));
        server.stop(0);
        HttpTarget.Result tooLarge = send(answering(413, ""));
        assertThat(tooLarge.retryable()).isFalse();
        assertThat(tooLarge.errorCode()).isEqualTo("HttpEndpoint.DestinationException");
        server.stop(0);
        assertThat(send(answering(302, "")).errorCode()).isEqualTo("HttpEndpoint.DestinationException");
    }

    @Test
    void noListenerIsAConnectionFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HttpTarget.Result r = send("http://127.0.0.1:" + port + "/");
        assertThat(r.retryable()).isTrue();
        assertThat(r.errorCode()).isEqualTo("HttpEndpoint.ConnectionFailed");
    }
}
