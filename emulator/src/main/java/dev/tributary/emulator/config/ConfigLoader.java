package dev.tributary.emulator.config;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds an {@link EmulatorConfig}: a flag ({@code --port 4567} or {@code --port=4567}) wins over
 * the environment ({@code TRIBUTARY_PORT}), which wins over the default. A boolean flag given
 * without a value means true. Durations accept {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}
 * or plain milliseconds.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** Thrown for an unknown flag or an unparseable value; main prints it and exits 2. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }

    public static EmulatorConfig load(String[] args, Map<String, String> env) {
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        java.util.Set<ConfigKey> explicit = java.util.EnumSet.noneOf(ConfigKey.class);
        for (ConfigKey k : ConfigKey.values()) {
            String fromEnv = env.get(k.env());
            values.put(k, fromEnv != null ? fromEnv : k.defaultValue());
            if (fromEnv != null) {
                explicit.add(k);
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new ConfigException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            ConfigKey key = ConfigKey.ofFlag(name);
            if (key == null) {
                throw new ConfigException("unknown option --" + name);
            }
            if (value == null) {
                boolean isBoolean = key == ConfigKey.IN_MEMORY || key == ConfigKey.REQUIRE_AUTH
                        || key == ConfigKey.THROUGHPUT_LIMITS || key == ConfigKey.VERIFY_SIGNATURES
                        || key == ConfigKey.TLS;
                if (isBoolean && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
                    value = "true";
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new ConfigException("--" + name + " needs a value");
                }
            }
            values.put(key, value);
            explicit.add(key);
        }
        try {
            return new EmulatorConfig(
                    values.get(ConfigKey.HOST),
                    integer(values, ConfigKey.PORT),
                    Path.of(values.get(ConfigKey.DATA_DIR)),
                    bool(values, ConfigKey.IN_MEMORY),
                    values.get(ConfigKey.ACCOUNT),
                    values.get(ConfigKey.REGION),
                    bool(values, ConfigKey.REQUIRE_AUTH),
                    bool(values, ConfigKey.VERIFY_SIGNATURES),
                    credentials(values.get(ConfigKey.CREDENTIALS)),
                    duration(values, ConfigKey.CREATE_STREAM_DELAY),
                    duration(values, ConfigKey.DELETE_STREAM_DELAY),
                    duration(values, ConfigKey.UPDATE_STREAM_DELAY),
                    bool(values, ConfigKey.THROUGHPUT_LIMITS),
                    integer(values, ConfigKey.SHARD_LIMIT),
                    values.get(ConfigKey.FSYNC).toLowerCase(Locale.ROOT),
                    duration(values, ConfigKey.FSYNC_INTERVAL),
                    longValue(values, ConfigKey.SEGMENT_BYTES),
                    longValue(values, ConfigKey.MAX_REQUEST_BYTES),
                    values.get(ConfigKey.INIT).isBlank() ? null : Path.of(values.get(ConfigKey.INIT).trim()),
                    bool(values, ConfigKey.TLS),
                    values.get(ConfigKey.TLS_KEYSTORE).isBlank() ? null : Path.of(values.get(ConfigKey.TLS_KEYSTORE).trim()),
                    values.get(ConfigKey.TLS_KEYSTORE_PASSWORD),
                    new EmulatorConfig.Replication(integer(values, ConfigKey.NODES),
                            integer(values, ConfigKey.REPLICATION_FACTOR),
                            integer(values, ConfigKey.MIN_INSYNC_REPLICAS),
                            duration(values, ConfigKey.REPLICA_LAG_TIME),
                            bool(values, ConfigKey.UNCLEAN_LEADER_ELECTION)),
                    kafka(values, explicit),
                    lambdas(values.get(ConfigKey.FIREHOSE_LAMBDA)),
                    Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * The Kafka settings. A server asked for a free HTTP port ({@code --port 0}, what tests do) gets
     * free Kafka ports too unless {@code --kafka-port} is given, so parallel test servers never
     * fight over 9092.
     */
    private static KafkaConfig kafka(Map<ConfigKey, String> values, java.util.Set<ConfigKey> explicit) {
        int port = integer(values, ConfigKey.KAFKA_PORT);
        if (!explicit.contains(ConfigKey.KAFKA_PORT) && integer(values, ConfigKey.PORT) == 0) {
            port = 0;
        }
        String advertised = values.get(ConfigKey.KAFKA_ADVERTISED_HOST).trim();
        if (advertised.isEmpty()) {
            String host = values.get(ConfigKey.HOST).trim();
            advertised = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        }
        return new KafkaConfig(port, advertised, duration(values, ConfigKey.MSK_CREATE_CLUSTER_DELAY),
                duration(values, ConfigKey.MSK_DELETE_CLUSTER_DELAY), duration(values, ConfigKey.MSK_REBOOT_BROKER_DELAY));
    }

    /** {@code --firehose-lambda}: {@code arn=url} pairs separated by commas. */
    static Map<String, String> lambdas(String value) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String pair : value.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1 || !pair.trim().startsWith("arn:")) {
                throw new ConfigException("--firehose-lambda needs FUNCTION_ARN=URL pairs separated by commas: " + pair);
            }
            String url = pair.substring(eq + 1).trim();
            try {
                dev.tributary.emulator.firehose.LambdaFunctions.checkUrl(url);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--firehose-lambda: " + e.getMessage());
            }
            out.put(pair.substring(0, eq).trim(), url);
        }
        return out;
    }

    /** The {@code --log-level} a command line and environment ask for (checked: error, warn, info, debug). */
    public static String logLevel(String[] args, Map<String, String> env) {
        String level = env.getOrDefault(ConfigKey.LOG_LEVEL.env(), ConfigKey.LOG_LEVEL.defaultValue());
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--log-level") && i + 1 < args.length) {
                level = args[i + 1];
            } else if (args[i].startsWith("--log-level=")) {
                level = args[i].substring("--log-level=".length());
            }
        }
        level = level.trim().toLowerCase(Locale.ROOT);
        if (!level.equals("error") && !level.equals("warn") && !level.equals("info") && !level.equals("debug")) {
            throw new ConfigException("--log-level must be error, warn, info or debug: " + level);
        }
        return level;
    }

    private static Map<String, String> credentials(String spec) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new ConfigException("--credentials takes ACCESS_KEY_ID:SECRET pairs separated by commas");
            }
            out.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
        }
        return out;
    }

    private static int integer(Map<ConfigKey, String> v, ConfigKey k) {
        try {
            return Integer.parseInt(v.get(k).trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("--" + k.flag() + " must be a whole number: " + v.get(k));
        }
    }

    private static long longValue(Map<ConfigKey, String> v, ConfigKey k) {
        try {
            return Long.parseLong(v.get(k).trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("--" + k.flag() + " must be a whole number: " + v.get(k));
        }
    }

    private static boolean bool(Map<ConfigKey, String> v, ConfigKey k) {
        String s = v.get(k).trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new ConfigException("--" + k.flag() + " must be true or false: " + v.get(k));
        };
    }

    static Duration duration(Map<ConfigKey, String> v, ConfigKey k) {
        String s = v.get(k).trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            }
            if (s.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
            }
            if (s.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            return Duration.ofMillis(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new ConfigException("--" + k.flag() + " must be a duration such as 500ms or 2s: " + v.get(k));
        }
    }
}
