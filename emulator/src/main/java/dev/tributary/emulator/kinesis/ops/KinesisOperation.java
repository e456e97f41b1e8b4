package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.NamedOperation;

/** Base of the Kinesis operations: each holds the shared {@link KinesisBackend}. */
abstract class KinesisOperation<I, O> extends NamedOperation<I, O> {
    protected final KinesisBackend kinesis;

    KinesisOperation(KinesisBackend kinesis, Class<I> inputType) {
        super(inputType);
        this.kinesis = kinesis;
    }
}
