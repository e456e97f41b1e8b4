package dev.tributary.store;

import dev.tributary.store.api.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The two ways a store runs; core tests run against both. */
public enum StoreMode {
    FILES,
    MEMORY;

    /** A test config: small segments, no background threads, the given clock. */
    public StoreConfig config(Path tempDir, Clock clock) {
        return new StoreConfig(this == FILES ? tempDir : null, StoreConfig.FsyncPolicy.NEVER, Duration.ofSeconds(1),
                4096, Duration.ofDays(365), 256, Duration.ZERO, clock);
    }
}
