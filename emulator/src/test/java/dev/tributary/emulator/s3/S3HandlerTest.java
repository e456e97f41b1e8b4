package dev.tributary.emulator.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.firehose.s3.FileSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3HandlerTest {
    @TempDir
    Path root;

    private S3Handler s3;

    @BeforeEach
    void setUp() {
        s3 = new S3Handler(new FileSink(root));
    }

    private S3Handler.Reply call(String method, String path, String query, String body) {
        return s3.handle(method, path, query, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(S3Handler.Reply r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void missingBucketAndKeyAnswerWithS3ErrorXml() {
        S3Handler.Reply bucket = call("GET", "/nope/k", null, "");
        assertThat(bucket.status()).isEqualTo(404);
        assertThat(text(bucket)).contains("<Code>NoSuchBucket</Code><Message>The specified bucket does not exist"
                + "</Message><BucketName>nope</BucketName>");
        call("PUT", "/b", null, "");
        S3Handler.Reply key = call("GET", "/b/missing", null, "");
        assertThat(key.status()).isEqualTo(404);
        assertThat(text(key)).contains("<Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
                + "<Key>missing</Key>");
        S3Handler.Reply head = call("HEAD", "/b/missing", null, "");
        assertThat(head.status()).isEqualTo(404);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void putGetAndDeleteRoundTripWithEtag() {
        call("PUT", "/b", null, "");
        S3Handler.Reply put = call("PUT", "/b/dir/obj%20one", null, "hello");
        assertThat(put.headers()).containsEntry("ETag", "\"5d41402abc4b2a76b9719d911017c592\"");
        S3Handler.Reply get = call("GET", "/b/dir/obj%20one", null, "");
        assertThat(text(get)).isEqualTo("hello");
        assertThat(get.headers()).containsEntry("Content-Length", "5");
        assertThat(call("DELETE", "/b/dir/obj%20one", null, "").status()).isEqualTo(204);
        assertThat(call("GET", "/b/dir/obj%20one", null, "").status()).isEqualTo(404);
    }

    @Test
    void awsChunkedBodiesAreDecoded() {
        byte[] body = ("5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(new String(S3Handler.decodeAwsChunked(body), StandardCharsets.US_ASCII)).isEqualTo("hello world");
        call("PUT", "/b", null, "");
        s3.handle("PUT", "/b/k", null, Map.of("content-encoding", "aws-chunked"), body);
        assertThat(text(call("GET", "/b/k", null, ""))).isEqualTo("hello world");
    }

    @Test
    void listObjectsV2GroupsByDelimiterAndPages() {
        call("PUT", "/b", null, "");
        for (String k : new String[] {"x/1", "x/2", "y", "z"}) {
            call("PUT", "/b/" + k, null, k);
        }
        String top = text(call("GET", "/b", "list-type=2&delimiter=%2F", ""));
        assertThat(top).contains("<KeyCount>3</KeyCount>", "<CommonPrefixes><Prefix>x/</Prefix></CommonPrefixes>",
                "<Key>y</Key>", "<Key>z</Key>").doesNotContain("<Key>x/1</Key>");
        String page = text(call("GET", "/b", "list-type=2&max-keys=2", ""));
        assertThat(page).contains("<IsTruncated>true</IsTruncated>", "<Key>x/1</Key>", "<Key>x/2</Key>");
        String token = page.replaceAll("(?s).*<NextContinuationToken>(.*)</NextContinuationToken>.*", "$1");
        String rest = text(call("GET", "/b", "list-type=2&max-keys=2&continuation-token=" + token, ""));
        assertThat(rest).contains("<IsTruncated>false</IsTruncated>", "<Key>y</Key>", "<Key>z</Key>")
                .doesNotContain("<Key>x/1</Key>");
    }

    @Test
    void listBucketsSkipsTheStagingDirectory() {
        call("PUT", "/b1", null, "");
        new FileSink(root).write("b2", "k", new byte[] {1});
        String list = text(call("GET", "/", null, ""));
        assertThat(list).contains("<Name>b1</Name>", "<Name>b2</Name>").doesNotContain(".tmp");
    }
}
