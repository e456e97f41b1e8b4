package dev.tributary.firehose.processing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code Lambda} processor: records are sent in batches to a function that answers, per record,
 * {@code Ok} (with new data and, for dynamic partitioning, partition keys), {@code Dropped} or
 * {@code ProcessingFailed}, as AWS's data transformation does. The function itself is behind
 * {@link Transformer} (the emulator's posts the documented event to a local HTTP URL), which keeps
 * this module free of JSON and HTTP.
 *
 * <p>{@link #process} applies AWS's rules: an invocation that fails is retried
 * {@code numberOfRetries} times; if every attempt fails, every record of the batch fails with the
 * last error. An answer must carry each record id exactly once: a missing or repeated id fails the
 * whole batch ({@value #MISSING_RECORD_ID}, {@value #DUPLICATED_RECORD_ID}), ids it does not know
 * are ignored. The error codes are those Firehose reports in its {@code processing-failed}
 * records and logs.
 *
 * @param functionArn     the {@code LambdaArn} parameter, written into error records
 * @param numberOfRetries {@code NumberOfRetries} (AWS's default is 3)
 * @param bufferBytes     {@code BufferSizeInMBs}: a batch is sent once it holds this many bytes
 * @param bufferInterval  {@code BufferIntervalInSeconds}: or once its oldest record is this old
 * @param transformer     invokes the function
 */
public record LambdaProcessor(String functionArn, int numberOfRetries, long bufferBytes, Duration bufferInterval,
                              Transformer transformer) {
    public static final int DEFAULT_RETRIES = 3;
    /** AWS's default Lambda buffering: 1 MB and 60 seconds. */
    public static final long DEFAULT_BUFFER_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_BUFFER_INTERVAL = Duration.ofSeconds(60);

    public static final String FUNCTION_ERROR = "Lambda.FunctionError";
    public static final String JSON_PROCESSING = "Lambda.JsonProcessingException";
    public static final String MISSING_RECORD_ID = "Lambda.MissingRecordId";
    public static final String DUPLICATED_RECORD_ID = "Lambda.DuplicatedRecordId";
    public static final String PROCESSING_FAILED_STATUS = "Lambda.ProcessingFailedStatus";

    public LambdaProcessor {
        Objects.requireNonNull(functionArn, "functionArn");
        Objects.requireNonNull(bufferInterval, "bufferInterval");
        Objects.requireNonNull(transformer, "transformer");
        if (numberOfRetries < 0 || bufferBytes < 1 || bufferInterval.isNegative()) {
            throw new IllegalArgumentException("bad Lambda processor settings: retries " + numberOfRetries
                    + ", buffer " + bufferBytes + " bytes, " + bufferInterval);
        }
    }

    /** One record sent to the function. */
    public record Input(String recordId, long approximateArrivalMillis, byte[] data) {
    }

    /** One record of the function's answer; {@code data} and {@code partitionKeys} may be null. */
    public record Output(String recordId, String result, byte[] data, Map<String, String> partitionKeys) {
    }

    /** Calls the function once with a batch. */
    @FunctionalInterface
    public interface Transformer {
        /**
         * @throws InvocationException when the call fails or the answer cannot be read
         */
        List<Output> invoke(List<Input> records) throws InvocationException;
    }

    /** A failed invocation: the error code and message go into each record's error record. */
    public static final class InvocationException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String errorCode;

        public InvocationException(String errorCode, String message) {
            super(message);
            this.errorCode = errorCode;
        }

        public String errorCode() {
            return errorCode;
        }
    }

    /** What became of one input record. */
    public sealed interface Outcome {
    }

    /** Delivered: {@code data} with the function's partition keys (empty when it gave none). */
    public record Ok(byte[] data, Map<String, String> partitionKeys) implements Outcome {
    }

    /** Dropped on purpose: not delivered anywhere. */
    public record Dropped() implements Outcome {
    }

    /** Goes to the error prefix ({@code processing-failed}). */
    public record Failed(String errorCode, String errorMessage, int attemptsMade) implements Outcome {
    }

    /** Invokes the function for {@code records}, with retries; one outcome per input, in order. */
    public List<Outcome> process(List<Input> records) {
        InvocationException last = null;
        int attempts = 0;
        List<Output> answer = null;
        while (answer == null && attempts <= numberOfRetries) {
            attempts++;
            try {
                answer = transformer.invoke(records);
            } catch (InvocationException e) {
                last = e;
            } catch (RuntimeException e) {
                last = new InvocationException(FUNCTION_ERROR, String.valueOf(e.getMessage()));
            }
        }
        List<Outcome> out = new ArrayList<>(records.size());
        if (answer == null) {
            for (int i = 0; i < records.size(); i++) {
                out.add(new Failed(last.errorCode(), last.getMessage(), attempts));
            }
            return out;
        }
        Map<String, Output> byId = new HashMap<>();
        String batchError = null;
        String batchMessage = null;
        for (Output o : answer) {
            if (o.recordId() != null && byId.put(o.recordId(), o) != null) {
                batchError = DUPLICATED_RECORD_ID;
                batchMessage = "The function returned record id " + o.recordId() + " more than once.";
            }
        }
        for (Input in : records) {
            if (batchError == null && !byId.containsKey(in.recordId())) {
                batchError = MISSING_RECORD_ID;
                batchMessage = "The function did not return record id " + in.recordId() + ".";
            }
        }
        for (Input in : records) {
            if (batchError != null) {
                out.add(new Failed(batchError, batchMessage, attempts));
                continue;
            }
            Output o = byId.get(in.recordId());
            String result = o.result() == null ? "" : o.result();
            switch (result) {
                case "Ok" -> {
                    if (o.data() == null) {
                        out.add(new Failed(JSON_PROCESSING, "The record " + in.recordId()
                                + " has result Ok but no base64 data.", attempts));
                    } else {
                        out.add(new Ok(o.data(), o.partitionKeys() == null ? Map.of() : Map.copyOf(o.partitionKeys())));
                    }
                }
                case "Dropped" -> out.add(new Dropped());
                case "ProcessingFailed" -> out.add(new Failed(PROCESSING_FAILED_STATUS,
                        "ProcessingFailed status set for record", 1));
                default -> out.add(new Failed(JSON_PROCESSING, "The record " + in.recordId()
                        + " has result '" + result + "', not Ok, Dropped or ProcessingFailed.", attempts));
            }
        }
        return out;
    }
}
