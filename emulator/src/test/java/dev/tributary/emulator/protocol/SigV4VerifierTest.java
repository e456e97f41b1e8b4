package dev.tributary.emulator.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.emulator.protocol.SigV4Verifier.Outcome;
import dev.tributary.emulator.protocol.SigV4Verifier.Verification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SigV4VerifierTest {
    // The AWS SigV4 test suite's credentials, time and scope.
    static final String SUITE_KEY = "AKIDEXAMPLE";
    static final String SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");
    static final String SUITE_PREFIX = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=";
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    // A Kinesis-style request.
    static final String KEY = "AKIDTRIBUTARY";
    static final String SECRET = "tributary-secret-key";
    static final Instant NOW = Instant.parse("2026-11-22T10:15:00Z");
    static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    static SigV4Verifier verifier(Instant now) {
        return new SigV4Verifier(k -> switch (k) {
            case SUITE_KEY -> SUITE_SECRET;
            case KEY -> SECRET;
            default -> null;
        }, Clock.fixed(now, ZoneOffset.UTC));
    }

    static Map<String, List<String>> suiteHeaders(String authorization) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Host", List.of("example.amazonaws.com"));
        h.put("X-Amz-Date", List.of("20150830T123600Z"));
        if (authorization != null) {
            h.put("Authorization", List.of(authorization));
        }
        return h;
    }

    static Map<String, List<String>> kinesisHeaders() {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Content-Type", List.of("application/x-amz-json-1.1"));
        h.put("Host", List.of("127.0.0.1:4566"));
        h.put("X-Amz-Date", List.of("20261122T101500Z"));
        h.put("X-Amz-Target", List.of("Kinesis_20131202.ListStreams"));
        return h;
    }

    /** Signs the headers (as they are) and adds the Authorization header. */
    static Map<String, List<String>> signed(Map<String, List<String>> headers, byte[] body, String secret) {
        String auth = SigV4Verifier.sign("POST", "/", null, headers, body, KEY, secret, "us-east-1", "kinesis");
        Map<String, List<String>> out = new LinkedHashMap<>(headers);
        out.put("Authorization", List.of(auth));
        return out;
    }

    static Verification verifyKinesis(Map<String, List<String>> headers, byte[] body) {
        return verifier(NOW).verify("POST", "/", null, headers, body);
    }

    static Map<String, List<String>> with(Map<String, List<String>> headers, String name, String value) {
        Map<String, List<String>> out = new LinkedHashMap<>(headers);
        out.put(name, List.of(value));
        return out;
    }

    static Map<String, List<String>> without(Map<String, List<String>> headers, String name) {
        Map<String, List<String>> out = new LinkedHashMap<>(headers);
        out.remove(name);
        return out;
    }

    static void assertFailure(Verification v, String code, String message) {
        assertThat(v.ok()).isFalse();
        assertThat(v.errorCode()).isEqualTo(code);
        assertThat(v.message()).isEqualTo(message);
        assertThat(v.outcome().httpStatus()).isEqualTo(400);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    // --- the AWS test suite ---------------------------------------------------------------

    @Test
    void theGetVanillaCanonicalRequestMatchesTheTestSuite() {
        String canonical = SigV4Verifier.canonicalRequest("GET", "/", null,
                SigV4Verifier.lowercase(suiteHeaders(null)), List.of("host", "x-amz-date"), EMPTY_SHA256);
        assertThat(canonical).isEqualTo("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                + "host;x-amz-date\n" + EMPTY_SHA256);
        assertThat(SigV4Verifier.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
    }

    @Test
    void signReproducesTheGetVanillaSignature() {
        assertThat(SigV4Verifier.sign("GET", "/", null, suiteHeaders(null), new byte[0],
                SUITE_KEY, SUITE_SECRET, "us-east-1", "service"))
                .isEqualTo(SUITE_PREFIX + "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    @Test
    void verifyAcceptsTheGetVanillaSignature() {
        Verification v = verifier(SUITE_TIME).verify("GET", "/", null,
                suiteHeaders(SUITE_PREFIX + "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), null);
        assertThat(v.ok()).as(v.toString()).isTrue();
        assertThat(v.errorCode()).isNull();
        assertThat(v.accessKeyId()).isEqualTo(SUITE_KEY);
        assertThat(v.region()).isEqualTo("us-east-1");
        assertThat(v.service()).isEqualTo("service");
    }

    @Test
    void verifyAcceptsTheGetVanillaQueryOrderKeyCaseSignatureWithTheQuerySorted() {
        String query = "Param2=value2&Param1=value1";
        assertThat(SigV4Verifier.canonicalQuery(query)).isEqualTo("Param1=value1&Param2=value2");
        Verification v = verifier(SUITE_TIME).verify("GET", "/", query,
                suiteHeaders(SUITE_PREFIX + "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"), null);
        assertThat(v.ok()).as(v.toString()).isTrue();
    }

    @Test
    void verifyAcceptsThePostVanillaSignature() {
        String post = SUITE_PREFIX + "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b";
        assertThat(verifier(SUITE_TIME).verify("POST", "/", null, suiteHeaders(post), new byte[0]).ok()).isTrue();
        // The same signature does not hold for GET: the method is signed.
        assertFailure(verifier(SUITE_TIME).verify("GET", "/", null, suiteHeaders(post), new byte[0]),
                "InvalidSignatureException", SigV4Verifier.MSG_SIGNATURE_MISMATCH);
    }

    // --- a Kinesis request, canonicalised by hand ---------------------------------------------

    @Test
    void signAndVerifyAgreeWithAKinesisListStreamsRequestCanonicalisedByHand() throws Exception {
        String bodyHash = hex(MessageDigest.getInstance("SHA-256").digest(BODY));
        assertThat(bodyHash).isEqualTo("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
        String canonical = "POST\n"
                + "/\n"
                + "\n"
                + "content-type:application/x-amz-json-1.1\n"
                + "host:127.0.0.1:4566\n"
                + "x-amz-date:20261122T101500Z\n"
                + "x-amz-target:Kinesis_20131202.ListStreams\n"
                + "\n"
                + "content-type;host;x-amz-date;x-amz-target\n"
                + bodyHash;
        String signedHeaders = "content-type;host;x-amz-date;x-amz-target";
        assertThat(SigV4Verifier.canonicalRequest("POST", "/", null, SigV4Verifier.lowercase(kinesisHeaders()),
                List.of(signedHeaders.split(";")), bodyHash)).isEqualTo(canonical);

        String stringToSign = "AWS4-HMAC-SHA256\n20261122T101500Z\n20261122/us-east-1/kinesis/aws4_request\n"
                + hex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), "20261122");
        key = hmac(key, "us-east-1");
        key = hmac(key, "kinesis");
        key = hmac(key, "aws4_request");
        String authorization = "AWS4-HMAC-SHA256 Credential=" + KEY + "/20261122/us-east-1/kinesis/aws4_request, "
                + "SignedHeaders=" + signedHeaders + ", Signature=" + hex(hmac(key, stringToSign));

        assertThat(SigV4Verifier.sign("POST", "/", null, kinesisHeaders(), BODY, KEY, SECRET, "us-east-1", "kinesis"))
                .isEqualTo(authorization);
        Verification v = verifyKinesis(with(kinesisHeaders(), "Authorization", authorization), BODY);
        assertThat(v.ok()).as(v.toString()).isTrue();
        assertThat(v.service()).isEqualTo("kinesis");
    }

    @Test
    void aSignedRequestVerifiesWithHeaderNamesInAnyCaseAndUnsignedHeadersAdded() {
        Map<String, List<String>> request = signed(kinesisHeaders(), BODY, SECRET);
        Map<String, List<String>> received = new LinkedHashMap<>();
        request.forEach((name, values) -> received.put(name.toUpperCase(), values));
        received.put("User-Agent", List.of("aws-sdk-java/2.x"));
        Verification v = verifyKinesis(received, BODY);
        assertThat(v.ok()).as(v.toString()).isTrue();
    }

    // --- tampering ------------------------------------------------------------------------

    @Test
    void aTamperedBodyIsASignatureMismatch() {
        Map<String, List<String>> request = signed(kinesisHeaders(), BODY, SECRET);
        assertThat(verifyKinesis(request, BODY).ok()).isTrue();
        assertFailure(verifyKinesis(request, "{\"Limit\":1}".getBytes(StandardCharsets.UTF_8)),
                "InvalidSignatureException", "The request signature we calculated does not match the signature you "
                        + "provided. Check your AWS Secret Access Key and signing method. Consult the service "
                        + "documentation for details.");
    }

    @Test
    void aTamperedSignedHeaderIsASignatureMismatch() {
        Map<String, List<String>> request = signed(kinesisHeaders(), BODY, SECRET);
        assertFailure(verifyKinesis(with(request, "X-Amz-Target", "Kinesis_20131202.DeleteStream"), BODY),
                "InvalidSignatureException", SigV4Verifier.MSG_SIGNATURE_MISMATCH);
    }

    @Test
    void aTamperedPathOrQueryIsASignatureMismatch() {
        Map<String, List<String>> request = signed(kinesisHeaders(), BODY, SECRET);
        assertFailure(verifier(NOW).verify("POST", "/other", null, request, BODY),
                "InvalidSignatureException", SigV4Verifier.MSG_SIGNATURE_MISMATCH);
        assertFailure(verifier(NOW).verify("POST", "/", "a=b", request, BODY),
                "InvalidSignatureException", SigV4Verifier.MSG_SIGNATURE_MISMATCH);
    }

    @Test
    void aTamperedTimeOnTheSameDayIsASignatureMismatch() {
        Map<String, List<String>> request = signed(kinesisHeaders(), BODY, SECRET);
        assertFailure(verifyKinesis(with(request, "X-Amz-Date", "20261122T101501Z"), BODY),
                "InvalidSignatureException", SigV4Verifier.MSG_SIGNATURE_MISMATCH);
    }

    @Test
    void aWrongSecretIsASignatureMismatch() {
        assertFailure(verifyKinesis(signed(kinesisHeaders(), BODY, "not-the-secret"), BODY),
                "InvalidSignatureException", SigV4Verifier.MSG_SIGNATURE_MISMATCH);
    }

    @Test
    void aTamperedSignatureIsASignatureMismatch() {
        Map<String, List<String>> request = signed(kinesisHeaders(), BODY, SECRET);
        String auth = request.get("Authorization").get(0);
        char last = auth.charAt(auth.length() - 1);
        String tampered = auth.substring(0, auth.length() - 1) + (last == '0' ? '1' : '0');
        assertFailure(verifyKinesis(with(request, "Authorization", tampered), BODY),
                "InvalidSignatureException", SigV4Verifier.MSG_SIGNATURE_MISMATCH);
    }

    @Test
    void anUnknownAccessKeyIsAnUnrecognizedClient() {
        String auth = SigV4Verifier.sign("POST", "/", null, kinesisHeaders(), BODY, "AKIDUNKNOWN", SECRET,
                "us-east-1", "kinesis");
        Verification v = verifyKinesis(with(kinesisHeaders(), "Authorization", auth), BODY);
        assertFailure(v, "UnrecognizedClientException", "The security token included in the request is invalid.");
        assertThat(v.accessKeyId()).isEqualTo("AKIDUNKNOWN");
    }

    // --- the security token and the declared payload hash ---------------------------------------

    @Test
    void theSecurityTokenIsSignedLikeAnyOtherHeader() {
        Map<String, List<String>> request =
                signed(with(kinesisHeaders(), "X-Amz-Security-Token", "session-token-1"), BODY, SECRET);
        assertThat(request.get("Authorization").get(0))
                .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,");
        assertThat(verifyKinesis(request, BODY).ok()).isTrue();
        assertFailure(verifyKinesis(with(request, "X-Amz-Security-Token", "session-token-2"), BODY),
                "InvalidSignatureException", SigV4Verifier.MSG_SIGNATURE_MISMATCH);
    }

    @Test
    void aDeclaredPayloadHashThatMatchesTheBodyVerifies() {
        Map<String, List<String>> request = signed(
                with(kinesisHeaders(), "X-Amz-Content-Sha256", SigV4Verifier.sha256Hex(BODY)), BODY, SECRET);
        assertThat(verifyKinesis(request, BODY).ok()).isTrue();
    }

    @Test
    void aDeclaredPayloadHashThatDoesNotMatchTheBodyIsASignatureMismatch() {
        // Signed consistently, but the body is not the one the declared hash describes.
        byte[] other = "{\"Limit\":1}".getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> request = signed(
                with(kinesisHeaders(), "X-Amz-Content-Sha256", SigV4Verifier.sha256Hex(BODY)), other, SECRET);
        assertFailure(verifyKinesis(request, other), "InvalidSignatureException", SigV4Verifier.MSG_SIGNATURE_MISMATCH);
    }

    @Test
    void anUnsignedPayloadLeavesTheBodyOutOfTheSignature() {
        Map<String, List<String>> request =
                signed(with(kinesisHeaders(), "X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"), BODY, SECRET);
        assertThat(verifyKinesis(request, BODY).ok()).isTrue();
        assertThat(verifyKinesis(request, "anything".getBytes(StandardCharsets.UTF_8)).ok()).isTrue();
        // But the literal itself is signed: dropping the header changes the payload hash.
        assertFailure(verifyKinesis(without(request, "X-Amz-Content-Sha256"), BODY),
                "InvalidSignatureException", SigV4Verifier.MSG_SIGNATURE_MISMATCH);
    }

    // --- canonical form -------------------------------------------------------------------

    @Test
    void headerValuesAreTrimmedWithSpacesCollapsedAndRepeatedValuesJoined() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("X-Custom", List.of("  a   b  c ", "d"));
        headers.put("x-other", List.of("e"));
        assertThat(SigV4Verifier.canonicalRequest("POST", "/", null, SigV4Verifier.lowercase(headers),
                List.of("x-custom", "x-other"), EMPTY_SHA256))
                .isEqualTo("POST\n/\n\nx-custom:a b c,d\nx-other:e\n\nx-custom;x-other\n" + EMPTY_SHA256);
    }

    @Test
    void aHeaderSignedWithExtraSpacesVerifiesAfterTheSpacesChange() {
        Map<String, List<String>> request = signed(with(kinesisHeaders(), "X-Custom", "a   b"), BODY, SECRET);
        assertThat(verifyKinesis(with(request, "X-Custom", " a b "), BODY).ok()).isTrue();
        assertFailure(verifyKinesis(with(request, "X-Custom", "ab"), BODY),
                "InvalidSignatureException", SigV4Verifier.MSG_SIGNATURE_MISMATCH);
    }

    @Test
    void theQueryIsDecodedReencodedAndSortedByNameThenValue() {
        assertThat(SigV4Verifier.canonicalQuery("b=2&a=z&a=y&A=0&c&sp=a%20b+c&t=%7e%2a"))
                .isEqualTo("A=0&a=y&a=z&b=2&c=&sp=a%20b%2Bc&t=~%2A");
        assertThat(SigV4Verifier.canonicalQuery(null)).isEmpty();
    }

    @Test
    void eachPathSegmentIsEncodedOnceMore() {
        assertThat(SigV4Verifier.canonicalUri("/")).isEqualTo("/");
        assertThat(SigV4Verifier.canonicalUri("")).isEqualTo("/");
        assertThat(SigV4Verifier.canonicalUri("/stream/a%20b:c")).isEqualTo("/stream/a%2520b%3Ac");
    }

    // --- time -----------------------------------------------------------------------------

    @Test
    void aRequestFiveMinutesOffEitherWayStillVerifies() {
        Map<String, List<String>> request = signed(kinesisHeaders(), BODY, SECRET);
        assertThat(verifier(NOW.plus(Duration.ofMinutes(5))).verify("POST", "/", null, request, BODY).ok()).isTrue();
        assertThat(verifier(NOW.minus(Duration.ofMinutes(5))).verify("POST", "/", null, request, BODY).ok()).isTrue();
    }

    @Test
    void aRequestMoreThanFiveMinutesOldHasExpired() {
        Map<String, List<String>> request = signed(kinesisHeaders(), BODY, SECRET);
        assertFailure(verifier(NOW.plusSeconds(301)).verify("POST", "/", null, request, BODY),
                "InvalidSignatureException",
                "Signature expired: 20261122T101500Z is now earlier than 20261122T101501Z (20261122T102001Z - 5 min.)");
    }

    @Test
    void aRequestMoreThanFiveMinutesAheadIsNotYetCurrent() {
        Map<String, List<String>> request = signed(kinesisHeaders(), BODY, SECRET);
        assertFailure(verifier(NOW.minusSeconds(301)).verify("POST", "/", null, request, BODY),
                "InvalidSignatureException",
                "Signature not yet current: 20261122T101500Z is still later than 20261122T101459Z "
                        + "(20261122T100959Z + 5 min.)");
    }

    @Test
    void theDateHeaderIsUsedWhenThereIsNoXAmzDate() {
        Map<String, List<String>> headers = without(kinesisHeaders(), "X-Amz-Date");
        headers.put("Date", List.of("Sun, 22 Nov 2026 10:15:00 GMT"));
        Map<String, List<String>> request = signed(headers, BODY, SECRET);
        assertThat(request.get("Authorization").get(0)).contains("/20261122/");
        assertThat(verifyKinesis(request, BODY).ok()).isTrue();
        assertThat(verifier(NOW.plusSeconds(301)).verify("POST", "/", null, request, BODY).message())
                .startsWith("Signature expired: 20261122T101500Z ");
    }

    @Test
    void aCredentialDateOtherThanTheRequestDayIsRejected() {
        Map<String, List<String>> request = signed(kinesisHeaders(), BODY, SECRET);
        assertFailure(verifier(Instant.parse("2026-11-23T00:01:00Z")).verify("POST", "/", null,
                        with(request, "X-Amz-Date", "20261123T000100Z"), BODY),
                "InvalidSignatureException",
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                        + "'20261122' != '20261123', from '20261123T000100Z'.");
    }

    @Test
    void signRefusesARequestWithoutADate() {
        assertThatThrownBy(() -> SigV4Verifier.sign("POST", "/", null, without(kinesisHeaders(), "X-Amz-Date"),
                BODY, KEY, SECRET, "us-east-1", "kinesis"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- malformed Authorization ------------------------------------------------------------

    @Test
    void aRequestWithoutAnAuthorizationHeaderIsMissingTheToken() {
        assertFailure(verifyKinesis(kinesisHeaders(), BODY),
                "MissingAuthenticationTokenException", "Missing Authentication Token");
    }

    @Test
    void aMissingDateHeaderIsAnIncompleteSignature() {
        Map<String, List<String>> request = without(signed(kinesisHeaders(), BODY, SECRET), "X-Amz-Date");
        String auth = request.get("Authorization").get(0);
        assertFailure(verifyKinesis(request, BODY), "IncompleteSignatureException",
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                        + "Authorization=" + auth);
    }

    @Test
    void missingParametersAreListedInOrderWithTheDateWhenItIsMissingToo() {
        String auth = "AWS4-HMAC-SHA256 SignedHeaders=host";
        assertFailure(verifyKinesis(with(kinesisHeaders(), "Authorization", auth), BODY),
                "IncompleteSignatureException",
                "Authorization header requires 'Credential' parameter. "
                        + "Authorization header requires 'Signature' parameter. "
                        + "Authorization=" + auth);
        assertFailure(verifyKinesis(with(without(kinesisHeaders(), "X-Amz-Date"), "Authorization", auth), BODY),
                "IncompleteSignatureException",
                "Authorization header requires 'Credential' parameter. "
                        + "Authorization header requires 'Signature' parameter. "
                        + "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                        + "Authorization=" + auth);
    }

    @Test
    void anAuthorizationOfAnotherSchemeLacksEveryParameter() {
        assertFailure(verifyKinesis(with(kinesisHeaders(), "Authorization", "Bearer abc"), BODY),
                "IncompleteSignatureException",
                "Authorization header requires 'Credential' parameter. "
                        + "Authorization header requires 'Signature' parameter. "
                        + "Authorization header requires 'SignedHeaders' parameter. "
                        + "Authorization=Bearer abc");
    }

    @Test
    void aCredentialWithoutFiveElementsIsAnIncompleteSignature() {
        String auth = "AWS4-HMAC-SHA256 Credential=" + KEY + "/20261122/us-east-1/kinesis, "
                + "SignedHeaders=host;x-amz-date, Signature=abc";
        assertFailure(verifyKinesis(with(kinesisHeaders(), "Authorization", auth), BODY),
                "IncompleteSignatureException",
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '"
                        + KEY + "/20261122/us-east-1/kinesis'");
    }

    @Test
    void aCredentialWithAnotherTerminatorIsRejected() {
        String auth = "AWS4-HMAC-SHA256 Credential=" + KEY + "/20261122/us-east-1/kinesis/aws5_request, "
                + "SignedHeaders=host;x-amz-date, Signature=abc";
        assertFailure(verifyKinesis(with(kinesisHeaders(), "Authorization", auth), BODY),
                "InvalidSignatureException",
                "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'.");
    }
}
