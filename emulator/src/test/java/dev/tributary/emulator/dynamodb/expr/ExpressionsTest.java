package dev.tributary.emulator.dynamodb.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.protocol.AwsException;
import org.junit.jupiter.api.Test;

/**
 * The expression language as DynamoDB's "Comparison operator and function reference" and
 * "Update expressions" pages describe it: parsing, precedence, the semantics of missing
 * attributes and mixed types, updates, and the exact ValidationException texts.
 */
class ExpressionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode json(String s) {
        try {
            return (ObjectNode) JSON.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static final ObjectNode LEASE = json("{'leaseKey':{'S':'shardId-1'},'leaseOwner':{'S':'w1'},"
            + "'leaseCounter':{'N':'7'},'checkpoint':{'S':'TRIM_HORIZON'},'parents':{'SS':['a','b']},"
            + "'tags':{'L':[{'S':'x'},{'N':'2'}]},'meta':{'M':{'k':{'S':'v'},'n':{'N':'1.50'}}},'flag':{'BOOL':true}}");

    private static boolean test(String expression, String names, String values, ObjectNode item) {
        Placeholders p = new Placeholders(names == null ? null : json(names), values == null ? null : json(values));
        Expr.Condition c = ExpressionParser.condition(expression, "ConditionExpression", p);
        p.checkAllUsed();
        return Evaluator.test(c, item);
    }

    private static ObjectNode update(String expression, String names, String values, ObjectNode item) {
        Placeholders p = new Placeholders(names == null ? null : json(names), values == null ? null : json(values));
        Expr.Update u = ExpressionParser.update(expression, p);
        p.checkAllUsed();
        return Evaluator.apply(u, item, json("{'leaseKey':{'S':'shardId-1'}}"));
    }

    @Test
    void attributeExistsAndNotExistsOnAnItemAndOnNoItem() {
        assertThat(test("attribute_not_exists(leaseKey)", null, null, null)).isTrue();
        assertThat(test("attribute_not_exists(leaseKey)", null, null, LEASE)).isFalse();
        assertThat(test("attribute_exists(#k)", "{'#k':'leaseKey'}", null, LEASE)).isTrue();
        assertThat(test("attribute_exists(meta.k)", null, null, LEASE)).isTrue();
        assertThat(test("attribute_exists(meta.missing)", null, null, LEASE)).isFalse();
        assertThat(test("attribute_exists(tags[1])", null, null, LEASE)).isTrue();
        assertThat(test("attribute_exists(tags[2])", null, null, LEASE)).isFalse();
    }

    @Test
    void comparisonsOrderNumbersByValueAndStringsByBytes() {
        assertThat(test("leaseCounter = :c", null, "{':c':{'N':'7.0'}}", LEASE)).isTrue();
        assertThat(test("leaseCounter < :c", null, "{':c':{'N':'10'}}", LEASE)).isTrue();
        assertThat(test("leaseCounter >= :c", null, "{':c':{'N':'7'}}", LEASE)).isTrue();
        assertThat(test("leaseCounter > :c", null, "{':c':{'N':'7'}}", LEASE)).isFalse();
        assertThat(test("checkpoint > :c", null, "{':c':{'S':'SHARD_END'}}", LEASE)).isTrue();
        assertThat(test("meta.n = :n", null, "{':n':{'N':'1.5'}}", LEASE)).isTrue();
        assertThat(test("leaseCounter BETWEEN :lo AND :hi", null, "{':lo':{'N':'1'},':hi':{'N':'7'}}", LEASE)).isTrue();
        assertThat(test("leaseOwner IN (:a, :b)", null, "{':a':{'S':'w0'},':b':{'S':'w1'}}", LEASE)).isTrue();
    }

    @Test
    void aMissingAttributeOrAnotherTypeMakesComparisonsFalseAndNotEqualTrue() {
        assertThat(test("nothing = :v", null, "{':v':{'S':'x'}}", LEASE)).isFalse();
        assertThat(test("nothing <> :v", null, "{':v':{'S':'x'}}", LEASE)).isTrue();
        assertThat(test("nothing < :v", null, "{':v':{'S':'x'}}", LEASE)).isFalse();
        assertThat(test("leaseCounter = :v", null, "{':v':{'S':'7'}}", LEASE)).isFalse();
        assertThat(test("leaseCounter < :v", null, "{':v':{'S':'8'}}", LEASE)).isFalse();
        assertThat(test("leaseCounter <> :v", null, "{':v':{'S':'7'}}", LEASE)).isTrue();
    }

    @Test
    void andBindsTighterThanOrAndNotTighterThanAnd() {
        String values = "{':x':{'S':'w1'},':y':{'S':'nope'},':z':{'S':'nope'}}";
        // leaseOwner = w1 OR (checkpoint = nope AND leaseKey = nope) -> true
        assertThat(test("leaseOwner = :x OR checkpoint = :y AND leaseKey = :z", null, values, LEASE)).isTrue();
        // (leaseOwner = w1 OR checkpoint = nope) AND leaseKey = nope -> false
        assertThat(test("(leaseOwner = :x OR checkpoint = :y) AND leaseKey = :z", null, values, LEASE)).isFalse();
        assertThat(test("NOT leaseOwner = :y AND leaseOwner = :x", null, "{':x':{'S':'w1'},':y':{'S':'w2'}}", LEASE)).isTrue();
        assertThat(test("not (leaseOwner = :x)", null, "{':x':{'S':'w1'}}", LEASE)).isFalse();
    }

    @Test
    void functionsBeginsWithContainsSizeAndAttributeType() {
        assertThat(test("begins_with(leaseKey, :p)", null, "{':p':{'S':'shard'}}", LEASE)).isTrue();
        assertThat(test("begins_with(leaseKey, :p)", null, "{':p':{'S':'lease'}}", LEASE)).isFalse();
        assertThat(test("contains(parents, :e)", null, "{':e':{'S':'b'}}", LEASE)).isTrue();
        assertThat(test("contains(tags, :e)", null, "{':e':{'N':'2.0'}}", LEASE)).isTrue();
        assertThat(test("contains(checkpoint, :e)", null, "{':e':{'S':'HORI'}}", LEASE)).isTrue();
        assertThat(test("size(parents) = :n", null, "{':n':{'N':'2'}}", LEASE)).isTrue();
        assertThat(test("size(leaseKey) > :n", null, "{':n':{'N':'8'}}", LEASE)).isTrue();
        assertThat(test("attribute_type(flag, :t)", null, "{':t':{'S':'BOOL'}}", LEASE)).isTrue();
        assertThat(test("attribute_type(flag, :t)", null, "{':t':{'S':'S'}}", LEASE)).isFalse();
    }

    @Test
    void setsCompareAsSets() {
        assertThat(test("parents = :s", null, "{':s':{'SS':['b','a']}}", LEASE)).isTrue();
        assertThat(test("parents = :s", null, "{':s':{'SS':['a']}}", LEASE)).isFalse();
    }

    @Test
    void setArithmeticIfNotExistsAndListAppendUpdateACopy() {
        ObjectNode out = update("SET leaseOwner = :o, leaseCounter = leaseCounter + :one, created = if_not_exists(created, :now),"
                        + " tags = list_append(tags, :more) REMOVE checkpoint ADD parents :p, hits :one DELETE parents :gone",
                null, "{':o':{'S':'w2'},':one':{'N':'1'},':now':{'N':'100'},':more':{'L':[{'S':'y'}]},"
                        + "':p':{'SS':['c']},':gone':{'SS':['a']}}", LEASE);
        assertThat(out.get("leaseOwner")).isEqualTo(json("{'S':'w2'}"));
        assertThat(out.get("leaseCounter")).isEqualTo(json("{'N':'8'}"));
        assertThat(out.get("created")).isEqualTo(json("{'N':'100'}"));
        assertThat(out.get("tags").get("L")).hasSize(3);
        assertThat(out.has("checkpoint")).isFalse();
        assertThat(out.get("hits")).isEqualTo(json("{'N':'1'}"));
        assertThat(out.get("parents").get("SS")).extracting(JsonNode::asText).containsExactlyInAnyOrder("b", "c");
        assertThat(LEASE.get("leaseOwner").get("S").asText()).isEqualTo("w1");
    }

    @Test
    void updatesReadTheOldItemAndCreateOneFromTheKey() {
        ObjectNode created = Evaluator.apply(ExpressionParser.update("SET a = :v", new Placeholders(null, json("{':v':{'N':'1'}}"))),
                null, json("{'leaseKey':{'S':'k'}}"));
        assertThat(created).isEqualTo(json("{'leaseKey':{'S':'k'},'a':{'N':'1'}}"));
        ObjectNode swapped = update("SET leaseOwner = checkpoint, checkpoint = leaseOwner", null, null, LEASE);
        assertThat(swapped.get("leaseOwner")).isEqualTo(json("{'S':'TRIM_HORIZON'}"));
        assertThat(swapped.get("checkpoint")).isEqualTo(json("{'S':'w1'}"));
    }

    @Test
    void nestedPathsAreSetAndRemoved() {
        ObjectNode out = update("SET meta.k = :v, tags[0] = :v, tags[5] = :v REMOVE meta.n", null, "{':v':{'S':'z'}}", LEASE);
        assertThat(out.get("meta")).isEqualTo(json("{'M':{'k':{'S':'z'}}}"));
        assertThat(out.get("tags")).isEqualTo(json("{'L':[{'S':'z'},{'N':'2'},{'S':'z'}]}"));
        ObjectNode removed = update("REMOVE tags[0], tags[1]", null, null, LEASE);
        assertThat(removed.get("tags")).isEqualTo(json("{'L':[]}"));
    }

    @Test
    void addToAMissingNumberStartsAtZeroAndDeletingTheLastElementRemovesTheSet() {
        ObjectNode out = update("ADD n :five DELETE parents :all", null, "{':five':{'N':'5'},':all':{'SS':['a','b']}}", LEASE);
        assertThat(out.get("n")).isEqualTo(json("{'N':'5'}"));
        assertThat(out.has("parents")).isFalse();
    }

    @Test
    void legacyExpectedAndAttributeUpdatesBehaveLikeTheirExpressions() {
        assertThat(Evaluator.test(Legacy.conditions(json("{'leaseOwner':{'Value':{'S':'w1'}},'leaseCounter':{'Value':{'N':'7'}}}"),
                null, true), LEASE)).isTrue();
        assertThat(Evaluator.test(Legacy.conditions(json("{'leaseKey':{'Exists':false}}"), null, true), LEASE)).isFalse();
        assertThat(Evaluator.test(Legacy.conditions(json("{'leaseKey':{'Exists':false}}"), null, true), null)).isTrue();
        assertThat(Evaluator.test(Legacy.conditions(json("{'leaseOwner':{'ComparisonOperator':'NULL'},"
                + "'leaseCounter':{'ComparisonOperator':'GT','AttributeValueList':[{'N':'1'}]}}"), "OR", true), LEASE)).isTrue();
        ObjectNode out = Evaluator.apply(Legacy.updates(json("{'leaseOwner':{'Action':'DELETE'},'leaseCounter':{'Action':'ADD','Value':{'N':'3'}},"
                + "'checkpoint':{'Action':'PUT','Value':{'S':'SHARD_END'}}}")), LEASE, null);
        assertThat(out.has("leaseOwner")).isFalse();
        assertThat(out.get("leaseCounter")).isEqualTo(json("{'N':'10'}"));
        assertThat(out.get("checkpoint")).isEqualTo(json("{'S':'SHARD_END'}"));
    }

    @Test
    void undefinedPlaceholdersAreRejectedWithDynamoDbsText() {
        assertThatThrownBy(() -> test("a = :missing", null, "{':v':{'S':'x'}}", LEASE))
                .isInstanceOf(AwsException.class)
                .hasMessage("Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing");
        assertThatThrownBy(() -> test("#missing = :v", "{'#n':'x'}", "{':v':{'S':'x'}}", LEASE))
                .hasMessage("Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #missing");
    }

    @Test
    void unusedPlaceholdersAreRejectedWithDynamoDbsText() {
        assertThatThrownBy(() -> test("a = :v", "{'#n':'x'}", "{':v':{'S':'x'}}", LEASE))
                .hasMessage("Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}");
        assertThatThrownBy(() -> test("a = :v", null, "{':v':{'S':'x'},':w':{'S':'y'}}", LEASE))
                .hasMessage("Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}");
    }

    @Test
    void syntaxErrorsNameTheToken() {
        assertThatThrownBy(() -> test("a = ", null, null, LEASE)).isInstanceOf(AwsException.class)
                .hasMessage("Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"a =\"");
        assertThatThrownBy(() -> test("a = :v extra", null, "{':v':{'S':'x'}}", LEASE))
                .hasMessageStartingWith("Invalid ConditionExpression: Syntax error; token: \"extra\"");
        assertThatThrownBy(() -> test("", null, null, LEASE))
                .hasMessage("Invalid ConditionExpression: The expression can not be empty;");
        assertThatThrownBy(() -> update("SET a = :v SET b = :v", null, "{':v':{'S':'x'}}", LEASE))
                .hasMessage("Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;");
    }

    @Test
    void updateTypeErrorsAreValidationExceptions() {
        assertThatThrownBy(() -> update("ADD checkpoint :s", null, "{':s':{'S':'x'}}", LEASE))
                .isInstanceOf(AwsException.class)
                .hasMessage("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING");
        assertThatThrownBy(() -> update("SET a = missing", null, null, LEASE))
                .hasMessage("The provided expression refers to an attribute that does not exist in the item");
        assertThatThrownBy(() -> update("SET checkpoint = checkpoint + :one", null, "{':one':{'N':'1'}}", LEASE))
                .hasMessage("An operand in the update expression has an incorrect data type");
        assertThatThrownBy(() -> test("a = if_not_exists(a, :v)", null, "{':v':{'S':'x'}}", LEASE))
                .hasMessage("Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: if_not_exists");
    }

    @Test
    void projectionKeepsTheRequestedPathsOnly() {
        Placeholders p = new Placeholders(json("{'#o':'leaseOwner'}"), null);
        ObjectNode out = Evaluator.project(LEASE, ExpressionParser.projection("#o, meta.k, tags[1], nothing", p));
        assertThat(out).isEqualTo(json("{'leaseOwner':{'S':'w1'},'meta':{'M':{'k':{'S':'v'}}},'tags':{'L':[{'N':'2'}]}}"));
    }
}
