package dev.tributary.firehose.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyInputStream;

class CompressionTest {
    private static final byte[] DATA = "{\"a\":1}{\"a\":2}{\"a\":3}".repeat(5000).getBytes(StandardCharsets.UTF_8);

    @Test
    void extensionsFollowTheFormat() {
        assertThat(Compression.UNCOMPRESSED.extension()).isEmpty();
        assertThat(Compression.GZIP.extension()).isEqualTo(".gz");
        assertThat(Compression.ZIP.extension()).isEqualTo(".zip");
        assertThat(Compression.SNAPPY.extension()).isEqualTo(".snappy");
        assertThat(Compression.HADOOP_SNAPPY.extension()).isEqualTo(".snappy");
        assertThat(Compression.ofAwsName("Snappy")).isEqualTo(Compression.SNAPPY);
        assertThat(Compression.ofAwsName(null)).isEqualTo(Compression.UNCOMPRESSED);
    }

    @Test
    void gzipDecodesWithTheJdk() throws IOException {
        byte[] out = Compression.GZIP.compress(DATA);
        assertThat(new GZIPInputStream(new ByteArrayInputStream(out)).readAllBytes()).isEqualTo(DATA);
    }

    @Test
    void zipHoldsOneUuidNamedEntry() throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(Compression.ZIP.compress(DATA)))) {
            ZipEntry e = in.getNextEntry();
            assertThat(e.getName()).matches("[0-9a-f-]{36}");
            assertThat(in.readAllBytes()).isEqualTo(DATA);
            assertThat(in.getNextEntry()).isNull();
        }
    }

    @Test
    void snappyIsTheSnappyJavaStreamFormat() throws IOException {
        byte[] out = Compression.SNAPPY.compress(DATA);
        assertThat(new SnappyInputStream(new ByteArrayInputStream(out)).readAllBytes()).isEqualTo(DATA);
    }

    @Test
    void hadoopSnappyIsBlockFramed() throws IOException {
        byte[] out = Compression.HADOOP_SNAPPY.compress(DATA);
        // Hadoop's BlockCompressorStream: per block, the raw length, then chunks of (length, bytes).
        ByteBuffer buf = ByteBuffer.wrap(out);
        java.io.ByteArrayOutputStream decoded = new java.io.ByteArrayOutputStream();
        while (buf.hasRemaining()) {
            int raw = buf.getInt();
            int got = 0;
            while (got < raw) {
                int len = buf.getInt();
                byte[] chunk = Arrays.copyOfRange(out, buf.position(), buf.position() + len);
                buf.position(buf.position() + len);
                byte[] plain = Snappy.uncompress(chunk);
                decoded.write(plain);
                got += plain.length;
            }
        }
        assertThat(decoded.toByteArray()).isEqualTo(DATA);
    }

    @Test
    void uncompressedIsTheDataItself() {
        assertThat(Compression.UNCOMPRESSED.compress(DATA)).isEqualTo(DATA);
    }
}
