package dev.tributary.emulator.firehose.ops;

import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.protocol.NamedOperation;

/** Base of the Firehose operations: each holds the shared {@link FirehoseBackend}. */
abstract class FirehoseOperation<I, O> extends NamedOperation<I, O> {
    protected final FirehoseBackend firehose;

    FirehoseOperation(FirehoseBackend firehose, Class<I> inputType) {
        super(inputType);
        this.firehose = firehose;
    }
}
