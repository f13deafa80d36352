package dev.dpo4j.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Platform;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before a model is put on a GPU, that the libtorch DJL loaded can run there, and says
 * what to change when it cannot.
 *
 * <p>DJL's PyTorch engine takes the first libtorch it finds (see {@code ai.djl.pytorch.jni.LibUtils}):
 * the folder named by {@code PYTORCH_LIBRARY_PATH}; else a {@code pytorch-native-*} jar on the class
 * path whose platform matches (a CPU build matches every system, so a {@code pytorch-native-cpu} jar
 * wins over CUDA); else a download from publish.djl.ai, of the CUDA flavor when the CUDA runtime
 * reports a GPU, which {@code -Dai.djl.offline=true} forbids. A GPU run that ends up on a CPU build
 * fails at the first array placed on the GPU, with libtorch's "Could not run 'aten::empty.memory_format'
 * with arguments from the 'CUDA' backend" and its list of fifty dispatch keys; {@link #require(Device)}
 * fails first, in one line that names the folder, what it holds and what to set.
 *
 * <p>The check reads no engine capability ({@code Engine.hasCapability} and
 * {@code Engine.getGpuCount} create ATen's global context, which freezes
 * {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE}; see {@link Tf32}). A CUDA build is recognised by the
 * {@code libtorch_cuda} library in the loaded folder, and its GPUs are counted by libtorch itself
 * ({@code c10::cuda::device_count()}, a c10 function below ATen), falling back to DJL's count where
 * that symbol cannot be called.
 */
public final class CudaRuntime {
    /** The library only a CUDA build of libtorch has ({@code libtorch_cuda.so} on Linux). */
    static final String CUDA_LIBRARY = System.mapLibraryName("torch_cuda");
    /** {@code c10::cuda::device_count()}, Itanium-mangled; returns {@code c10::DeviceIndex} (int8). */
    private static final String C10_DEVICE_COUNT = "_ZN3c104cuda12device_countEv";

    private CudaRuntime() {
    }

    /**
     * Makes sure {@code device} can be used. A CPU device passes at once, loading nothing. For a GPU,
     * loads the PyTorch engine if it is not loaded yet and checks that it is a CUDA build that sees
     * the GPU.
     *
     * @param device the device a model is about to be placed on
     * @throws IllegalStateException in one line, when the engine does not load, is a CPU build, sees
     *     no GPU, or sees fewer GPUs than the device's index needs
     */
    public static void require(Device device) {
        if (!device.isGpu()) {
            return;
        }
        Path dir;
        try {
            Engine.getEngine("PyTorch");
            dir = Path.of(LibUtils.getLibtorchPath());
        } catch (EngineException e) {
            throw engineFailed(device, e);
        }
        check(device, dir, gpuCount(dir));
    }

    /**
     * The decision of {@link #require(Device)}, given what was found.
     *
     * @param device a GPU device
     * @param libtorchDir the folder the loaded libtorch came from
     * @param gpuCount the GPUs that libtorch sees (for a CPU build: those the CUDA runtime reports)
     * @throws IllegalStateException when the device cannot be used
     */
    static void check(Device device, Path libtorchDir, int gpuCount) {
        String name = name(device);
        if (!isCudaBuild(libtorchDir)) {
            throw new IllegalStateException("device " + name + " needs a CUDA build of libtorch, but DJL loaded a CPU"
                    + " build from " + libtorchDir + " (no " + CUDA_LIBRARY + " in it; the CUDA runtime reports "
                    + gpus(gpuCount) + "). " + remedy());
        }
        if (gpuCount <= 0) {
            throw new IllegalStateException("device " + name + " needs a GPU, but the CUDA build of libtorch loaded"
                    + " from " + libtorchDir + " sees none (0 GPUs). Check the NVIDIA driver (nvidia-smi; it must"
                    + " support this libtorch's CUDA version) and CUDA_VISIBLE_DEVICES, or use device cpu.");
        }
        if (device.getDeviceId() >= gpuCount) {
            throw new IllegalStateException("device " + name + " does not exist: the CUDA build of libtorch loaded"
                    + " from " + libtorchDir + " sees " + gpus(gpuCount) + " (gpu:0 to gpu:" + (gpuCount - 1)
                    + "). Pick one of those, or check CUDA_VISIBLE_DEVICES.");
        }
    }

    /**
     * Whether a libtorch folder holds a CUDA build.
     *
     * @param libtorchDir a libtorch {@code lib} folder
     * @return true when {@code libtorch_cuda} is in it
     */
    static boolean isCudaBuild(Path libtorchDir) {
        return Files.isRegularFile(libtorchDir.resolve(CUDA_LIBRARY));
    }

    /**
     * The error for an engine that did not load at all (e.g. DJL may not download offline).
     *
     * @param device the GPU device asked for
     * @param cause DJL's error
     * @return the exception to throw, with {@code cause} attached
     */
    static IllegalStateException engineFailed(Device device, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = cause.getMessage()
                + (root == cause ? "" : ": " + root.getClass().getSimpleName() + ": " + root.getMessage());
        String libraryPath = Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH");
        String state = "ai.djl.offline=" + Utils.isOfflineMode() + ", PYTORCH_LIBRARY_PATH="
                + (libraryPath == null ? "unset" : libraryPath);
        return new IllegalStateException(("device " + name(device) + " needs a CUDA build of libtorch, but the PyTorch"
                + " engine did not load (" + why + "; " + state + "). " + remedy()).replaceAll("\\s*\\R\\s*", " "),
                cause);
    }

    private static String remedy() {
        return "Run through ./dpo4j, which leaves its CPU build off the class path for --device gpu, or put no"
                + " pytorch-native-cpu jar on the class path; then either let DJL download its CUDA build"
                + " (online, -Dai.djl.offline=false; with PYTORCH_FLAVOR=cu128 where DJL finds no CUDA runtime)"
                + " or set PYTORCH_LIBRARY_PATH to a CUDA libtorch (e.g. the lib"
                + " folder of a CUDA PyTorch install, with PYTORCH_VERSION=" + jniTorchVersion()
                + " PYTORCH_FLAVOR=cu128). See docs/gpu.md.";
    }

    /** The libtorch version DJL's JNI is built for (2.7.1 for DJL 0.35.1); PYTORCH_VERSION must say it. */
    private static String jniTorchVersion() {
        String version = Platform.fromSystem("pytorch").getVersion();
        return version == null ? "2.7.1" : version;
    }

    /** The GPUs libtorch sees; for a CPU build, those the CUDA runtime reports (for the message). */
    private static int gpuCount(Path libtorchDir) {
        if (!isCudaBuild(libtorchDir)) {
            return CudaUtils.getGpuCount();
        }
        Path c10Cuda = libtorchDir.resolve(System.mapLibraryName("c10_cuda"));
        try {
            // Already loaded by DJL; this returns the same handle. noexcept in c10: 0 when CUDA fails.
            Function count = NativeLibrary.getInstance(c10Cuda.toString()).getFunction(C10_DEVICE_COUNT);
            return (Byte) count.invoke(Byte.class, new Object[0]);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Engine.getEngine("PyTorch").getGpuCount();
        }
    }

    private static String name(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : device.getDeviceType();
    }

    private static String gpus(int count) {
        return count == 1 ? "1 GPU" : count + " GPUs";
    }
}
