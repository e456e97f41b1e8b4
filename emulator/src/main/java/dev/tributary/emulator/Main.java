package dev.tributary.emulator;

import dev.tributary.emulator.config.ConfigKey;
import dev.tributary.emulator.config.ConfigLoader;
import dev.tributary.emulator.config.EmulatorConfig;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar tributary.jar [--flag value ...]}: starts the emulator until it is stopped. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            printHelp();
            return;
        }
        EmulatorConfig config;
        try {
            config = ConfigLoader.load(args, System.getenv());
            // Before the first logger exists: slf4j-simple reads its level once.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", ConfigLoader.logLevel(args, System.getenv()));
        } catch (ConfigLoader.ConfigException e) {
            System.err.println("tributary: " + e.getMessage());
            System.err.println("Run with --help for the options.");
            System.exit(2);
            return;
        }
        Tributary tributary = Tributary.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            tributary.close();
            stopped.countDown();
        }, "tributary-shutdown"));
        stopped.await();
    }

    private static void printHelp() {
        System.out.println("Usage: java -jar tributary.jar [options]\n");
        for (ConfigKey k : ConfigKey.values()) {
            System.out.printf("  --%-22s %s%n  %-24s env %s, default %s%n", k.flag(), k.doc(), "", k.env(),
                    k.defaultValue());
        }
    }
}
