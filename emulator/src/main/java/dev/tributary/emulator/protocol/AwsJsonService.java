package dev.tributary.emulator.protocol;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One AWS JSON-protocol service: its model and its operations, keyed by name. Dispatch is a plain
 * map lookup on the operation part of {@code X-Amz-Target}.
 *
 * <p>Immutable; thread-safe.
 */
public final class AwsJsonService {
    private final String name;
    private final ServiceModel model;
    private final Map<String, Operation<?, ?>> operations;
    private final ModelValidator validator;

    public AwsJsonService(String name, ServiceModel model, List<Operation<?, ?>> operations) {
        this(name, model, operations, ValidationOrder.MODEL);
    }

    public AwsJsonService(String name, ServiceModel model, List<Operation<?, ?>> operations, ValidationOrder order) {
        this.name = name;
        this.model = model;
        this.validator = new ModelValidator(model.javaPackage(), order);
        Map<String, Operation<?, ?>> byName = new HashMap<>();
        for (Operation<?, ?> op : operations) {
            if (model.operation(op.name()) == null) {
                throw new IllegalArgumentException(op.name() + " is not an operation of " + name);
            }
            if (byName.put(op.name(), op) != null) {
                throw new IllegalArgumentException("duplicate operation " + op.name());
            }
        }
        this.operations = Map.copyOf(byName);
    }

    /** Short service name, e.g. {@code kinesis}. */
    public String name() {
        return name;
    }

    /** Validates requests with this service's AWS error order. */
    public ModelValidator validator() {
        return validator;
    }

    public ServiceModel model() {
        return model;
    }

    public String targetPrefix() {
        return model.targetPrefix();
    }

    public Operation<?, ?> operation(String name) {
        return operations.get(name);
    }

    public Map<String, Operation<?, ?>> operations() {
        return operations;
    }
}
