package dev.tributary.store.internal.meta;

import dev.tributary.store.api.CorruptStoreException;
import dev.tributary.store.internal.replica.ReplicatedShardLog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The form of a stream's {@code replicas.meta}: per shard, its replica nodes, leader, leader epoch
 * and in-sync set. Text, so a person can read it; the last line is a CRC32C of the others.
 *
 * <pre>
 * tributary-replicas 1
 * &lt;shard&gt; &lt;replicas, comma-separated&gt; &lt;leader or -1&gt; &lt;epoch&gt; &lt;isr, comma-separated or -&gt;
 * ...
 * crc &lt;hex CRC32C of the lines above, each with its newline&gt;
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
public final class ReplicasCodec {
    private static final String HEADER = "tributary-replicas 1";

    private ReplicasCodec() {
    }

    public static byte[] encode(Map<Integer, ReplicatedShardLog.State> shards) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        new TreeMap<>(shards).forEach((index, st) -> sb.append(index).append(' ').append(join(st.replicas()))
                .append(' ').append(st.leader()).append(' ').append(st.epoch()).append(' ')
                .append(st.isr().isEmpty() ? "-" : join(st.isr())).append('\n'));
        CRC32C crc = new CRC32C();
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        crc.update(body);
        sb.append("crc ").append(Long.toHexString(crc.getValue())).append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static Map<Integer, ReplicatedShardLog.State> decode(byte[] document, String source) {
        String text = new String(document, StandardCharsets.UTF_8);
        int crcAt = text.lastIndexOf("crc ");
        if (!text.startsWith(HEADER + "\n") || crcAt < 0) {
            throw new CorruptStoreException("not a replicas document: " + source);
        }
        CRC32C crc = new CRC32C();
        crc.update(text.substring(0, crcAt).getBytes(StandardCharsets.UTF_8));
        if (!Long.toHexString(crc.getValue()).equals(text.substring(crcAt + 4).trim())) {
            throw new CorruptStoreException("replicas checksum mismatch in " + source);
        }
        Map<Integer, ReplicatedShardLog.State> out = new TreeMap<>();
        String[] lines = text.substring(HEADER.length() + 1, crcAt).split("\n");
        try {
            for (String line : lines) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split(" ");
                out.put(Integer.parseInt(f[0]), new ReplicatedShardLog.State(split(f[1]), Integer.parseInt(f[2]),
                        Integer.parseInt(f[3]), f[4].equals("-") ? List.of() : split(f[4])));
            }
        } catch (RuntimeException e) {
            throw new CorruptStoreException("malformed replicas document " + source, e);
        }
        return out;
    }

    private static String join(List<Integer> ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(id);
        }
        return sb.toString();
    }

    private static List<Integer> split(String s) {
        List<Integer> out = new ArrayList<>();
        for (String p : s.split(",")) {
            out.add(Integer.parseInt(p));
        }
        return out;
    }
}
