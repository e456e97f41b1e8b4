package dev.tributary.emulator.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * SaslHandshake (v1) and SaslAuthenticate, so clients configured for {@code SASL_PLAINTEXT} can
 * connect to the same listener as plaintext ones. Credentials are not checked (as the rest of
 * Tributary accepts any AWS credentials): {@code PLAIN} needs a well-formed
 * {@code authzid NUL user NUL password}; {@code OAUTHBEARER} any client-first message;
 * {@code AWS_MSK_IAM} any payload, answered with the JSON the aws-msk-iam-auth client expects
 * ({@code version} and {@code request-id}). SCRAM is not offered: its server proof needs the
 * password. Authentication is optional: a connection that never authenticates is served too.
 *
 * <p>Stateless apart from the mechanism kept on the {@link KafkaApis.Session}.
 */
final class SaslHandler {
    static final List<String> MECHANISMS = List.of("PLAIN", "OAUTHBEARER", "AWS_MSK_IAM");

    SaslHandshakeResponseData handshake(KafkaApis.Session session, SaslHandshakeRequestData req) {
        SaslHandshakeResponseData out = new SaslHandshakeResponseData().setMechanisms(MECHANISMS);
        if (!MECHANISMS.contains(req.mechanism())) {
            return out.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
        }
        session.saslMechanism = req.mechanism();
        return out.setErrorCode(Errors.NONE.code());
    }

    SaslAuthenticateResponseData authenticate(KafkaApis.Session session, SaslAuthenticateRequestData req) {
        SaslAuthenticateResponseData out = new SaslAuthenticateResponseData().setAuthBytes(new byte[0]).setSessionLifetimeMs(0);
        String mechanism = session.saslMechanism;
        if (mechanism == null) {
            return out.setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                    .setErrorMessage("SaslAuthenticate before a successful SaslHandshake");
        }
        byte[] bytes = req.authBytes() == null ? new byte[0] : req.authBytes();
        switch (mechanism) {
            case "PLAIN" -> {
                String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\u0000", -1);
                if (parts.length != 3 || parts[1].isEmpty()) {
                    return out.setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
                            .setErrorMessage("Invalid SASL/PLAIN response: expected 3 tokens, got " + parts.length);
                }
                session.principal = parts[1];
            }
            case "AWS_MSK_IAM" -> out.setAuthBytes(("{\"version\":\"2020_10_22\",\"request-id\":\"" + UUID.randomUUID() + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            default -> {
                // OAUTHBEARER: any token
            }
        }
        session.saslMechanism = null;
        return out.setErrorCode(Errors.NONE.code());
    }
}
