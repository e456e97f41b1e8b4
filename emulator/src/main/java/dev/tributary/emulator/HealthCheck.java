package dev.tributary.emulator;

import java.net.HttpURLConnection;
import java.net.URI;

/**
 * {@code java -cp tributary.jar dev.tributary.emulator.HealthCheck [url]}: exits 0 when
 * {@code GET /_tributary/health} answers 200, 1 otherwise. The Docker image's health check, so
 * the image needs no curl.
 */
public final class HealthCheck {
    private HealthCheck() {
    }

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:" + System.getenv().getOrDefault("TRIBUTARY_PORT", "4566")
                + "/_tributary/health";
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            System.exit(c.getResponseCode() == 200 ? 0 : 1);
        } catch (Exception e) {
            System.exit(1);
        }
    }
}
