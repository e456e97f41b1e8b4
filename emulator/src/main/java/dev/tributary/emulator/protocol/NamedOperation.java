package dev.tributary.emulator.protocol;

/**
 * Base of operations whose class is named after the AWS operation ({@code PutRecord},
 * {@code CreateDeliveryStream}): the name comes from the class, the input type from the
 * constructor.
 */
public abstract class NamedOperation<I, O> implements Operation<I, O> {
    private final Class<I> inputType;

    protected NamedOperation(Class<I> inputType) {
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
