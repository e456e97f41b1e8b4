package dev.tributary.emulator.s3;

import dev.tributary.firehose.s3.FileSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small S3 REST subset over the files a {@link FileSink} holds, path-style only
 * ({@code /<bucket>/<key>}), so that an S3 client reads back what Firehose delivered:
 * ListBuckets, CreateBucket, HeadBucket, DeleteBucket, ListObjectsV2 (prefix, delimiter,
 * continuation token, start-after, max-keys, {@code encoding-type=url}), GetObject, HeadObject,
 * PutObject (plain or {@code aws-chunked} bodies) and DeleteObject, with S3's XML shapes and error
 * bodies. Objects keep no metadata beyond their bytes: Content-Type is always
 * {@code application/octet-stream}, the ETag is the MD5 of the content.
 *
 * <p>No HTTP library inside: {@link #handle} takes the request's parts and returns a
 * {@link Reply}. Thread-safe (the file system is the only state).
 */
public final class S3Handler {
    private static final Logger LOG = LoggerFactory.getLogger(S3Handler.class);
    private static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String OWNER_ID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";

    /** An answer: status, headers, body (empty for HEAD). */
    public record Reply(int status, Map<String, String> headers, byte[] body) {
    }

    private final FileSink sink;

    public S3Handler(FileSink sink) {
        this.sink = sink;
    }

    /**
     * Handles one request.
     *
     * @param rawPath the path as sent, still percent-encoded
     * @param query   the raw query string, or null
     * @param headers request headers, names lower-cased
     */
    public Reply handle(String method, String rawPath, String query, Map<String, String> headers, byte[] body) {
        String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        String bucket = null;
        String key = null;
        try {
            String rest = path.substring(1);
            int slash = rest.indexOf('/');
            bucket = decode(slash < 0 ? rest : rest.substring(0, slash));
            key = slash < 0 || slash == rest.length() - 1 ? null : decode(rest.substring(slash + 1));
            Map<String, String> params = params(query);
            boolean head = method.equals("HEAD");
            if (bucket.isEmpty()) {
                if (method.equals("GET")) {
                    return listBuckets(requestId);
                }
                return error(S3Error.METHOD_NOT_ALLOWED, path, requestId, head);
            }
            if (bucket.startsWith(".") || bucket.contains("\\")) {
                return error(S3Error.INVALID_BUCKET_NAME, path, requestId, head);
            }
            Path dir = sink.bucketDir(bucket);
            if (key == null) {
                return switch (method) {
                    case "PUT" -> {
                        sink.createBucket(bucket);
                        yield reply(200, requestId, Map.of("Location", "/" + bucket), new byte[0]);
                    }
                    case "HEAD" -> Files.isDirectory(dir) ? reply(200, requestId, Map.of(), new byte[0])
                            : error(S3Error.NO_SUCH_BUCKET, path, requestId, true);
                    case "GET" -> Files.isDirectory(dir) ? listObjects(bucket, dir, params, requestId)
                            : noSuchBucket(bucket, requestId);
                    case "DELETE" -> deleteBucket(bucket, dir, requestId);
                    default -> error(S3Error.METHOD_NOT_ALLOWED, path, requestId, false);
                };
            }
            if (!Files.isDirectory(dir)) {
                return head ? error(S3Error.NO_SUCH_BUCKET, path, requestId, true) : noSuchBucket(bucket, requestId);
            }
            if (!FileSink.isFileKey(key)) {
                return error(S3Error.INVALID_ARGUMENT, path, requestId, head);
            }
            Path file = sink.file(bucket, key);
            return switch (method) {
                case "GET", "HEAD" -> getObject(file, key, requestId, head);
                case "PUT" -> {
                    byte[] data = isAwsChunked(headers) ? decodeAwsChunked(body) : body;
                    sink.write(bucket, key, data);
                    yield reply(200, requestId, Map.of("ETag", etag(data)), new byte[0]);
                }
                case "DELETE" -> {
                    Files.deleteIfExists(file);
                    pruneEmptyDirs(file.getParent(), dir);
                    yield reply(204, requestId, Map.of(), new byte[0]);
                }
                default -> error(S3Error.METHOD_NOT_ALLOWED, path, requestId, false);
            };
        } catch (IllegalArgumentException e) {
            return error(S3Error.INVALID_ARGUMENT, path, requestId, method.equals("HEAD"));
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("S3 request failed method={} path={} error={}", method, path, e.toString());
            return error(S3Error.INTERNAL_ERROR, path, requestId, method.equals("HEAD"));
        }
    }

    private Reply listBuckets(String requestId) throws IOException {
        StringBuilder x = xmlHead("ListAllMyBucketsResult");
        x.append("<Owner><ID>").append(OWNER_ID).append("</ID><DisplayName>tributary</DisplayName></Owner><Buckets>");
        TreeSet<String> names = new TreeSet<>();
        Path root = sink.root();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
                for (Path d : dirs) {
                    String n = d.getFileName().toString();
                    if (Files.isDirectory(d) && !n.startsWith(".")) {
                        names.add(n);
                    }
                }
            }
        }
        for (String n : names) {
            Instant created = Files.readAttributes(root.resolve(n), BasicFileAttributes.class).creationTime().toInstant();
            x.append("<Bucket><Name>").append(esc(n)).append("</Name><CreationDate>").append(ISO.format(created))
                    .append("</CreationDate></Bucket>");
        }
        x.append("</Buckets></ListAllMyBucketsResult>");
        return xml(200, requestId, x);
    }

    private Reply listObjects(String bucket, Path dir, Map<String, String> params, String requestId)
            throws IOException {
        String prefix = params.getOrDefault("prefix", "");
        String delimiter = params.get("delimiter");
        if (delimiter != null && delimiter.isEmpty()) {
            delimiter = null;
        }
        int maxKeys = params.containsKey("max-keys") ? Integer.parseInt(params.get("max-keys")) : 1000;
        if (maxKeys < 0) {
            throw new IllegalArgumentException("max-keys");
        }
        boolean urlEncode = "url".equals(params.get("encoding-type"));
        String token = params.get("continuation-token");
        String after = token != null ? new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8)
                : params.getOrDefault("start-after", params.get("marker"));

        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> keys.add(dir.relativize(f).toString()
                    .replace(f.getFileSystem().getSeparator(), "/")));
        }
        keys.sort(null);
        List<String> contents = new ArrayList<>();
        List<String> commonPrefixes = new ArrayList<>();
        boolean truncated = false;
        String last = null;
        for (String k : keys) {
            if (!k.startsWith(prefix) || (after != null && k.compareTo(after) <= 0)) {
                continue;
            }
            String entry = k;
            boolean isPrefix = false;
            if (delimiter != null) {
                int i = k.indexOf(delimiter, prefix.length());
                if (i >= 0) {
                    entry = k.substring(0, i + delimiter.length());
                    isPrefix = true;
                    if (entry.equals(commonPrefixes.isEmpty() ? null : commonPrefixes.get(commonPrefixes.size() - 1))) {
                        continue;
                    }
                    if (after != null && entry.compareTo(after) <= 0) {
                        continue;
                    }
                }
            }
            if (contents.size() + commonPrefixes.size() == maxKeys) {
                truncated = true;
                break;
            }
            if (isPrefix) {
                commonPrefixes.add(entry);
                // Skip the rest of this prefix on the next page: continue after its last key.
                last = entry + Character.MAX_VALUE;
            } else {
                contents.add(entry);
                last = entry;
            }
        }
        StringBuilder x = xmlHead("ListBucketResult");
        x.append("<Name>").append(esc(bucket)).append("</Name>");
        x.append("<Prefix>").append(esc(enc(prefix, urlEncode))).append("</Prefix>");
        if (token != null) {
            x.append("<ContinuationToken>").append(esc(token)).append("</ContinuationToken>");
        }
        if (params.containsKey("start-after")) {
            x.append("<StartAfter>").append(esc(enc(params.get("start-after"), urlEncode))).append("</StartAfter>");
        }
        x.append("<KeyCount>").append(contents.size() + commonPrefixes.size()).append("</KeyCount>");
        x.append("<MaxKeys>").append(maxKeys).append("</MaxKeys>");
        if (delimiter != null) {
            x.append("<Delimiter>").append(esc(enc(delimiter, urlEncode))).append("</Delimiter>");
        }
        if (urlEncode) {
            x.append("<EncodingType>url</EncodingType>");
        }
        x.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        if (truncated && last != null) {
            x.append("<NextContinuationToken>")
                    .append(Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)))
                    .append("</NextContinuationToken>");
        }
        for (String k : contents) {
            Path f = dir.resolve(k);
            byte[] data = Files.readAllBytes(f);
            x.append("<Contents><Key>").append(esc(enc(k, urlEncode))).append("</Key><LastModified>")
                    .append(ISO.format(Files.getLastModifiedTime(f).toInstant().truncatedTo(ChronoUnit.MILLIS)))
                    .append("</LastModified><ETag>").append(esc(etag(data))).append("</ETag><Size>")
                    .append(data.length).append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
        }
        for (String p : commonPrefixes) {
            x.append("<CommonPrefixes><Prefix>").append(esc(enc(p, urlEncode))).append("</Prefix></CommonPrefixes>");
        }
        x.append("</ListBucketResult>");
        return xml(200, requestId, x);
    }

    private Reply getObject(Path file, String key, String requestId, boolean head) throws IOException {
        byte[] data;
        try {
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString());
            }
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (head) {
                return error(S3Error.NO_SUCH_KEY, "/" + key, requestId, true);
            }
            StringBuilder x = errorXml(S3Error.NO_SUCH_KEY, requestId);
            x.insert(x.indexOf("<RequestId>"), "<Key>" + esc(key) + "</Key>");
            return xml(404, requestId, x);
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/octet-stream");
        h.put("ETag", etag(data));
        h.put("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Files.getLastModifiedTime(file).toInstant().atZone(ZoneOffset.UTC)));
        h.put("Accept-Ranges", "bytes");
        h.put("Content-Length", Integer.toString(data.length));
        return reply(200, requestId, h, head ? new byte[0] : data);
    }

    private Reply deleteBucket(String bucket, Path dir, String requestId) throws IOException {
        if (!Files.isDirectory(dir)) {
            return noSuchBucket(bucket, requestId);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            if (files.anyMatch(Files::isRegularFile)) {
                return error(S3Error.BUCKET_NOT_EMPTY, "/" + bucket, requestId, false);
            }
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        return reply(204, requestId, Map.of(), new byte[0]);
    }

    private static void pruneEmptyDirs(Path from, Path stopAt) {
        Path p = from;
        while (p != null && !p.equals(stopAt)) {
            try {
                Files.delete(p);
            } catch (IOException e) {
                return;
            }
            p = p.getParent();
        }
    }

    private Reply noSuchBucket(String bucket, String requestId) {
        StringBuilder x = errorXml(S3Error.NO_SUCH_BUCKET, requestId);
        x.insert(x.indexOf("<RequestId>"), "<BucketName>" + esc(bucket) + "</BucketName>");
        return xml(404, requestId, x);
    }

    private Reply error(S3Error e, String resource, String requestId, boolean head) {
        if (head) {
            return reply(e.status(), requestId, Map.of(), new byte[0]);
        }
        StringBuilder x = errorXml(e, requestId);
        x.insert(x.indexOf("<RequestId>"), "<Resource>" + esc(resource) + "</Resource>");
        return xml(e.status(), requestId, x);
    }

    private static StringBuilder errorXml(S3Error e, String requestId) {
        return new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>").append(e.code())
                .append("</Code><Message>").append(esc(e.message())).append("</Message><RequestId>")
                .append(requestId).append("</RequestId><HostId>").append(requestId).append("</HostId></Error>");
    }

    private static StringBuilder xmlHead(String root) {
        return new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(root).append(" xmlns=\"")
                .append(NS).append("\">");
    }

    private static Reply xml(int status, String requestId, CharSequence x) {
        return reply(status, requestId, Map.of("Content-Type", "application/xml"),
                x.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Reply reply(int status, String requestId, Map<String, String> headers, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("x-amz-request-id", requestId);
        h.put("x-amz-id-2", requestId);
        return new Reply(status, h, body);
    }

    /** True for a body in {@code aws-chunked} encoding (SDK streaming uploads with trailers). */
    static boolean isAwsChunked(Map<String, String> headers) {
        String ce = headers.getOrDefault("content-encoding", "");
        String sha = headers.getOrDefault("x-amz-content-sha256", "");
        return ce.contains("aws-chunked") || sha.startsWith("STREAMING-");
    }

    /**
     * Decodes {@code aws-chunked}: chunks of {@code <hex size>[;chunk-signature=...]\r\n<bytes>\r\n},
     * ending with a zero-size chunk and optional trailers (checksums), which are ignored.
     */
    static byte[] decodeAwsChunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        int i = 0;
        while (i < body.length) {
            int eol = indexOfCrlf(body, i);
            if (eol < 0) {
                throw new IllegalArgumentException("malformed aws-chunked body");
            }
            String header = new String(body, i, eol - i, StandardCharsets.US_ASCII);
            int semi = header.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? header : header.substring(0, semi)).trim(), 16);
            i = eol + 2;
            if (size == 0) {
                break;
            }
            out.write(body, i, size);
            i += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    static String etag(byte[] data) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> params(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            out.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** S3's URL encoding of keys in listings: everything but unreserved characters and '/'. */
    private static String enc(String s, boolean urlEncode) {
        if (!urlEncode || s == null) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || c == '/') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
