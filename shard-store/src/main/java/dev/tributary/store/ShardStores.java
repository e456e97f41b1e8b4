package dev.tributary.store;

import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoreConfig;
import dev.tributary.store.internal.DefaultShardStore;

/** The entry point: opens a store (recovering its files) from a config. */
public final class ShardStores {
    private ShardStores() {
    }

    /**
     * Opens the store at {@code config.dataDir()}, creating it if absent and recovering it if it
     * was not closed cleanly (torn segment tails are truncated at the first bad batch), or an
     * in-memory store when the data dir is null.
     */
    public static ShardStore open(StoreConfig config) {
        return DefaultShardStore.open(config);
    }
}
