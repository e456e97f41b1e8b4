package dev.tributary.emulator.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where AWS reports validation errors in an order other than the botocore model's: AWS walks its
 * own internal model, whose member order (and, for enums, value order) differs. Members named here
 * come first, in the given order; the rest follow in model order.
 *
 * <p>Immutable; thread-safe.
 */
public final class ValidationOrder {
    public static final ValidationOrder MODEL = new ValidationOrder(Map.of(), Map.of());

    private final Map<String, List<String>> memberOrder;
    private final Map<String, List<String>> enumOrder;

    public ValidationOrder(Map<String, List<String>> memberOrder, Map<String, List<String>> enumOrder) {
        this.memberOrder = Map.copyOf(memberOrder);
        this.enumOrder = Map.copyOf(enumOrder);
    }

    /** The structure's members in the order AWS validates them. */
    List<Shape.Member> members(Shape structure) {
        List<String> first = memberOrder.get(structure.name());
        if (first == null) {
            return new ArrayList<>(structure.members().values());
        }
        Map<String, Shape.Member> rest = new LinkedHashMap<>(structure.members());
        List<Shape.Member> out = new ArrayList<>(rest.size());
        for (String name : first) {
            Shape.Member m = rest.remove(name);
            if (m != null) {
                out.add(m);
            }
        }
        out.addAll(rest.values());
        return out;
    }

    /** The enum's values in the order AWS lists them in messages. */
    List<String> enumValues(Shape shape) {
        return enumOrder.getOrDefault(shape.name(), shape.enumValues());
    }
}
