package dev.tributary.firehose;

/** Placeholder until the Firehose issue: delivery streams and the delivery engine live here. */
final class FirehoseModule {
    private FirehoseModule() {
    }
}
