package dev.tributary.emulator.protocol;

/** The two body encodings of the AWS JSON protocol. */
public enum WireFormat {
    /** {@code application/x-amz-json-1.1} (or 1.0): timestamps as epoch seconds, blobs base64. */
    JSON,
    /** {@code application/x-amz-cbor-1.1}: timestamps as epoch millis under tag 1, blobs as byte strings. */
    CBOR;

    /** The format of a request's {@code Content-Type}; JSON when absent or anything else. */
    public static WireFormat ofContentType(String contentType) {
        return contentType != null && contentType.contains("cbor") ? CBOR : JSON;
    }
}
