package dev.tributary.emulator.dynamodb.expr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.emulator.dynamodb.DynamoDbError;
import dev.tributary.emulator.dynamodb.expr.Expr.Condition;
import dev.tributary.emulator.dynamodb.expr.Expr.Literal;
import dev.tributary.emulator.dynamodb.expr.Expr.Operand;
import dev.tributary.emulator.dynamodb.expr.Expr.Path;
import dev.tributary.emulator.dynamodb.expr.Expr.PathOperand;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB's legacy conditional parameters ({@code Expected}, {@code KeyConditions},
 * {@code ScanFilter}, {@code QueryFilter}, {@code AttributeUpdates}, {@code AttributesToGet}),
 * which KCL's lease code still sends, translated into the same trees as expressions so that one
 * evaluator serves both.
 */
public final class Legacy {
    private Legacy() {
    }

    /**
     * {@code Expected} (or a filter map) as one condition joined by {@code ConditionalOperator}
     * (AND when null). Each entry is {@code {Value, Exists}} or {@code {ComparisonOperator,
     * AttributeValueList}}.
     */
    public static Condition conditions(JsonNode map, String conditionalOperator, boolean expectedStyle) {
        Condition out = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Condition c = entry(e.getKey(), e.getValue(), expectedStyle);
            if (out == null) {
                out = c;
            } else {
                out = "OR".equals(conditionalOperator) ? new Expr.Or(out, c) : new Expr.And(out, c);
            }
        }
        return out;
    }

    private static Condition entry(String name, JsonNode spec, boolean expectedStyle) {
        PathOperand path = new PathOperand(new Path(List.of(name)));
        JsonNode op = spec.get("ComparisonOperator");
        if (op == null) {
            if (!expectedStyle) {
                throw DynamoDbError.validation("One or more parameter values were invalid: ComparisonOperator must be specified");
            }
            boolean exists = !spec.has("Exists") || spec.get("Exists").asBoolean();
            JsonNode value = spec.get("Value");
            if (!exists) {
                if (value != null) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: "
                            + name);
                }
                return new Expr.Function("attribute_not_exists", List.of(path));
            }
            if (value == null) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: "
                        + name);
            }
            return new Expr.Comparison(path, "=", literal(value));
        }
        List<Operand> args = new ArrayList<>();
        for (JsonNode v : spec.path("AttributeValueList")) {
            args.add(literal(v));
        }
        String operator = op.asText();
        int expected = switch (operator) {
            case "NULL", "NOT_NULL" -> 0;
            case "BETWEEN" -> 2;
            case "IN" -> -1;
            default -> 1;
        };
        if (expected >= 0 && args.size() != expected || expected < 0 && args.isEmpty()) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Invalid number of argument(s) for the "
                    + operator + " ComparisonOperator");
        }
        return switch (operator) {
            case "EQ" -> new Expr.Comparison(path, "=", args.get(0));
            case "NE" -> new Expr.Comparison(path, "<>", args.get(0));
            case "LE" -> new Expr.Comparison(path, "<=", args.get(0));
            case "LT" -> new Expr.Comparison(path, "<", args.get(0));
            case "GE" -> new Expr.Comparison(path, ">=", args.get(0));
            case "GT" -> new Expr.Comparison(path, ">", args.get(0));
            case "NOT_NULL" -> new Expr.Function("attribute_exists", List.of(path));
            case "NULL" -> new Expr.Function("attribute_not_exists", List.of(path));
            case "CONTAINS" -> new Expr.Function("contains", List.of(path, args.get(0)));
            case "NOT_CONTAINS" -> new Expr.And(new Expr.Function("attribute_exists", List.of(path)),
                    new Expr.Not(new Expr.Function("contains", List.of(path, args.get(0)))));
            case "BEGINS_WITH" -> new Expr.Function("begins_with", List.of(path, args.get(0)));
            case "IN" -> new Expr.In(path, args);
            case "BETWEEN" -> new Expr.Between(path, args.get(0), args.get(1));
            default -> throw DynamoDbError.validation("1 validation error detected: Value '" + operator
                    + "' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set");
        };
    }

    /** {@code AttributeUpdates}: PUT sets, DELETE removes (an attribute, or elements of a set), ADD adds. */
    public static Expr.Update updates(JsonNode attributeUpdates) {
        List<Expr.SetAction> sets = new ArrayList<>();
        List<Path> removes = new ArrayList<>();
        List<Expr.ValueAction> adds = new ArrayList<>();
        List<Expr.ValueAction> deletes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = attributeUpdates.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Path path = new Path(List.of(e.getKey()));
            String action = e.getValue().path("Action").asText("PUT");
            JsonNode value = e.getValue().get("Value");
            switch (action) {
                case "PUT" -> {
                    if (value == null) {
                        throw DynamoDbError.validation("One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified");
                    }
                    sets.add(new Expr.SetAction(path, literal(value)));
                }
                case "DELETE" -> {
                    if (value == null) {
                        removes.add(path);
                    } else {
                        deletes.add(new Expr.ValueAction(path, literal(value)));
                    }
                }
                case "ADD" -> {
                    if (value == null) {
                        throw DynamoDbError.validation("One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified");
                    }
                    adds.add(new Expr.ValueAction(path, literal(value)));
                }
                default -> throw DynamoDbError.validation("One or more parameter values were invalid: unknown Action " + action);
            }
        }
        return new Expr.Update(sets, removes, adds, deletes);
    }

    /** {@code AttributesToGet} as projection paths. */
    public static List<Path> attributes(JsonNode attributesToGet) {
        List<Path> out = new ArrayList<>();
        attributesToGet.forEach(a -> out.add(new Path(List.of(a.asText()))));
        return out;
    }

    private static Literal literal(JsonNode v) {
        return new Literal("", v);
    }
}
