package dev.tributary.bench;

/**
 * {@code java -jar tributary-bench.jar --endpoint http://127.0.0.1:4566 --scenario putrecords,drain}:
 * drives a local Kinesis endpoint with the AWS SDK v2 and prints one {@code RESULT} line per
 * scenario. See {@link LoadConfig#USAGE} for the flags. A watchdog ends the process if the
 * scenarios overrun their caps, so the tool always stops by itself.
 */
public final class LoadTool {
    private LoadTool() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(LoadConfig.USAGE);
            return;
        }
        LoadConfig config;
        try {
            config = LoadConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("tributary-bench: " + e.getMessage());
            System.err.print(LoadConfig.USAGE);
            System.exit(2);
            return;
        }
        startWatchdog(config);
        int connections = config.writers() + Math.max(config.shards(), config.readers()) + 4;
        int exit = 0;
        try (Kinesis kinesis = Kinesis.create(config.endpoint(), config.client(), connections)) {
            Scenario.Context ctx = new Scenario.Context(config, kinesis);
            for (String name : config.scenarios()) {
                Scenario scenario = switch (name) {
                    case "putrecords" -> new PutRecordsScenario(true);
                    case "putrecord" -> new PutRecordsScenario(false);
                    case "drain" -> new DrainScenario();
                    case "tail-latency" -> new TailLatencyScenario();
                    case "soak" -> new SoakScenario();
                    default -> throw new IllegalStateException(name);
                };
                try {
                    Result r = scenario.run(ctx);
                    System.out.println(r.line());
                    if (r.errors() > 0 || r.records() == 0) {
                        exit = 1;
                    }
                } catch (RuntimeException e) {
                    System.out.println("RESULT target=" + config.label() + " scenario=" + name + " error="
                            + e.toString().replace(' ', '_'));
                    exit = 1;
                }
                System.out.flush();
            }
        }
        System.exit(exit);
    }

    /** Ends the JVM once every scenario's cap plus generous slack has passed. */
    private static void startWatchdog(LoadConfig config) {
        long capSeconds = config.scenarios().size() * (config.duration().toSeconds() + config.warmupSeconds() + 120L);
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(capSeconds * 1000);
                System.err.println("tributary-bench: watchdog: still running after " + capSeconds + " s, exiting");
                System.exit(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "watchdog");
        t.setDaemon(true);
        t.start();
    }
}
