package dev.tributary.emulator.protocol;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives who is calling from the SigV4 {@code Authorization} header: the account is the access
 * key id when that is 12 digits (as LocalStack does), otherwise the configured default account;
 * the region is the one in the credential scope. Signatures are not verified.
 *
 * <p>Immutable; thread-safe.
 */
public final class Authenticator {
    private static final Pattern CREDENTIAL =
            Pattern.compile("Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request");
    private static final Pattern TWELVE_DIGITS = Pattern.compile("\\d{12}");

    /** The caller: its account and the region it addressed. */
    public record Principal(String accessKeyId, String account, String region) {
    }

    private final String defaultAccount;
    private final String defaultRegion;
    private final boolean requireAuthorization;

    public Authenticator(String defaultAccount, String defaultRegion, boolean requireAuthorization) {
        this.defaultAccount = defaultAccount;
        this.defaultRegion = defaultRegion;
        this.requireAuthorization = requireAuthorization;
    }

    public Principal authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            if (requireAuthorization) {
                throw new AwsException(CommonError.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
            }
            return new Principal(null, defaultAccount, defaultRegion);
        }
        Matcher m = CREDENTIAL.matcher(authorization);
        if (!authorization.startsWith("AWS4-HMAC-SHA256") || !m.find()) {
            throw new AwsException(CommonError.INCOMPLETE_SIGNATURE,
                    "Authorization header requires 'Credential' parameter. Authorization header requires "
                            + "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
                            + "Authorization=" + authorization);
        }
        String accessKey = m.group(1);
        String account = TWELVE_DIGITS.matcher(accessKey).matches() ? accessKey : defaultAccount;
        return new Principal(accessKey, account, m.group(3));
    }
}
