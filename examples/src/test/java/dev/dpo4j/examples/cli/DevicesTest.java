package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link Devices#parse}: names, and the CUDA check for a GPU. */
class DevicesTest {

    @Test
    void cpuAndBadNames() {
        assertEquals(Device.cpu(), Devices.parse("cpu"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.parse("gpu-1"));
        assertEquals("--device: expected cpu, gpu or gpu:N, got 'gpu-1'", e.getMessage());
    }

    @Test
    void gpuOnACpuBuildSaysWhatToSet() {
        // The tests run on DJL's CPU build (pytorch-native-cpu on the test class path); a machine whose
        // PYTORCH_LIBRARY_PATH names a CUDA build reports this as a skip.
        Engine.getEngine("PyTorch");
        Path dir = Path.of(LibUtils.getLibtorchPath());
        assumeFalse(Files.exists(dir.resolve(System.mapLibraryName("torch_cuda"))), "CUDA build loaded: " + dir);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Devices.parse("gpu:0"));
        assertTrue(e.getMessage().startsWith("device gpu:0 needs a CUDA build of libtorch, but DJL loaded a CPU build"),
                e.getMessage());
    }
}
