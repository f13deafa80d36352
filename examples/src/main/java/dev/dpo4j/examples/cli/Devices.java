package dev.dpo4j.examples.cli;

import ai.djl.Device;
import dev.dpo4j.core.engine.CudaRuntime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code --device} values every command accepts: {@code cpu}, {@code gpu} and {@code gpu:N}.
 * DJL's own {@code Device.fromName} reads {@code gpu1} but refuses {@code gpu:1}, the form the
 * help texts and PyTorch use. A GPU is checked at once against the libtorch DJL loads
 * ({@link CudaRuntime#require}), so a run that would land on a CPU build of libtorch stops before
 * its model loads, with a message that says what to set.
 */
public final class Devices {
    private static final Pattern GPU = Pattern.compile("gpu(?::(\\d+))?");

    private Devices() {
    }

    /**
     * Parses a device name.
     *
     * @param name {@code cpu}, {@code gpu} or {@code gpu:N}
     * @return the device
     * @throws IllegalArgumentException naming the flag and the value
     * @throws IllegalStateException for a GPU that the loaded libtorch cannot use (a CPU build, no
     *     GPU, or an index past the GPUs it sees)
     */
    public static Device parse(String name) {
        if (name.equals("cpu")) {
            return Device.cpu();
        }
        Matcher m = GPU.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("--device: expected cpu, gpu or gpu:N, got '" + name + "'");
        }
        Device gpu = m.group(1) == null ? Device.gpu() : Device.gpu(Integer.parseInt(m.group(1)));
        CudaRuntime.require(gpu);
        return gpu;
    }
}
