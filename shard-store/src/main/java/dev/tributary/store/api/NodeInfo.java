package dev.tributary.store.api;

/**
 * One broker node of the store.
 *
 * @param id      0 .. nodeCount - 1
 * @param running false while stopped (by a test, or after its disk failed)
 */
public record NodeInfo(int id, boolean running) {
}
