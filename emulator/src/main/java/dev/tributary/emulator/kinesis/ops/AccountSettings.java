package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.RequestContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Account-level settings (the minimum throughput billing commitment), per account and region.
 * Kept in memory: they do not survive a restart (documented).
 */
public final class AccountSettings {
    /** The commitment as AWS reports it. */
    public record Commitment(String status, Instant startedAt, Instant endedAt, Instant earliestAllowedEndAt) {
    }

    private final Map<String, Commitment> byAccount = new ConcurrentHashMap<>();

    public AccountSettings() {
    }

    /** The commitment now: a disable scheduled for the earliest allowed end takes effect once it is reached. */
    Commitment get(RequestContext ctx, Instant now) {
        return byAccount.compute(ctx.account() + "/" + ctx.region(), (k, c) -> {
            if (c == null) {
                return new Commitment("DISABLED", null, null, null);
            }
            if (c.status().equals("ENABLED_UNTIL_EARLIEST_ALLOWED_END") && !now.isBefore(c.earliestAllowedEndAt())) {
                return new Commitment("DISABLED", c.startedAt(), c.earliestAllowedEndAt(), c.earliestAllowedEndAt());
            }
            return c;
        });
    }

    /** ENABLED starts a 24-hour minimum; DISABLED before its end keeps it ENABLED_UNTIL_EARLIEST_ALLOWED_END. */
    Commitment update(RequestContext ctx, String status, Instant now) {
        get(ctx, now);
        return byAccount.compute(ctx.account() + "/" + ctx.region(), (k, old) -> {
            if (status.equals("ENABLED")) {
                if (old != null && old.status().startsWith("ENABLED")) {
                    return new Commitment("ENABLED", old.startedAt(), null, old.earliestAllowedEndAt());
                }
                return new Commitment("ENABLED", now, null, now.plus(24, ChronoUnit.HOURS));
            }
            if (old == null || old.status().equals("DISABLED")) {
                return new Commitment("DISABLED", null, null, null);
            }
            if (now.isBefore(old.earliestAllowedEndAt())) {
                return new Commitment("ENABLED_UNTIL_EARLIEST_ALLOWED_END", old.startedAt(), old.earliestAllowedEndAt(),
                        old.earliestAllowedEndAt());
            }
            return new Commitment("DISABLED", old.startedAt(), now, old.earliestAllowedEndAt());
        });
    }

    static Instant now(KinesisBackend kinesis) {
        return KinesisBackend.instant(kinesis.nowMillis());
    }
}
