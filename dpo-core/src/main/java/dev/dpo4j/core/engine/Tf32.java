package dev.dpo4j.core.engine;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * TF32 for float32 matrix products on CUDA, switched through libtorch's environment variable
 * {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE}.
 *
 * <p>On Ampere and later GPUs, TF32 runs float32 matmuls on tensor cores with a 10-bit mantissa in
 * the multiply and float32 accumulation: on the workplace H200 it made a dpo4j DPO + LoRA step 2.0×
 * faster (0.486 → 0.246 s, docs/gpu.md). PyTorch leaves it off by default
 * ({@code torch.backends.cuda.matmul.allow_tf32 = False}); DJL exposes no setter for it. CPU
 * computation ignores it.
 *
 * <p><b>Why an environment variable set from Java works, and when.</b> libtorch reads
 * {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE} once, with {@code c10::utils::check_env}, when ATen's
 * global context ({@code at::globalContext()}, a function-local static) is first created: it is the
 * initializer of the context's {@code float32_matmul_precision} field ({@code HIGH}, i.e. TF32, for
 * "1"), which {@code allowTF32CuBLAS()} returns (PyTorch PR #85859, 2023, made it
 * initialization-only; PR #77114, 2022, had read it through a {@code static bool} in
 * {@code Context.cpp}'s {@code allowTF32CuBLAS()}, which also read it once, at the first float32
 * CUDA matmul). The variable is read with the C library's {@code getenv}, so setting it in this
 * process with {@code setenv} (Windows: {@code _putenv_s}) before that moment has the same effect as
 * exporting it before the JVM starts; Java's {@link System#getenv} is a copy taken at JVM start and
 * can neither set nor see it. Measured with libtorch 2.7.1 (DJL's CPU build): loading the engine
 * does not create the context; creating the first {@code NDManager} (every model load does) does,
 * and so do a tensor operation and asking the engine for a capability ({@code Engine.hasCapability},
 * {@code Engine.getGpuCount}). A value set after that is ignored for the rest of the process.
 *
 * <p><b>How to turn TF32 on.</b> Call {@code Tf32.configure(true)} early in {@code main}, before any
 * model is loaded or engine capability queried ({@link CudaRuntime#require} asks libtorch's c10 layer
 * for the GPU count, not the engine, so it may come before or after), or export
 * {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1} before starting the JVM. The {@code ./dpo4j} launcher
 * exports it as 1 unless it is already set, and the CLI's {@code --tf32 false} turns it off.
 *
 * <p>Not thread-safe with respect to other native code reading the environment at the same time
 * ({@code setenv} never is): call it at start-up.
 */
public final class Tf32 {
    /** libtorch's switch: "1" turns TF32 on for float32 CUDA matmuls, "0" (or unset) leaves it off. */
    public static final String VARIABLE = "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE";

    private Tf32() {
    }

    /**
     * Sets {@value #VARIABLE} in the running process, or leaves it as it is.
     *
     * @param requested true for "1", false for "0", null to keep the current value (the launcher's
     *     default, a value exported by the user, or none)
     */
    public static synchronized void configure(Boolean requested) {
        if (requested != null) {
            set(requested ? "1" : "0");
        }
    }

    /**
     * Whether libtorch would switch TF32 on if it read the variable now: its value in the process
     * (read with the C library's {@code getenv}, so a value set by {@link #configure} shows) is "1".
     *
     * @return true when TF32 is requested
     */
    public static synchronized boolean enabled() {
        return "1".equals(value());
    }

    /**
     * The variable's current value in the process.
     *
     * @return the value, or null when unset
     */
    static synchronized String value() {
        return (String) libc().getFunction("getenv").invoke(String.class, new Object[] {VARIABLE});
    }

    /**
     * Sets the variable, or removes it for null (tests restore what they found with this).
     *
     * @param value the value, or null to unset
     */
    static synchronized void set(String value) {
        int status;
        if (Platform.isWindows()) {
            // "_putenv_s(name, \"\")" removes the variable.
            status = libc().getFunction("_putenv_s").invokeInt(new Object[] {VARIABLE, value == null ? "" : value});
        } else if (value == null) {
            status = libc().getFunction("unsetenv").invokeInt(new Object[] {VARIABLE});
        } else {
            status = libc().getFunction("setenv").invokeInt(new Object[] {VARIABLE, value, 1});
        }
        if (status != 0) {
            throw new IllegalStateException("could not set " + VARIABLE + "=" + value + " in this process (status "
                    + status + "); export it before starting the JVM instead");
        }
    }

    /**
     * The C runtime libtorch reads its environment from: glibc/libSystem's {@code c}; on Windows the
     * universal CRT ({@code ucrtbase}, which libtorch and the JVM link), whose environment copy
     * {@code msvcrt.dll} would not update.
     */
    private static NativeLibrary libc() {
        return NativeLibrary.getInstance(Platform.isWindows() ? "ucrtbase" : Platform.C_LIBRARY_NAME);
    }
}
