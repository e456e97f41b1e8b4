package dev.tributary.emulator.firehose.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.firehose.Destinations;
import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.firehose.FirehoseError;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;

/**
 * Changes the destination: checks {@code CurrentDeliveryStreamVersionId} (else
 * ConcurrentModificationException) and the destination id, merges the update into the
 * description, increments {@code VersionId}. What was buffered is delivered under the old version
 * first; later objects carry the new version in their names. S3 and ExtendedS3 updates apply to
 * either kind of S3 destination, and switch it to the kind of the update, as AWS does.
 *
 * @see <a href="https://docs.aws.amazon.com/firehose/latest/APIReference/API_UpdateDestination.html">UpdateDestination</a>
 */
public final class UpdateDestination extends FirehoseOperation<ObjectNode, Void> {

    public UpdateDestination(FirehoseBackend firehose) {
        super(firehose, ObjectNode.class);
    }

    @Override
    public Void execute(RequestContext ctx, ObjectNode in) {
        String name = in.get("DeliveryStreamName").asText();
        StreamInfo info = firehose.get(ctx, name);
        ObjectNode d = firehose.description(info);
        String current = d.get("VersionId").asText();
        String given = in.get("CurrentDeliveryStreamVersionId").asText();
        if (!current.equals(given)) {
            throw new AwsException(FirehoseError.CONCURRENT_MODIFICATION, "Cannot update firehose: " + name
                    + " since the current version id: " + current + " and the specified version id: " + given
                    + " do not match");
        }
        if (!FirehoseBackend.status(d).equals(FirehoseBackend.ACTIVE)) {
            throw new AwsException(FirehoseError.RESOURCE_IN_USE, "Firehose " + name + " under account "
                    + ctx.account() + " is not ACTIVE, instead in state " + FirehoseBackend.status(d) + ".");
        }
        String destinationId = in.get("DestinationId").asText();
        ArrayNode destinations = (ArrayNode) d.get("Destinations");
        JsonNode entry = destinations.get(0);
        if (!entry.path("DestinationId").asText().equals(destinationId)) {
            throw FirehoseBackend.invalidArgument("Destination Id " + destinationId + " not found.");
        }
        String updateType = Destinations.onlyType(in, "Update");
        String currentType = Destinations.typeOf(entry);
        ObjectNode description = (ObjectNode) entry.get(currentType + "DestinationDescription");
        boolean partitioned = Destinations.dynamicPartitioning(currentType, description);
        String newType = currentType;
        if (updateType != null) {
            boolean s3Family = (updateType.equals("S3") || updateType.equals("ExtendedS3"))
                    && (currentType.equals("S3") || currentType.equals("ExtendedS3"));
            if (!updateType.equals(currentType) && !s3Family) {
                throw FirehoseBackend.invalidArgument("Changing the destination type to or from " + updateType
                        + " is not supported.");
            }
            JsonNode update = in.get(updateType + "DestinationUpdate");
            Destinations.checkHints(update.has("S3Update") ? update.get("S3Update") : update);
            description = Destinations.update(currentType, description, update);
            newType = updateType;
            if (newType.equals("ExtendedS3") && !description.has("S3BackupMode")) {
                description.put("S3BackupMode", "Disabled");
            }
        }
        if (Destinations.dynamicPartitioning(newType, description) != partitioned) {
            // AWS: dynamic partitioning is enabled at creation only and cannot be disabled.
            throw FirehoseBackend.invalidArgument("Dynamic partitioning can be enabled only when the Firehose stream"
                    + " is created, and cannot be disabled.");
        }
        if ("Enabled".equals(entry.path(currentType + "DestinationDescription").path("S3BackupMode").asText())
                && !"Enabled".equals(description.path("S3BackupMode").asText())) {
            // AWS: "You cannot disable source record backup after you enable it."
            throw FirehoseBackend.invalidArgument("S3BackupMode cannot be changed from Enabled to Disabled.");
        }
        Destinations.check(newType, description);
        long version = Long.parseLong(current) + 1;
        ObjectNode newEntry = Destinations.destination(destinationId, newType, description);
        StreamInfo updated = firehose.update(info.name(), desc -> {
            desc.put("VersionId", Long.toString(version));
            desc.put("LastUpdateTimestamp", firehose.nowSeconds());
            ((ArrayNode) desc.get("Destinations")).set(0, newEntry);
            return desc;
        }, attrs -> attrs);
        firehose.deliver(updated, firehose.description(updated));
        return null;
    }
}
