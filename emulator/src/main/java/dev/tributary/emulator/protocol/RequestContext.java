package dev.tributary.emulator.protocol;

/**
 * Who a request is from and where it is going: the account (from the access key), the region
 * (from the SigV4 credential scope), the request id, and the wire format to answer in.
 */
public record RequestContext(String account, String region, String requestId, WireFormat format) {
}
