package dev.tributary.emulator.dynamodb.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.dynamodb.DynamoDbBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Changes (or creates) one item by an update expression or AttributeUpdates, under an optional condition.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html">UpdateItem</a>
 */
public final class UpdateItem extends DynamoDbOperation {
    public UpdateItem(DynamoDbBackend dynamodb) {
        super(dynamodb);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        return dynamodb.updateItem(ctx, in);
    }
}
