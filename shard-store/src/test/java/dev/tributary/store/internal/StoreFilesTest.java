package dev.tributary.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StoreFilesTest {
    @Test
    void segmentNamesAreTwentyDigitBaseOffsetsThatSortAsNumbers() {
        assertThat(StoreFiles.segmentFileName(42, StoreFiles.LOG_SUFFIX)).isEqualTo("00000000000000000042.log");
        assertThat(StoreFiles.segmentFileName(Long.MAX_VALUE, StoreFiles.INDEX_SUFFIX))
                .isEqualTo("09223372036854775807.index");
        assertThat(StoreFiles.parseBaseOffset("00000000000000000042.timeindex", StoreFiles.TIME_INDEX_SUFFIX))
                .isEqualTo(OptionalLong.of(42));
        assertThat(StoreFiles.parseBaseOffset("0000000000000000004x.log", StoreFiles.LOG_SUFFIX)).isEmpty();
        assertThat(StoreFiles.parseBaseOffset("42.log", StoreFiles.LOG_SUFFIX)).isEmpty();
    }
}
