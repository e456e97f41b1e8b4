package dev.tributary.emulator.msk;

/** An MSK error answer: the error, AWS's (or, where AWS's is not public, Tributary's) message, the parameter at fault. */
public final class MskException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final MskError error;
    private final String invalidParameter;

    public MskException(MskError error, String message, String invalidParameter) {
        super(message, null, false, false);
        this.error = error;
        this.invalidParameter = invalidParameter;
    }

    public MskException(MskError error, String message) {
        this(error, message, null);
    }

    public MskError error() {
        return error;
    }

    public String invalidParameter() {
        return invalidParameter;
    }
}
