package dev.tributary.emulator.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 on an incoming request signed in the {@code Authorization}
 * header ({@code AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/kinesis/aws4_request,
 * SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=<hex>}), and signs requests
 * the same way ({@link #sign}) for the emulator's own clients and tests. Only the JDK is used
 * ({@code HmacSHA256}, {@code SHA-256}).
 *
 * <p>The canonical request follows the SigV4 specification for non-S3 services: the method; the
 * raw path as received with each segment URI-encoded once more (the SDKs send {@code /} for
 * Kinesis); the query parameters decoded, re-encoded and sorted; the headers named in
 * {@code SignedHeaders} with lowercase names and trimmed values whose runs of spaces are collapsed;
 * the signed-header list; and the payload hash. The payload hash is the hex SHA-256 of the body,
 * or the {@code x-amz-content-sha256} header when present: a hex value must equal the body's hash
 * (otherwise the signature does not match), any other value such as {@code UNSIGNED-PAYLOAD} is
 * used literally and leaves the body unprotected. {@code X-Amz-Security-Token} is an ordinary
 * signed header; session tokens themselves are not checked. Region and service are taken from the
 * credential scope and not checked against anything; query-string (presigned) authentication is
 * not supported.
 *
 * <p>The checks run in this order, the first failure deciding the {@link Verification}; AWS's JSON
 * services (Kinesis among them) answer each with HTTP 400:
 * <ol>
 *   <li>no {@code Authorization} header: {@code MissingAuthenticationTokenException}
 *       "Missing Authentication Token";</li>
 *   <li>a missing {@code Credential}, {@code Signature} or {@code SignedHeaders} parameter (a
 *       header not starting with {@code AWS4-HMAC-SHA256} has none):
 *       {@code IncompleteSignatureException} "Authorization header requires 'Credential'
 *       parameter. ... Authorization=&lt;header&gt;";</li>
 *   <li>neither a parseable {@code X-Amz-Date} (basic ISO-8601) nor {@code Date} (RFC 1123) header:
 *       {@code IncompleteSignatureException} "Authorization header requires existence of either a
 *       'X-Amz-Date' or a 'Date' header. Authorization=&lt;header&gt;";</li>
 *   <li>a credential without exactly five slash-delimited elements:
 *       {@code IncompleteSignatureException} "Credential must have exactly 5 slash-delimited
 *       elements, e.g. keyid/date/region/service/term, got '&lt;credential&gt;'";</li>
 *   <li>a scope date other than the request date's {@code yyyyMMdd}: {@code InvalidSignatureException}
 *       "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP:
 *       ...";</li>
 *   <li>a scope terminator other than {@code aws4_request}: {@code InvalidSignatureException}
 *       "Credential should be scoped with a valid terminator: 'aws4_request', not '...'.";</li>
 *   <li>a request time more than five minutes from the clock, either way:
 *       {@code InvalidSignatureException} "Signature expired: ..." or "Signature not yet current:
 *       ...";</li>
 *   <li>an access key the lookup does not know: {@code UnrecognizedClientException} "The security
 *       token included in the request is invalid.";</li>
 *   <li>a signature that differs (compared in constant time): {@code InvalidSignatureException}
 *       "The request signature we calculated does not match ...".</li>
 * </ol>
 *
 * <p>Immutable and thread-safe provided the credential lookup and the clock are: every call
 * creates its own {@link Mac} and {@link MessageDigest}.
 */
public final class SigV4Verifier {
    /** The only signing algorithm accepted. */
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** The {@code x-amz-content-sha256} value that leaves the body out of the signature. */
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    /** How far the request time may be from the server's, either way. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    static final String MSG_MISSING_TOKEN = "Missing Authentication Token";
    static final String MSG_UNRECOGNIZED_CLIENT = "The security token included in the request is invalid.";
    static final String MSG_SIGNATURE_MISMATCH = "The request signature we calculated does not match the "
            + "signature you provided. Check your AWS Secret Access Key and signing method. Consult the "
            + "service documentation for details.";
    static final String MSG_DATE_REQUIRED =
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";

    private static final String TERMINATOR = "aws4_request";
    private static final String CONTENT_SHA256 = "x-amz-content-sha256";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern SPACES = Pattern.compile(" {2,}");
    private static final HexFormat HEX = HexFormat.of();

    /** How a verification ended, with the AWS error name each failure is reported as. */
    public enum Outcome {
        OK(null),
        MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException"),
        INCOMPLETE_SIGNATURE("IncompleteSignatureException"),
        INVALID_SIGNATURE("InvalidSignatureException"),
        UNRECOGNIZED_CLIENT("UnrecognizedClientException");

        private final String errorCode;

        Outcome(String errorCode) {
            this.errorCode = errorCode;
        }

        /** The exact AWS error name ({@code __type}), or null for {@link #OK}. */
        public String errorCode() {
            return errorCode;
        }

        /** The HTTP status AWS's JSON services answer with: 200 for OK, 400 for every failure. */
        public int httpStatus() {
            return this == OK ? 200 : 400;
        }
    }

    /**
     * The result of {@link #verify}: the outcome, the AWS error message (null when OK), and, as far
     * as they could be parsed, the access key id, region and service of the credential scope.
     */
    public record Verification(Outcome outcome, String message, String accessKeyId, String region,
                               String service) {
        public Verification {
            Objects.requireNonNull(outcome, "outcome");
        }

        public boolean ok() {
            return outcome == Outcome.OK;
        }

        /** The AWS error name, or null when OK. */
        public String errorCode() {
            return outcome.errorCode();
        }

        static Verification failure(Outcome outcome, String message) {
            return new Verification(outcome, message, null, null, null);
        }
    }

    private final Function<String, String> secretKeys;
    private final Clock clock;

    /**
     * @param secretKeys the secret access key for an access key id, or null when unknown
     * @param clock      the server's time, against which the request time is checked
     */
    public SigV4Verifier(Function<String, String> secretKeys, Clock clock) {
        this.secretKeys = Objects.requireNonNull(secretKeys, "secretKeys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Verifies the request's signature.
     *
     * @param method   the HTTP method, e.g. {@code POST}
     * @param rawPath  the path as received, still percent-encoded; null or empty means {@code /}
     * @param rawQuery the query string as received without {@code ?}, or null
     * @param headers  the request headers; names are matched case-insensitively and the values of
     *                 a repeated header are joined with commas
     * @param body     the body bytes, or null for none
     * @return the outcome; never null, never throws for a malformed request
     */
    public Verification verify(String method, String rawPath, String rawQuery,
                               Map<String, List<String>> headers, byte[] body) {
        Map<String, List<String>> lower = lowercase(headers);
        String authorization = first(lower, "authorization");
        if (authorization == null || authorization.isBlank()) {
            return Verification.failure(Outcome.MISSING_AUTHENTICATION_TOKEN, MSG_MISSING_TOKEN);
        }
        Map<String, String> params = authorizationParameters(authorization);
        String credential = params.get("Credential");
        String signature = params.get("Signature");
        String signedHeaders = params.get("SignedHeaders");
        Instant requestTime = requestTime(lower);

        if (credential == null || signature == null || signedHeaders == null) {
            StringBuilder message = new StringBuilder();
            if (credential == null) {
                message.append("Authorization header requires 'Credential' parameter. ");
            }
            if (signature == null) {
                message.append("Authorization header requires 'Signature' parameter. ");
            }
            if (signedHeaders == null) {
                message.append("Authorization header requires 'SignedHeaders' parameter. ");
            }
            if (requestTime == null) {
                message.append(MSG_DATE_REQUIRED);
            }
            message.append("Authorization=").append(authorization);
            return Verification.failure(Outcome.INCOMPLETE_SIGNATURE, message.toString());
        }
        if (requestTime == null) {
            return Verification.failure(Outcome.INCOMPLETE_SIGNATURE,
                    MSG_DATE_REQUIRED + "Authorization=" + authorization);
        }

        String[] scope = credential.split("/", -1);
        if (scope.length != 5) {
            return Verification.failure(Outcome.INCOMPLETE_SIGNATURE,
                    "Credential must have exactly 5 slash-delimited elements, "
                            + "e.g. keyid/date/region/service/term, got '" + credential + "'");
        }
        String accessKeyId = scope[0];
        String scopeDate = scope[1];
        String region = scope[2];
        String service = scope[3];
        String amzDate = AMZ_DATE.format(requestTime);
        String amzDay = amzDate.substring(0, 8);
        if (!scopeDate.equals(amzDay)) {
            return new Verification(Outcome.INVALID_SIGNATURE,
                    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                            + scopeDate + "' != '" + amzDay + "', from '" + amzDate + "'.",
                    accessKeyId, region, service);
        }
        if (!TERMINATOR.equals(scope[4])) {
            return new Verification(Outcome.INVALID_SIGNATURE,
                    "Credential should be scoped with a valid terminator: 'aws4_request', not '" + scope[4] + "'.",
                    accessKeyId, region, service);
        }

        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        if (requestTime.isBefore(now.minus(MAX_SKEW))) {
            return new Verification(Outcome.INVALID_SIGNATURE,
                    "Signature expired: " + amzDate + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW))
                            + " (" + AMZ_DATE.format(now) + " - 5 min.)",
                    accessKeyId, region, service);
        }
        if (requestTime.isAfter(now.plus(MAX_SKEW))) {
            return new Verification(Outcome.INVALID_SIGNATURE,
                    "Signature not yet current: " + amzDate + " is still later than "
                            + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + 5 min.)",
                    accessKeyId, region, service);
        }

        String secretKey = secretKeys.apply(accessKeyId);
        if (secretKey == null) {
            return new Verification(Outcome.UNRECOGNIZED_CLIENT, MSG_UNRECOGNIZED_CLIENT, accessKeyId, region, service);
        }

        Verification mismatch =
                new Verification(Outcome.INVALID_SIGNATURE, MSG_SIGNATURE_MISMATCH, accessKeyId, region, service);
        byte[] payload = body == null ? new byte[0] : body;
        String bodyHash = sha256Hex(payload);
        String payloadHash = payloadHash(lower, bodyHash);
        if (HEX_SHA256.matcher(payloadHash).matches() && !payloadHash.equalsIgnoreCase(bodyHash)) {
            return mismatch;
        }
        List<String> signedNames = List.of(signedHeaders.split(";", -1));
        String canonical = canonicalRequest(method, rawPath, rawQuery, lower, signedNames, payloadHash);
        String expected = signature(secretKey, scopeDate, region, service, amzDate, canonical);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            return mismatch;
        }
        return new Verification(Outcome.OK, null, accessKeyId, region, service);
    }

    /**
     * Signs a request: the value of the {@code Authorization} header that {@link #verify} accepts.
     * Every header in {@code headers} except {@code Authorization} is signed; the request time is
     * the {@code X-Amz-Date} header (basic ISO-8601), or failing that the {@code Date} header, and
     * one of them must be present. The payload hash is {@code x-amz-content-sha256} when present,
     * else the body's SHA-256.
     *
     * @param rawPath  the path as it will be sent (percent-encoded); null or empty means {@code /}
     * @param rawQuery the query string as it will be sent, or null
     * @param body     the body bytes, or null for none
     * @return e.g. {@code AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/kinesis/aws4_request,
     *         SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=<hex>}
     * @throws IllegalArgumentException when neither date header is present
     */
    public static String sign(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                              byte[] body, String accessKeyId, String secretKey, String region, String service) {
        Map<String, List<String>> lower = lowercase(headers);
        lower.remove("authorization");
        Instant time = requestTime(lower);
        if (time == null) {
            throw new IllegalArgumentException("an X-Amz-Date or Date header is required to sign");
        }
        String amzDate = AMZ_DATE.format(time);
        String date = amzDate.substring(0, 8);
        List<String> signedNames = new ArrayList<>(new TreeMap<>(lower).keySet());
        String payloadHash = payloadHash(lower, sha256Hex(body == null ? new byte[0] : body));
        String canonical = canonicalRequest(method, rawPath, rawQuery, lower, signedNames, payloadHash);
        return ALGORITHM + " Credential=" + accessKeyId + "/" + date + "/" + region + "/" + service + "/" + TERMINATOR
                + ", SignedHeaders=" + String.join(";", signedNames)
                + ", Signature=" + signature(secretKey, date, region, service, amzDate, canonical);
    }

    /**
     * The canonical request. {@code headers} must have lowercase names (see {@link #lowercase});
     * the signed names are used in the order given, as the client listed them.
     */
    static String canonicalRequest(String method, String rawPath, String rawQuery,
                                   Map<String, List<String>> headers, List<String> signedNames, String payloadHash) {
        StringBuilder out = new StringBuilder();
        out.append(method).append('\n');
        out.append(canonicalUri(rawPath)).append('\n');
        out.append(canonicalQuery(rawQuery)).append('\n');
        for (String name : signedNames) {
            String lowerName = name.toLowerCase(Locale.ROOT);
            out.append(lowerName).append(':').append(canonicalHeaderValue(headers.get(lowerName))).append('\n');
        }
        out.append('\n');
        out.append(String.join(";", signedNames).toLowerCase(Locale.ROOT)).append('\n');
        out.append(payloadHash);
        return out.toString();
    }

    /** The request path with each segment URI-encoded once more, as non-S3 services sign it. */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        String[] segments = rawPath.split("/", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(uriEncode(segments[i]));
        }
        return out.toString();
    }

    /** The query parameters decoded, re-encoded and sorted by name, then value. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String param : rawQuery.split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            String value = eq < 0 ? "" : param.substring(eq + 1);
            pairs.add(new String[] {uriEncode(percentDecode(name)), uriEncode(percentDecode(value))});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder out = new StringBuilder();
        for (String[] pair : pairs) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(pair[0]).append('=').append(pair[1]);
        }
        return out.toString();
    }

    /** RFC 3986 encoding of the UTF-8 bytes: unreserved characters kept, the rest as uppercase %XX. */
    static String uriEncode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Decodes %XX escapes (a malformed escape is kept as it is); '+' stays a plus sign. */
    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[in.length];
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length) {
                int hi = Character.digit(in[i + 1], 16);
                int lo = Character.digit(in[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out[n++] = (byte) ((hi << 4) | lo);
                    i += 2;
                    continue;
                }
            }
            out[n++] = in[i];
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static String canonicalHeaderValue(List<String> values) {
        if (values == null) {
            return "";
        }
        List<String> trimmed = new ArrayList<>(values.size());
        for (String v : values) {
            if (v != null) {
                trimmed.add(SPACES.matcher(v.strip()).replaceAll(" "));
            }
        }
        return String.join(",", trimmed);
    }

    private static String payloadHash(Map<String, List<String>> lower, String bodyHash) {
        String declared = first(lower, CONTENT_SHA256);
        if (declared == null || declared.isBlank()) {
            return bodyHash;
        }
        declared = declared.strip();
        return HEX_SHA256.matcher(declared).matches() ? declared.toLowerCase(Locale.ROOT) : declared;
    }

    private static String signature(String secretKey, String date, String region, String service, String amzDate,
                                    String canonicalRequest) {
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + date + "/" + region + "/" + service + "/"
                + TERMINATOR + "\n" + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, TERMINATOR);
        return HEX.formatHex(hmac(key, stringToSign));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    static String sha256Hex(byte[] data) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** The parameters after {@code AWS4-HMAC-SHA256}; empty when the header names another scheme. */
    private static Map<String, String> authorizationParameters(String authorization) {
        Map<String, String> params = new LinkedHashMap<>();
        String header = authorization.strip();
        if (!header.startsWith(ALGORITHM)
                || (header.length() > ALGORITHM.length() && !Character.isWhitespace(header.charAt(ALGORITHM.length())))) {
            return params;
        }
        for (String part : header.substring(ALGORITHM.length()).split(",")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq > 0) {
                params.putIfAbsent(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
            }
        }
        return params;
    }

    /** The request time: {@code X-Amz-Date} if parseable, else {@code Date}; null when neither is. */
    private static Instant requestTime(Map<String, List<String>> lower) {
        String amzDate = first(lower, "x-amz-date");
        if (amzDate != null) {
            try {
                return LocalDateTime.parse(amzDate.strip(), AMZ_DATE).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // fall back to Date
            }
        }
        String date = first(lower, "date");
        if (date != null) {
            try {
                return ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return LocalDateTime.parse(date.strip(), AMZ_DATE).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e2) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String first(Map<String, List<String>> lower, String name) {
        List<String> values = lower.get(name);
        if (values == null) {
            return null;
        }
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** A copy of the headers keyed by lowercase name, repeated names (in any case) merged in order. */
    static Map<String, List<String>> lowercase(Map<String, List<String>> headers) {
        Map<String, List<String>> lower = new LinkedHashMap<>();
        if (headers == null) {
            return lower;
        }
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                continue;
            }
            lower.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(e.getValue());
        }
        return lower;
    }
}
