package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.Operation;

/** Base of the Kinesis operations: each holds the shared {@link KinesisBackend}. */
abstract class KinesisOperation<I, O> implements Operation<I, O> {
    protected final KinesisBackend kinesis;
    private final Class<I> inputType;

    KinesisOperation(KinesisBackend kinesis, Class<I> inputType) {
        this.kinesis = kinesis;
        this.inputType = inputType;
    }

    @Override
    public String name() {
        return getClass().getSimpleName();
    }

    @Override
    public Class<I> inputType() {
        return inputType;
    }
}
