package dev.tributary.emulator.dynamodb.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.dynamodb.DynamoDbBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Reads up to 100 items from one or more tables; nothing is left unprocessed.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html">BatchGetItem</a>
 */
public final class BatchGetItem extends DynamoDbOperation {
    public BatchGetItem(DynamoDbBackend dynamodb) {
        super(dynamodb);
    }

    @Override
    public ObjectNode execute(RequestContext ctx, ObjectNode in) {
        return dynamodb.batchGetItem(ctx, in);
    }
}
