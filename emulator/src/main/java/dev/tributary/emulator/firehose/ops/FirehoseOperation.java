package dev.tributary.emulator.firehose.ops;

import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.protocol.Operation;

/** Base of the Firehose operations: each holds the shared {@link FirehoseBackend}. */
abstract class FirehoseOperation<I, O> implements Operation<I, O> {
    protected final FirehoseBackend firehose;
    private final Class<I> inputType;

    FirehoseOperation(FirehoseBackend firehose, Class<I> inputType) {
        this.firehose = firehose;
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
