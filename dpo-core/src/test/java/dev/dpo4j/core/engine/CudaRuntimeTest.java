package dev.dpo4j.core.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.LibUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CudaRuntime}'s decision on fake libtorch folders (the file names are what it reads), and
 * the real check against the CPU build the tests run on.
 */
class CudaRuntimeTest {
    @TempDir
    Path tmp;

    /** A libtorch lib folder holding empty files with these names. */
    private Path libtorch(String name, String... libraries) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String library : libraries) {
            Files.createFile(dir.resolve(library));
        }
        return dir;
    }

    private Path cpuBuild() throws IOException {
        return libtorch("cpu", "libc10.so", "libtorch.so", "libtorch_cpu.so", "libgomp-98b21ff3.so.1");
    }

    private Path cudaBuild() throws IOException {
        return libtorch("cu128", "libc10.so", "libc10_cuda.so", "libtorch.so", "libtorch_cpu.so", "libtorch_cuda.so");
    }

    private static IllegalStateException refused(Device device, Path dir, int gpus) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CudaRuntime.check(device, dir, gpus));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' missing from: " + message);
        }
    }

    @Test
    void cpuBuildIsRefusedWithWhatToSet() throws IOException {
        Path dir = cpuBuild();
        String m = refused(Device.gpu(), dir, 1).getMessage();
        assertContains(m, "device gpu:0", "CPU build from " + dir, "no " + CudaRuntime.CUDA_LIBRARY + " in it",
                "reports 1 GPU", "./dpo4j", "no pytorch-native-cpu jar", "-Dai.djl.offline=false",
                "PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION=", "PYTORCH_FLAVOR=cu128");
    }

    @Test
    void cudaBuildWithoutGpuIsRefused() throws IOException {
        Path dir = cudaBuild();
        String m = refused(Device.gpu(), dir, 0).getMessage();
        assertContains(m, "device gpu:0 needs a GPU", "CUDA build of libtorch loaded from " + dir, "sees none",
                "nvidia-smi", "CUDA_VISIBLE_DEVICES");
    }

    @Test
    void gpuIndexPastTheCountIsRefused() throws IOException {
        // Two GPUs are gpu:0 and gpu:1, so gpu:2 is one past the end.
        Path dir = cudaBuild();
        String m = refused(Device.gpu(2), dir, 2).getMessage();
        assertContains(m, "device gpu:2 does not exist", "sees 2 GPUs (gpu:0 to gpu:1)");
    }

    @Test
    void cudaBuildThatSeesTheGpuPasses() throws IOException {
        Path dir = cudaBuild();
        assertDoesNotThrow(() -> CudaRuntime.check(Device.gpu(), dir, 1));
        assertDoesNotThrow(() -> CudaRuntime.check(Device.gpu(1), dir, 2));
        assertTrue(CudaRuntime.isCudaBuild(dir));
        assertFalse(CudaRuntime.isCudaBuild(cpuBuild()));
    }

    @Test
    void engineThatDoesNotLoadIsExplained() {
        // What DJL throws when it must download libtorch but may not (no native jar, offline).
        EngineException djl = new EngineException("Failed to save pytorch index file",
                new IOException("Offline mode is enabled."));
        IllegalStateException e = CudaRuntime.engineFailed(Device.gpu(), djl);
        assertSame(djl, e.getCause());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertContains(e.getMessage(), "device gpu:0", "engine did not load",
                "Failed to save pytorch index file: IOException: Offline mode is enabled.", "ai.djl.offline=",
                "PYTORCH_LIBRARY_PATH", "-Dai.djl.offline=false", "no pytorch-native-cpu jar");
    }

    @Test
    void cpuDevicePasses() {
        assertDoesNotThrow(() -> CudaRuntime.require(Device.cpu()));
    }

    @Test
    void gpuOnTheTestsCpuBuildIsRefused() {
        // The tests' class path holds pytorch-native-cpu, so DJL loads its CPU build. On a machine
        // where PYTORCH_LIBRARY_PATH names a CUDA build this case does not arise: reported as a skip.
        Engine.getEngine("PyTorch");
        Path dir = Path.of(LibUtils.getLibtorchPath());
        assumeFalse(CudaRuntime.isCudaBuild(dir), "the loaded libtorch is a CUDA build: " + dir);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CudaRuntime.require(Device.gpu()));
        assertContains(e.getMessage(), "CPU build from " + dir);
    }
}
