package dev.tributary.emulator.protocol;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the AWS protocol layer needs it, independent of the HTTP library: what the
 * dispatcher routes on and what a SigV4 signature covers.
 *
 * @param headers header names as received; looked up case-insensitively by {@link #header}
 */
public record RawRequest(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {

    /** The first value of a header, ignoring the name's case; null when absent. */
    public String header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }
}
