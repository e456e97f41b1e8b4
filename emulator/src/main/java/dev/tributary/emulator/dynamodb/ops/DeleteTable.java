package dev.tributary.emulator.dynamodb.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.dynamodb.DynamoDbBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Deletes a table and its items; refused while deletion protection is on.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html">DeleteTable</a>
 */
public final class DeleteTable extends DynamoDbOperation {
    public DeleteTable(DynamoDbBackend dynamodb) {
        super(dynamodb);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        return dynamodb.deleteTable(ctx, in);
    }
}
