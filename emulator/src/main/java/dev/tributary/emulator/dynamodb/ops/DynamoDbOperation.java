package dev.tributary.emulator.dynamodb.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.dynamodb.DynamoDbBackend;
import dev.tributary.emulator.protocol.NamedOperation;

/**
 * Base of the DynamoDB operations. Items and attribute values keep DynamoDB's own member names
 * at every depth ({@code S}, {@code N}, {@code M} ...), so requests stay the decoded, validated
 * JSON trees and answers are trees too, rather than records.
 */
abstract class DynamoDbOperation extends NamedOperation<ObjectNode, ObjectNode> {
    protected final DynamoDbBackend dynamodb;

    protected DynamoDbOperation(DynamoDbBackend dynamodb) {
        super(ObjectNode.class);
        this.dynamodb = dynamodb;
    }

    @Override
    public ObjectNode bind(ObjectNode tree, ObjectMapper json) {
        return tree;
    }
}
