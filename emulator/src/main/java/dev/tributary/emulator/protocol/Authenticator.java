package dev.tributary.emulator.protocol;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives who is calling from the SigV4 {@code Authorization} header: the account is the access
 * key id when that is 12 digits (as LocalStack does), otherwise the configured default account;
 * the region is the one in the credential scope. By default signatures are not verified; with a
 * {@link SigV4Verifier} (opt-in {@code --verify-signatures}) every request must carry a valid
 * signature by one of the configured credentials, and AWS's errors answer the rest.
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
    private final SigV4Verifier verifier;

    public Authenticator(String defaultAccount, String defaultRegion, boolean requireAuthorization) {
        this(defaultAccount, defaultRegion, requireAuthorization, null);
    }

    /** @param verifier checks signatures when not null */
    public Authenticator(String defaultAccount, String defaultRegion, boolean requireAuthorization,
                         SigV4Verifier verifier) {
        this.defaultAccount = defaultAccount;
        this.defaultRegion = defaultRegion;
        this.requireAuthorization = requireAuthorization;
        this.verifier = verifier;
    }

    public Principal authenticate(RawRequest request) {
        if (verifier == null) {
            return authenticate(request.header("Authorization"));
        }
        SigV4Verifier.Verification v = verifier.verify(request.method(), request.path(), request.query(),
                request.headers(), request.body());
        if (!v.ok()) {
            throw new AwsException(switch (v.outcome()) {
                case MISSING_AUTHENTICATION_TOKEN -> CommonError.MISSING_AUTHENTICATION_TOKEN;
                case INCOMPLETE_SIGNATURE -> CommonError.INCOMPLETE_SIGNATURE;
                case UNRECOGNIZED_CLIENT -> CommonError.UNRECOGNIZED_CLIENT;
                default -> CommonError.INVALID_SIGNATURE;
            }, v.message());
        }
        String account = TWELVE_DIGITS.matcher(v.accessKeyId()).matches() ? v.accessKeyId() : defaultAccount;
        return new Principal(v.accessKeyId(), account, v.region());
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
