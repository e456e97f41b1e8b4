package dev.tributary.emulator.dynamodb;

import dev.tributary.emulator.dynamodb.ops.BatchGetItem;
import dev.tributary.emulator.dynamodb.ops.BatchWriteItem;
import dev.tributary.emulator.dynamodb.ops.CreateTable;
import dev.tributary.emulator.dynamodb.ops.DeleteItem;
import dev.tributary.emulator.dynamodb.ops.DeleteTable;
import dev.tributary.emulator.dynamodb.ops.DescribeContinuousBackups;
import dev.tributary.emulator.dynamodb.ops.DescribeTable;
import dev.tributary.emulator.dynamodb.ops.DescribeTimeToLive;
import dev.tributary.emulator.dynamodb.ops.GetItem;
import dev.tributary.emulator.dynamodb.ops.ListTables;
import dev.tributary.emulator.dynamodb.ops.ListTagsOfResource;
import dev.tributary.emulator.dynamodb.ops.PutItem;
import dev.tributary.emulator.dynamodb.ops.Query;
import dev.tributary.emulator.dynamodb.ops.Scan;
import dev.tributary.emulator.dynamodb.ops.TagResource;
import dev.tributary.emulator.dynamodb.ops.UntagResource;
import dev.tributary.emulator.dynamodb.ops.UpdateContinuousBackups;
import dev.tributary.emulator.dynamodb.ops.UpdateItem;
import dev.tributary.emulator.dynamodb.ops.UpdateTable;
import dev.tributary.emulator.dynamodb.ops.UpdateTimeToLive;
import dev.tributary.emulator.protocol.AwsJsonService;
import dev.tributary.emulator.protocol.ServiceModel;
import java.util.List;

/** DynamoDB (JSON 1.0, target prefix {@code DynamoDB_20120810}): the model and the 20 operations Tributary serves. */
public final class DynamoDbService {
    public static final String MODEL = "/aws-models/dynamodb-2012-08-10.service-2.json";

    private DynamoDbService() {
    }

    public static AwsJsonService create(DynamoDbBackend dynamodb) {
        return create(dynamodb, ServiceModel.load(MODEL));
    }

    public static AwsJsonService create(DynamoDbBackend dynamodb, ServiceModel model) {
        return new AwsJsonService("dynamodb", model, List.of(
                new CreateTable(dynamodb),
                new DeleteTable(dynamodb),
                new DescribeTable(dynamodb),
                new UpdateTable(dynamodb),
                new ListTables(dynamodb),
                new PutItem(dynamodb),
                new GetItem(dynamodb),
                new UpdateItem(dynamodb),
                new DeleteItem(dynamodb),
                new BatchGetItem(dynamodb),
                new BatchWriteItem(dynamodb),
                new Scan(dynamodb),
                new Query(dynamodb),
                new TagResource(dynamodb),
                new UntagResource(dynamodb),
                new ListTagsOfResource(dynamodb),
                new DescribeContinuousBackups(dynamodb),
                new UpdateContinuousBackups(dynamodb),
                new DescribeTimeToLive(dynamodb),
                new UpdateTimeToLive(dynamodb)));
    }
}
