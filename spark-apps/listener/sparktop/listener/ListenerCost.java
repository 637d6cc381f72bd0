package sparktop.listener;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CPU the listener itself uses in the driver, for the overhead benchmark (bench/listener-cost.ts):
 * the time its callbacks take on Spark's listener-bus thread, and the CPU of the threads it owns
 * (the HTTP server's dispatcher and handlers). Served at {@code GET /cost}, a diagnostic outside the
 * progress contract the monitor reads.
 */
final class ListenerCost {
    private static final ThreadMXBean THREADS = threads();
    private static final boolean SUPPORTED = THREADS != null;
    private static final AtomicLong callbacks = new AtomicLong();
    private static final AtomicLong callbackCpuNanos = new AtomicLong();

    private ListenerCost() {
    }

    /** Measuring must never fail a callback: without thread CPU times the cost is just not known. */
    private static ThreadMXBean threads() {
        try {
            ThreadMXBean t = ManagementFactory.getThreadMXBean();
            return t.isCurrentThreadCpuTimeSupported() && t.isThreadCpuTimeSupported() ? t : null;
        } catch (Throwable e) {
            return null;
        }
    }

    /** The calling thread's CPU time now (ns), or -1 when the JVM cannot tell. */
    static long start() {
        try {
            return SUPPORTED ? THREADS.getCurrentThreadCpuTime() : -1;
        } catch (Throwable e) {
            return -1;
        }
    }

    static void callbackDone(long start) {
        callbacks.incrementAndGet();
        try {
            if (start >= 0) callbackCpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - start);
        } catch (Throwable e) {
            // not measured
        }
    }

    /** Total CPU of the live threads the listener owns: its HTTP handlers and the JDK server's dispatcher. */
    private static long serverCpuNanos() {
        long total = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) continue;
            String name = info.getThreadName();
            if (!name.startsWith("sparktop-listener") && !name.equals("HTTP-Dispatcher")) continue;
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) total += cpu;
        }
        return total;
    }

    static String json() {
        if (!SUPPORTED) return "{\"supported\":false,\"callbacks\":" + callbacks.get() + "}";
        return "{\"supported\":true,\"callbacks\":" + callbacks.get() + ",\"callbackCpuNanos\":" + callbackCpuNanos.get()
            + ",\"serverCpuNanos\":" + serverCpuNanos() + "}";
    }
}
