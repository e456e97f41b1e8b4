package dev.tributary.emulator.dynamodb.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.dynamodb.DynamoDbBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Creates a table (ACTIVE at once) with its key schema, billing mode, secondary indexes and tags.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html">CreateTable</a>
 */
public final class CreateTable extends DynamoDbOperation {
    public CreateTable(DynamoDbBackend dynamodb) {
        super(dynamodb);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        return dynamodb.createTable(ctx, in);
    }
}
