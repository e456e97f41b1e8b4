// Smoke test of Tributary through the AWS SDK for JavaScript v3, run by JsSdkIT.
// Usage: node kinesis-smoke.mjs <endpoint>
// Prints one JSON line with what it saw; exits non-zero on any mismatch or error.
import {
  KinesisClient, ListStreamsCommand, CreateStreamCommand, DescribeStreamSummaryCommand,
  PutRecordCommand, PutRecordsCommand, GetShardIteratorCommand, GetRecordsCommand,
} from "@aws-sdk/client-kinesis";

const endpoint = process.argv[2];
if (!endpoint) {
  console.error("usage: node kinesis-smoke.mjs <endpoint>");
  process.exit(2);
}
const kinesis = new KinesisClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "secret" },
  maxAttempts: 1,
});
const stream = "js-smoke";
const text = (bytes) => new TextDecoder().decode(bytes);
const failures = [];
const expect = (what, actual, expected) => {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    failures.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
};

try {
  const before = await kinesis.send(new ListStreamsCommand({}));
  expect("streams before", before.StreamNames, []);

  await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
  let status = "";
  for (let i = 0; i < 50 && status !== "ACTIVE"; i++) {
    const d = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
    status = d.StreamDescriptionSummary.StreamStatus;
    if (status !== "ACTIVE") {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  expect("status", status, "ACTIVE");

  const one = await kinesis.send(new PutRecordCommand({
    StreamName: stream, PartitionKey: "k", Data: new TextEncoder().encode("one"),
  }));
  expect("put shard", one.ShardId, "shardId-000000000000");
  const batch = await kinesis.send(new PutRecordsCommand({
    StreamName: stream,
    Records: ["two", "three"].map((t) => ({ PartitionKey: "k", Data: new TextEncoder().encode(t) })),
  }));
  expect("failed records", batch.FailedRecordCount, 0);

  const it = await kinesis.send(new GetShardIteratorCommand({
    StreamName: stream, ShardId: "shardId-000000000000", ShardIteratorType: "TRIM_HORIZON",
  }));
  const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
  const records = got.Records.map((r) => text(r.Data));
  expect("records", records, ["one", "two", "three"]);
  expect("sequence numbers", got.Records.map((r) => r.SequenceNumber),
    [one.SequenceNumber, ...batch.Records.map((r) => r.SequenceNumber)]);

  const after = await kinesis.send(new ListStreamsCommand({}));
  console.log(JSON.stringify({
    ok: failures.length === 0,
    streams: after.StreamNames,
    status,
    shardId: one.ShardId,
    failedRecordCount: batch.FailedRecordCount,
    records,
    failures,
  }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: `${e.name}: ${e.message}`, failures }));
  process.exit(1);
}
process.exit(failures.length === 0 ? 0 : 1);
