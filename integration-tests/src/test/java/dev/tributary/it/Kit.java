package dev.tributary.it;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.HashKeyRange;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** What the integration tests compute on their own side: Kinesis's hash ranges and routing, and full reads. */
final class Kit {
    /** 2^128: the size of the hash-key space. */
    static final BigInteger KEY_SPACE = BigInteger.ONE.shiftLeft(128);

    private Kit() {
    }

    /** The unsigned 128-bit MD5 of a partition key: the hash key Kinesis routes by. */
    static BigInteger md5(String partitionKey) {
        try {
            return new BigInteger(1, MessageDigest.getInstance("MD5").digest(partitionKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ranges of {@code n} evenly split shards: floor(2^128/n) keys each, the last ending at 2^128-1. */
    static List<HashKeyRange> evenRanges(int n) {
        BigInteger step = KEY_SPACE.divide(BigInteger.valueOf(n));
        List<HashKeyRange> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BigInteger start = step.multiply(BigInteger.valueOf(i));
            BigInteger end = i == n - 1 ? KEY_SPACE.subtract(BigInteger.ONE) : start.add(step).subtract(BigInteger.ONE);
            out.add(HashKeyRange.builder().startingHashKey(start.toString()).endingHashKey(end.toString()).build());
        }
        return out;
    }

    static boolean contains(HashKeyRange r, BigInteger key) {
        return new BigInteger(r.startingHashKey()).compareTo(key) <= 0 && key.compareTo(new BigInteger(r.endingHashKey())) <= 0;
    }

    /** The open shard among {@code shards} whose range holds the partition key's MD5. */
    static String routeOf(List<Shard> shards, String partitionKey) {
        BigInteger key = md5(partitionKey);
        for (Shard s : shards) {
            if (s.sequenceNumberRange().endingSequenceNumber() == null && contains(s.hashKeyRange(), key)) {
                return s.shardId();
            }
        }
        throw new AssertionError("no open shard holds " + partitionKey);
    }

    static String shardId(int index) {
        return String.format("shardId-%012d", index);
    }

    /** Every record of a shard from TRIM_HORIZON: to the end of a closed shard, or until an open shard is caught up. */
    static List<Record> readAll(KinesisClient kinesis, String stream, String shardId) {
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> out = new ArrayList<>();
        while (iterator != null) {
            String it = iterator;
            GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(it));
            out.addAll(r.records());
            if (r.records().isEmpty() && r.nextShardIterator() != null) {
                break;
            }
            iterator = r.nextShardIterator();
        }
        return out;
    }

    /**
     * Stops an in-process server. Tolerates one known emulator bug: {@code Tributary.close()}
     * throws {@code IllegalStateException("cannot stop the HTTP server")} caused by a
     * {@code TimeoutException} after 2 s when a client still holds an idle HTTP/1.1 keep-alive
     * connection (the JDK's URLConnection cache does); the store is closed regardless.
     * {@code HttpProtocolsIT.serverStopsWhileAClientHoldsAnIdleKeepAliveConnection} reports it.
     */
    static void stop(dev.tributary.emulator.Tributary server) {
        try {
            server.close();
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof java.util.concurrent.TimeoutException)) {
                throw e;
            }
        }
    }

    /** The error code and message the service sent, e.g. for {@code assertThat(error(e))}. */
    static String error(AwsServiceException e) {
        return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
    }
}
