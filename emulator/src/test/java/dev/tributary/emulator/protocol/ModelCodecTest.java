package dev.tributary.emulator.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ModelCodecTest {
    static final ServiceModel KINESIS = ServiceModel.load("/aws-models/kinesis-2013-12-02.service-2.json");
    final ModelDecoder decoder = new ModelDecoder();
    final ModelValidator validator = new ModelValidator(KINESIS.javaPackage());

    private ObjectNode json(String op, String body) {
        return decoder.decode(KINESIS.operation(op).input(), body.getBytes(StandardCharsets.UTF_8), WireFormat.JSON);
    }

    private AwsException serializationError(String op, String body) {
        try {
            json(op, body);
        } catch (AwsException e) {
            return e;
        }
        throw new AssertionError("no error for " + body);
    }

    private String validationMessage(String op, String body) {
        ObjectNode tree = json(op, body);
        try {
            validator.validate(KINESIS.operation(op).input(), tree);
        } catch (AwsException e) {
            assertThat(e.error()).isEqualTo(CommonError.VALIDATION);
            return e.getMessage();
        }
        throw new AssertionError("valid: " + body);
    }

    @Test
    void modelHasAll45KinesisOperations() {
        assertThat(KINESIS.operations()).hasSize(45);
        assertThat(KINESIS.targetPrefix()).isEqualTo("Kinesis_20131202");
        assertThat(KINESIS.javaPackage()).isEqualTo("com.amazonaws.kinesis.v20131202");
    }

    @Test
    void numberWhereStringBelongsIsCoralSerializationText() {
        AwsException e = serializationError("DescribeStream", "{\"StreamName\": 23}");
        assertThat(e.error()).isEqualTo(CommonError.SERIALIZATION);
        assertThat(e.getMessage()).isEqualTo(
                "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String");
    }

    @Test
    void typeMismatchTextsFollowAws() {
        assertThat(serializationError("DescribeStream", "{\"StreamName\": true}").getMessage())
                .isEqualTo("class java.lang.Boolean can not be converted to an String");
        assertThat(serializationError("DescribeStream", "{\"Limit\": \"23\"}").getMessage())
                .isEqualTo("class java.lang.String can not be converted to an Integer");
        assertThat(serializationError("DescribeStream", "{\"StreamName\": []}").getMessage())
                .isEqualTo("Start of list found where not expected");
        assertThat(serializationError("DescribeStream", "{\"StreamName\": {}}").getMessage())
                .isEqualTo("Start of structure or map found where not expected.");
        assertThat(serializationError("PutRecords", "{\"Records\": 5}").getMessage())
                .isEqualTo("Expected list or null");
        assertThat(serializationError("PutRecords", "{\"Records\": [5]}").getMessage())
                .isEqualTo("Expected null");
        assertThat(serializationError("PutRecord", "{\"Data\": \"23456\"}").getMessage())
                .isEqualTo("'23456' can not be converted to a Blob: "
                        + "Base64 encoded length is expected a multiple of 4 bytes but found: 5");
        assertThat(serializationError("GetShardIterator", "{\"Timestamp\": \"x\"}").getMessage())
                .isEqualTo("class java.lang.String can not be converted to milliseconds since epoch");
    }

    @Test
    void malformedAndEmptyBodiesAreSerializationExceptionWithoutMessage() {
        assertThat(serializationError("ListStreams", "{\"Limit\": ").getMessage()).isNull();
        assertThat(serializationError("ListStreams", "hello").getMessage()).isNull();
        assertThat(serializationError("ListStreams", "").getMessage()).isNull();
        assertThat(serializationError("ListStreams", "{} {}").getMessage()).isNull();
    }

    @Test
    void hugeIntegersAreClampedThenValidatedAsAwsDoes() {
        assertThat(validationMessage("ListStreams", "{\"Limit\": 99999999999999999999999}")).isEqualTo(
                "1 validation error detected: Value '2147483647' at 'limit' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 10000");
        assertThat(json("ListStreams", "{\"Limit\": 34.56}").get("Limit").intValue()).isEqualTo(34);
    }

    @Test
    void deepNestingOfUnknownMembersIsRejectedNotOverflowed() {
        String deep = "{\"X\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThat(serializationError("ListStreams", deep).error()).isEqualTo(CommonError.SERIALIZATION);
    }

    @Test
    void unknownMembersAndNullsAreIgnored() {
        ObjectNode tree = json("DescribeStream", "{\"StreamName\": \"s\", \"Bogus\": {\"a\": [1, 2]}, \"Limit\": null}");
        assertThat(tree.toString()).isEqualTo("{\"StreamName\":\"s\"}");
    }

    @Test
    void validationReportsEveryViolationInAwsOrderAndWords() {
        assertThat(validationMessage("CreateStream", "{\"StreamName\": \"\", \"ShardCount\": 0}")).isEqualTo(
                "3 validation errors detected: "
                        + "Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular "
                        + "expression pattern: [a-zA-Z0-9_.-]+; "
                        + "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater "
                        + "than or equal to 1; "
                        + "Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater "
                        + "than or equal to 1");
    }

    @Test
    void missingRequiredMemberIsValueNull() {
        assertThat(validationMessage("GetRecords", "{}")).isEqualTo(
                "1 validation error detected: Value null at 'shardIterator' failed to satisfy constraint: "
                        + "Member must not be null");
    }

    @Test
    void enumViolationListsTheModelValues() {
        assertThat(validationMessage("GetShardIterator",
                "{\"StreamName\":\"s\",\"ShardId\":\"shardId-0\",\"ShardIteratorType\":\"SOON\"}")).isEqualTo(
                "1 validation error detected: Value 'SOON' at 'shardIteratorType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, "
                        + "TRIM_HORIZON, LATEST, AT_TIMESTAMP]");
    }

    @Test
    void kinesisReportsMembersAndEnumsInAwsOrderNotModelOrder() {
        ModelValidator aws = new ModelValidator(KINESIS.javaPackage(),
                dev.tributary.emulator.kinesis.KinesisService.VALIDATION_ORDER);
        String body = "{\"StreamName\":\"s!\",\"Data\":\"\",\"PartitionKey\":\"\","
                + "\"ExplicitHashKey\":\"x\",\"SequenceNumberForOrdering\":\"y\"}";
        try {
            aws.validate(KINESIS.operation("PutRecord").input(), json("PutRecord", body));
            throw new AssertionError("valid");
        } catch (AwsException e) {
            assertThat(e.getMessage()).isEqualTo("4 validation errors detected: "
                    + "Value 'y' at 'sequenceNumberForOrdering' failed to satisfy constraint: Member must satisfy "
                    + "regular expression pattern: 0|([1-9]\\d{0,128}); "
                    + "Value '' at 'partitionKey' failed to satisfy constraint: Member must have length greater than "
                    + "or equal to 1; "
                    + "Value 'x' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular "
                    + "expression pattern: 0|([1-9]\\d{0,38}); "
                    + "Value 's!' at 'streamName' failed to satisfy constraint: Member must satisfy regular "
                    + "expression pattern: [a-zA-Z0-9_.-]+");
        }
        try {
            aws.validate(KINESIS.operation("GetShardIterator").input(), json("GetShardIterator",
                    "{\"StreamName\":\"s\",\"ShardId\":\"shardId-0\",\"ShardIteratorType\":\"SOON\"}"));
            throw new AssertionError("valid");
        } catch (AwsException e) {
            assertThat(e.getMessage()).endsWith("Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, "
                    + "AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]");
        }
    }

    @Test
    void listElementsUseOneBasedMemberPathsAndAtMostTenErrors() {
        StringBuilder records = new StringBuilder("[");
        for (int i = 0; i < 12; i++) {
            records.append(i == 0 ? "" : ",").append("{\"Data\":\"\",\"PartitionKey\":\"\"}");
        }
        records.append("]");
        String message = validationMessage("PutRecords", "{\"StreamName\":\"s\",\"Records\":" + records + "}");
        assertThat(message).startsWith("10 validation errors detected: Value '' at 'records.1.member.partitionKey' "
                + "failed to satisfy constraint: Member must have length greater than or equal to 1; ");
        assertThat(message).contains("'records.10.member.partitionKey'").doesNotContain("records.11");
    }

    @Test
    void emptyListRendersAsJavaToString() {
        assertThat(validationMessage("PutRecords", "{\"StreamName\":\"s\",\"Records\":[]}")).isEqualTo(
                "1 validation error detected: Value '[]' at 'records' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 1");
    }

    @Test
    void cborTimestampsAreEpochMillisUnderTagOneAndBlobsAreByteStrings() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("Timestamp");
            g.writeTag(1);
            g.writeNumber(1_700_000_000_123L);
            g.writeFieldName("StreamName");
            g.writeString("s");
            g.writeEndObject();
        }
        ObjectNode tree = decoder.decode(KINESIS.operation("GetShardIterator").input(), out.toByteArray(),
                WireFormat.CBOR);
        assertThat(tree.get("Timestamp").decimalValue()).isEqualByComparingTo("1700000000.123");

        out.reset();
        try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("Data");
            g.writeBinary(new byte[] {1, 2, 3});
            g.writeEndObject();
        }
        tree = decoder.decode(KINESIS.operation("PutRecord").input(), out.toByteArray(), WireFormat.CBOR);
        assertThat(tree.get("Data").binaryValue()).containsExactly(1, 2, 3);
    }

    @Test
    void truncatedCborIsSerializationException() {
        byte[] truncated = {(byte) 0xa1, 0x64, 'D', 'a'};
        assertThatThrownBy(() -> decoder.decode(KINESIS.operation("PutRecord").input(), truncated, WireFormat.CBOR))
                .isInstanceOf(AwsException.class)
                .extracting(e -> ((AwsException) e).error()).isEqualTo(CommonError.SERIALIZATION);
    }
}
