"""Smoke test of Tributary through boto3 (Debian's python3-boto3), run by BotoIT.

Usage: /usr/bin/python3 kinesis_smoke.py <endpoint>
Prints one JSON line with what it saw; exits non-zero on any mismatch or error.
boto3 speaks the JSON 1.1 protocol to Kinesis (not CBOR, unlike the Java SDK).
"""
import json
import sys
import time

import boto3
from botocore.config import Config

STREAM = "boto-smoke"


def main(endpoint):
    kinesis = boto3.client(
        "kinesis",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=10, read_timeout=30),
    )
    failures = []

    def expect(what, actual, expected):
        if actual != expected:
            failures.append("%s: expected %r, got %r" % (what, expected, actual))

    expect("streams before", kinesis.list_streams()["StreamNames"], [])

    kinesis.create_stream(StreamName=STREAM, ShardCount=1)
    # Bounded poll rather than the stream_exists waiter, whose first retry is 10 s away.
    status = ""
    for _ in range(50):
        status = kinesis.describe_stream_summary(StreamName=STREAM)["StreamDescriptionSummary"]["StreamStatus"]
        if status == "ACTIVE":
            break
        time.sleep(0.1)
    expect("status", status, "ACTIVE")

    one = kinesis.put_record(StreamName=STREAM, PartitionKey="k", Data=b"one")
    expect("put shard", one["ShardId"], "shardId-000000000000")
    batch = kinesis.put_records(
        StreamName=STREAM,
        Records=[{"PartitionKey": "k", "Data": t.encode("utf-8")} for t in ("two", "three")],
    )
    expect("failed records", batch.get("FailedRecordCount", 0), 0)

    iterator = kinesis.get_shard_iterator(
        StreamName=STREAM, ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    got = kinesis.get_records(ShardIterator=iterator)
    records = [r["Data"].decode("utf-8") for r in got["Records"]]
    expect("records", records, ["one", "two", "three"])
    expect(
        "sequence numbers",
        [r["SequenceNumber"] for r in got["Records"]],
        [one["SequenceNumber"]] + [r["SequenceNumber"] for r in batch["Records"]],
    )
    expect("partition keys", [r["PartitionKey"] for r in got["Records"]], ["k", "k", "k"])

    after = kinesis.list_streams()["StreamNames"]
    print(json.dumps({
        "ok": not failures,
        "boto3": boto3.__version__,
        "streams": after,
        "status": status,
        "shardId": one["ShardId"],
        "failedRecordCount": batch.get("FailedRecordCount", 0),
        "records": records,
        "failures": failures,
    }))
    return 0 if not failures else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: /usr/bin/python3 kinesis_smoke.py <endpoint>", file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(main(sys.argv[1]))
    except Exception as e:  # one JSON line whatever went wrong, for BotoIT's assertion message
        print(json.dumps({"ok": False, "error": "%s: %s" % (type(e).__name__, e)}))
        sys.exit(1)
