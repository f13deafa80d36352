package dev.dpo4j.examples.bench;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Peak memory since a reset: the Java heap (the sum over heap pools of each pool's peak, from
 * {@link MemoryPoolMXBean#getPeakUsage}) and the process's resident set high-water mark ({@code VmHWM}
 * in {@code /proc/self/status}), which is where DJL's tensors live since they are off-heap.
 *
 * <p>The heap figure is an upper bound: pools peak at different moments. {@code VmHWM} is reset by
 * writing {@code 5} to {@code /proc/self/clear_refs} (Linux ≥ 4.0); where that fails it is the peak of
 * the whole process so far, and {@link #rssWasReset()} says so.
 */
public final class MemoryProbe implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private static final double MIB = 1024.0 * 1024.0;

    private final boolean rssWasReset;
    private final GpuSampler gpu; // null on CPU

    private MemoryProbe(boolean rssWasReset, GpuSampler gpu) {
        this.rssWasReset = rssWasReset;
        this.gpu = gpu;
    }

    /**
     * As {@link #reset()}, and on a GPU also starts sampling the device's used memory
     * ({@code cudaMemGetInfo}, every 2 ms, on a daemon thread) for {@link #peakDeviceMiB()}: what
     * nvidia-smi shows, the CUDA context and the caching allocator's reserve included, so an upper bound
     * of what tensors needed.
     *
     * @param device the device the measured work runs on
     * @return a probe measuring from now
     */
    public static MemoryProbe reset(Device device) {
        MemoryProbe host = reset();
        return device.isGpu() ? new MemoryProbe(host.rssWasReset, new GpuSampler(device)) : host;
    }

    /**
     * The peak of the GPU's used memory since the probe started, in MiB; NaN on CPU.
     *
     * @return MiB
     */
    public double peakDeviceMiB() {
        return gpu == null ? Double.NaN : gpu.peakMiB();
    }

    /** Stops the GPU sampler (nothing to stop on CPU); the figures stay readable. */
    @Override
    public void close() {
        if (gpu != null) {
            gpu.stop();
        }
    }

    /** Polls the device's used memory and keeps the maximum. */
    private static final class GpuSampler {
        private final Device device;
        private final AtomicLong peak = new AtomicLong(-1);
        private final Thread thread;
        private volatile boolean cudart = true;

        GpuSampler(Device device) {
            this.device = device;
            sample();
            thread = new Thread(() -> {
                while (true) {
                    sample();
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "gpu-memory-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            thread.interrupt();
        }

        private void sample() {
            long used = usedBytes();
            if (used >= 0) {
                peak.accumulateAndGet(used, Math::max);
            }
        }

        /**
         * The device's used memory: cudaMemGetInfo through DJL's {@link CudaUtils}, or, where DJL finds no
         * libcudart (a pip torch keeps it outside torch/lib), nvidia-smi's figure; -1 when neither works.
         */
        private long usedBytes() {
            if (cudart) {
                try {
                    return CudaUtils.getGpuMemory(device).getUsed();
                } catch (RuntimeException | LinkageError e) {
                    cudart = false;
                }
            }
            try {
                Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=memory.used", "--format=csv,noheader,nounits",
                        "-i", Integer.toString(device.getDeviceId())).redirectErrorStream(true).start();
                String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                return p.waitFor() == 0 ? Long.parseLong(text.strip()) * 1024 * 1024 : -1; // MiB
            } catch (IOException | NumberFormatException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        double peakMiB() {
            sample();
            return peak.get() < 0 ? Double.NaN : peak.get() / MIB;
        }
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
        return new MemoryProbe(reset, null);
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
