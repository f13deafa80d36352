package dev.dpo4j.core.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Path;

/**
 * Run in a fresh JVM by {@link Tf32TimingTest}: loads the engine, calls {@link Tf32#configure}
 * before the first {@code NDManager} or after the first tensor operation, and prints what libtorch
 * decided,
 * {@code at::globalContext().allowTF32CuBLAS()} (called through JNA by its Itanium-mangled name).
 * Exit status 3 when this libtorch does not export those functions.
 */
public final class Tf32Probe {
    private Tf32Probe() {
    }

    /**
     * Entry point.
     *
     * @param args {@code before-op} or {@code after-op}
     */
    public static void main(String[] args) {
        Tf32.set(null);
        Engine.getEngine("PyTorch");
        if (args[0].equals("before-op")) {
            Tf32.configure(true);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.ones(new Shape(2, 2)).matMul(manager.ones(new Shape(2, 2))); // creates ATen's context
        }
        if (args[0].equals("after-op")) {
            Tf32.configure(true);
        }
        Path cpu = Path.of(LibUtils.getLibtorchPath()).resolve(System.mapLibraryName("torch_cpu"));
        boolean allowed;
        try {
            NativeLibrary torch = NativeLibrary.getInstance(cpu.toString());
            Pointer context = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
            allowed = (Boolean) torch.getFunction("_ZNK2at7Context15allowTF32CuBLASEv")
                    .invoke(Boolean.class, new Object[] {context});
        } catch (UnsatisfiedLinkError e) {
            System.out.println("no symbol: " + e.getMessage());
            System.exit(3);
            return;
        }
        System.out.println("allowTF32CuBLAS=" + allowed + " enabled=" + Tf32.enabled());
    }
}
