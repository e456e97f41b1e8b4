package dev.tributary.emulator.dynamodb.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.dynamodb.DynamoDbBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Reads one item by its key, optionally projected.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html">GetItem</a>
 */
public final class GetItem extends DynamoDbOperation {
    public GetItem(DynamoDbBackend dynamodb) {
        super(dynamodb);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        return dynamodb.getItem(ctx, in);
    }
}
