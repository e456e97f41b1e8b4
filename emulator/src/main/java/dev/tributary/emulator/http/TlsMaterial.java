package dev.tributary.emulator.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS key and certificate: the user's PKCS#12 key store if configured, else one
 * generated on first start and kept in {@code <data-dir>/tls/} (a temporary directory with
 * {@code --in-memory}), valid for {@code localhost}, {@code 127.0.0.1} and {@code ::1}. Next to it
 * the certificate is exported for clients to trust: {@code tributary-ca.pem} (for curl, Node,
 * Python) and {@code truststore.p12} (for Java, password {@value #TRUSTSTORE_PASSWORD}). The
 * certificate is self-signed, so it is its own CA.
 *
 * <p>Generated with the JDK's {@code keytool}, which every JRE ships, to avoid a crypto library.
 */
public final class TlsMaterial {
    private static final Logger LOG = LoggerFactory.getLogger(TlsMaterial.class);
    public static final String KEYSTORE = "tributary.p12";
    public static final String CA_PEM = "tributary-ca.pem";
    public static final String TRUSTSTORE = "truststore.p12";
    public static final String KEYSTORE_PASSWORD = "tributary";
    public static final String TRUSTSTORE_PASSWORD = "changeit";
    private static final String ALIAS = "tributary";

    private TlsMaterial() {
    }

    /** The key store to serve with, generating it (and the exported trust files) in {@code dir} if absent. */
    public static Path ensure(Path dir) {
        Path keystore = dir.resolve(KEYSTORE);
        if (Files.isRegularFile(keystore)) {
            return keystore;
        }
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(KEYSTORE + ".tmp");
            Files.deleteIfExists(tmp);
            keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost, O=Tributary", "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1",
                    "-ext", "BC:c=ca:true", "-validity", "3650", "-keystore", tmp.toString(), "-storetype", "PKCS12",
                    "-storepass", KEYSTORE_PASSWORD, "-keypass", KEYSTORE_PASSWORD);
            Path pem = dir.resolve(CA_PEM);
            Files.deleteIfExists(pem);
            keytool("-exportcert", "-rfc", "-alias", ALIAS, "-keystore", tmp.toString(), "-storetype", "PKCS12",
                    "-storepass", KEYSTORE_PASSWORD, "-file", pem.toString());
            Path trust = dir.resolve(TRUSTSTORE);
            Files.deleteIfExists(trust);
            keytool("-importcert", "-noprompt", "-alias", ALIAS, "-file", pem.toString(), "-keystore", trust.toString(),
                    "-storetype", "PKCS12", "-storepass", TRUSTSTORE_PASSWORD);
            Files.move(tmp, keystore, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            LOG.info("TLS certificate generated keystore={} caPem={} truststore={}", keystore, pem, trust);
            return keystore;
        } catch (IOException e) {
            throw new IllegalStateException("cannot generate a TLS certificate in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void keytool(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + out.trim());
        }
    }
}
