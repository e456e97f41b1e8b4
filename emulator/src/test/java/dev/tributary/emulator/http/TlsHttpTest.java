package dev.tributary.emulator.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.ConfigLoader;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and plain HTTP on one port, h2 by ALPN, with the certificate generated into the data dir. */
class TlsHttpTest {
    @TempDir
    Path dir;

    static HttpClient trusting(Path truststore, HttpClient.Version version) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            ks.load(in, TlsMaterial.TRUSTSTORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).version(version).build();
    }

    @Test
    void tlsAndPlainShareThePortAndH2IsNegotiatedByAlpn() throws Exception {
        String[] args = {"--port", "0", "--data-dir", dir.resolve("data").toString(), "--tls"};
        byte[] firstCert;
        try (Tributary t = Tributary.start(ConfigLoader.load(args, Map.of()))) {
            Path tls = dir.resolve("data").resolve("tls");
            assertThat(Files.readString(tls.resolve(TlsMaterial.CA_PEM))).startsWith("-----BEGIN CERTIFICATE-----");
            firstCert = Files.readAllBytes(tls.resolve(TlsMaterial.CA_PEM));
            URI https = URI.create("https://localhost:" + t.port() + "/_tributary/health");
            HttpResponse<String> h2 = trusting(tls.resolve(TlsMaterial.TRUSTSTORE), HttpClient.Version.HTTP_2)
                    .send(HttpRequest.newBuilder(https).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(h2.statusCode()).isEqualTo(200);
            assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
            HttpResponse<String> h1 = trusting(tls.resolve(TlsMaterial.TRUSTSTORE), HttpClient.Version.HTTP_1_1)
                    .send(HttpRequest.newBuilder(https).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(h1.statusCode()).isEqualTo(200);
            assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + t.port() + "/_tributary/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(plain.body()).contains("\"status\":\"ready\"");
        }
        try (Tributary t = Tributary.start(ConfigLoader.load(args, Map.of()))) {
            assertThat(Files.readAllBytes(dir.resolve("data").resolve("tls").resolve(TlsMaterial.CA_PEM)))
                    .as("the certificate is kept across restarts").isEqualTo(firstCert);
        }
    }
}
