package dev.tributary.emulator.dynamodb.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The syntax trees of DynamoDB expressions, with {@code #name} and {@code :value} placeholders
 * already resolved by the parser: document paths, operands, conditions (condition, filter and key
 * condition expressions) and update actions.
 */
public final class Expr {
    private Expr() {
    }

    /** A document path: top-level attribute name, then map keys (String) and list indexes (Integer). */
    public record Path(List<Object> elements) {
        public Path {
            elements = List.copyOf(elements);
        }

        public String top() {
            return (String) elements.get(0);
        }

        public boolean isTopLevel() {
            return elements.size() == 1;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (Object e : elements) {
                if (e instanceof Integer i) {
                    b.append('[').append(i).append(']');
                } else {
                    if (b.length() > 0) {
                        b.append('.');
                    }
                    b.append(e);
                }
            }
            return b.toString();
        }
    }

    /** Something that evaluates to an attribute value, or to nothing (a missing attribute). */
    public sealed interface Operand permits PathOperand, Literal, Size, IfNotExists, ListAppend, Arithmetic {
    }

    public record PathOperand(Path path) implements Operand {
    }

    /** An {@code :value} from ExpressionAttributeValues. */
    public record Literal(String placeholder, JsonNode value) implements Operand {
    }

    /** {@code size(path)}. */
    public record Size(Path path) implements Operand {
    }

    /** {@code if_not_exists(path, operand)} (update expressions only). */
    public record IfNotExists(Path path, Operand fallback) implements Operand {
    }

    /** {@code list_append(a, b)} (update expressions only). */
    public record ListAppend(Operand first, Operand second) implements Operand {
    }

    /** {@code a + b} or {@code a - b} on numbers (update expressions only). */
    public record Arithmetic(Operand left, char operator, Operand right) implements Operand {
    }

    /** A boolean condition. */
    public sealed interface Condition permits Comparison, Between, In, And, Or, Not, Function {
    }

    /** {@code a = b}, {@code <>}, {@code <}, {@code <=}, {@code >}, {@code >=}. */
    public record Comparison(Operand left, String operator, Operand right) implements Condition {
    }

    public record Between(Operand value, Operand low, Operand high) implements Condition {
    }

    public record In(Operand value, List<Operand> candidates) implements Condition {
        public In {
            candidates = List.copyOf(candidates);
        }
    }

    public record And(Condition left, Condition right) implements Condition {
    }

    public record Or(Condition left, Condition right) implements Condition {
    }

    public record Not(Condition inner) implements Condition {
    }

    /** {@code attribute_exists}, {@code attribute_not_exists}, {@code attribute_type}, {@code begins_with}, {@code contains}. */
    public record Function(String name, List<Operand> arguments) implements Condition {
        public Function {
            arguments = List.copyOf(arguments);
        }
    }

    /** One {@code SET path = value} action. */
    public record SetAction(Path path, Operand value) {
    }

    /** One {@code ADD path :value} or {@code DELETE path :value} action. */
    public record ValueAction(Path path, Literal value) {
    }

    /** A whole update expression: its clauses in order of kind. */
    public record Update(List<SetAction> sets, List<Path> removes, List<ValueAction> adds, List<ValueAction> deletes) {
        public Update {
            sets = List.copyOf(sets);
            removes = List.copyOf(removes);
            adds = List.copyOf(adds);
            deletes = List.copyOf(deletes);
        }

        /** Every path the update writes, for key checks and UPDATED_* return values. */
        public List<Path> paths() {
            java.util.List<Path> out = new java.util.ArrayList<>();
            sets.forEach(s -> out.add(s.path()));
            out.addAll(removes);
            adds.forEach(a -> out.add(a.path()));
            deletes.forEach(d -> out.add(d.path()));
            return out;
        }
    }
}
