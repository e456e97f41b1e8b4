package dev.tributary.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs N copies of a bounded task on platform threads and waits for them, with a time cap. */
final class Workers {
    private Workers() {
    }

    interface Task {
        void run(int index) throws Exception;
    }

    /**
     * Starts {@code n} threads running {@code task} and joins them. Tasks must stop by themselves;
     * threads still alive {@code joinCapMillis} after the start are interrupted (and reported).
     */
    static void runAll(String name, int n, long joinCapMillis, Task task) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                try {
                    task.run(index);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    System.err.println(name + "-" + index + " failed: " + e);
                }
            }, name + "-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(joinCapMillis);
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            t.join(Math.max(1, left));
            if (t.isAlive()) {
                System.err.println(t.getName() + " still running after the cap; interrupting");
                t.interrupt();
            }
        }
    }

    static void sleepNanos(long nanos) throws InterruptedException {
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }
}
