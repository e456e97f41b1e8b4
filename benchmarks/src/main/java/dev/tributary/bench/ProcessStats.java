package dev.tributary.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size and CPU time of a process, from {@code /proc/<pid>/...} (Linux only). */
final class ProcessStats {
    private ProcessStats() {
    }

    /** VmRSS in KiB, or -1 when the process is gone or /proc is not there. */
    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** User plus system CPU seconds the process has used, or -1 when unknown. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name (which may contain spaces) start at field 3 (state);
            // utime and stime are fields 14 and 15, in clock ticks (USER_HZ, 100 on Linux).
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU seconds used by this JVM so far. */
    static double ownCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return -1;
    }

    /** CPU used by the load tool and by the target between {@link #start} and {@link #stop}. */
    record CpuMeter(long targetPid, double client0, double target0) {
        static CpuMeter start(long targetPid) {
            return new CpuMeter(targetPid, ownCpuSeconds(), targetPid > 0 ? cpuSeconds(targetPid) : -1);
        }

        /** {client CPU seconds, target CPU seconds (-1 when no target pid)}. */
        double[] stop() {
            double client = ownCpuSeconds() - client0;
            double target = targetPid > 0 && target0 >= 0 ? cpuSeconds(targetPid) - target0 : -1;
            return new double[] {client, target};
        }
    }
}
