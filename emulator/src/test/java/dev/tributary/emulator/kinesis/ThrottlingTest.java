package dev.tributary.emulator.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.emulator.time.ControlClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ThrottlingTest {
    final ControlClock clock = new ControlClock(Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
    final Throttling limits = new Throttling(true, clock);

    @Test
    void writesAllowAThousandRecordsPerSecondPerShard() {
        int accepted = 0;
        for (int i = 0; i < 1500; i++) {
            if (limits.tryWrite("s", 0, 10)) {
                accepted++;
            }
        }
        assertThat(accepted).isEqualTo(1000);
        assertThat(limits.tryWrite("s", 1, 10)).as("other shards have their own buckets").isTrue();
        clock.advance(Duration.ofMillis(100));
        accepted = 0;
        for (int i = 0; i < 500; i++) {
            if (limits.tryWrite("s", 0, 10)) {
                accepted++;
            }
        }
        assertThat(accepted).isEqualTo(100);
    }

    @Test
    void writesAllowOneMebibytePerSecondPerShard() {
        assertThat(limits.tryWrite("s", 0, 1024 * 1024)).isTrue();
        assertThat(limits.tryWrite("s", 0, 1)).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limits.tryWrite("s", 0, 1024 * 1024)).isTrue();
    }

    @Test
    void readsAllowFiveCallsPerSecond() {
        for (int i = 0; i < 5; i++) {
            assertThat(limits.tryRead("s", 0)).isTrue();
        }
        assertThat(limits.tryRead("s", 0)).isFalse();
        clock.advance(Duration.ofMillis(200));
        assertThat(limits.tryRead("s", 0)).isTrue();
        assertThat(limits.tryRead("s", 0)).isFalse();
    }

    @Test
    void aTenMebibyteReadBlocksReadsForAboutFiveSeconds() {
        assertThat(limits.tryRead("s", 0)).isTrue();
        limits.chargeRead("s", 0, 10L * 1024 * 1024);
        clock.advance(Duration.ofMillis(3999));
        assertThat(limits.tryRead("s", 0)).isFalse();
        clock.advance(Duration.ofMillis(1002));
        assertThat(limits.tryRead("s", 0)).isTrue();
    }

    @Test
    void forcedThrottlesApplyToTheNextCallsEvenWhenLimitsAreOff() {
        Throttling off = new Throttling(false, clock);
        off.force("s", 2, 2);
        assertThat(off.tryWrite("s", 2, 1)).isFalse();
        assertThat(off.tryRead("s", 2)).isFalse();
        assertThat(off.tryWrite("s", 2, 1)).isTrue();
        assertThat(off.tryWrite("s", 1, 1)).isTrue();
        off.force("s", -1, 1);
        assertThat(off.tryIterator("s", 7)).isFalse();
        assertThat(off.tryIterator("s", 7)).isTrue();
    }
}
