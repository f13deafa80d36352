package dev.dpo4j.examples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak memory since a reset: the Java heap (the sum over heap pools of each pool's peak, from
 * {@link MemoryPoolMXBean#getPeakUsage}) and the process's resident set high-water mark ({@code VmHWM}
 * in {@code /proc/self/status}), which is where DJL's tensors live since they are off-heap.
 *
 * <p>The heap figure is an upper bound: pools peak at different moments. {@code VmHWM} is reset by
 * writing {@code 5} to {@code /proc/self/clear_refs} (Linux ≥ 4.0); where that fails it is the peak of
 * the whole process so far, and {@link #rssWasReset()} says so.
 */
public final class MemoryProbe {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private static final double MIB = 1024.0 * 1024.0;

    private final boolean rssWasReset;

    private MemoryProbe(boolean rssWasReset) {
        this.rssWasReset = rssWasReset;
    }

    /**
     * Collects garbage, then resets the heap pools' peaks and the resident high-water mark.
     *
     * @return a probe measuring from now
     */
    public static MemoryProbe reset() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
            }
        }
        boolean reset;
        try {
            Files.writeString(CLEAR_REFS, "5");
            reset = true;
        } catch (IOException | SecurityException e) {
            reset = false;
        }
        return new MemoryProbe(reset);
    }

    /** Whether the resident high-water mark was reset, so {@link #peakRssMiB()} covers only this probe. */
    public boolean rssWasReset() {
        return rssWasReset;
    }

    /**
     * The sum of the heap pools' peak usage since the reset.
     *
     * @return MiB
     */
    public double peakHeapMiB() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / MIB;
    }

    /**
     * The resident set high-water mark ({@code VmHWM}) of the whole process, Java heap included.
     *
     * @return MiB, or NaN where {@code /proc/self/status} cannot be read (not Linux)
     */
    public double peakRssMiB() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring("VmHWM:".length()).replace("kB", "").trim();
                    return Long.parseLong(kb) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
