package dev.dpo4j.examples.cli;

import ai.djl.Device;
import dev.dpo4j.core.CausalLm;
import dev.dpo4j.core.engine.Tf32;
import java.io.PrintWriter;

/**
 * Loads a command's local model as its precision settings say: resolves dtype and quantization against
 * the device, applies the TF32 choice before the engine runs a matmul, and reports once on stderr what
 * was not done literally (bfloat16 run as float16, a tensor kept in float32). The benchmarks prepare their
 * models through it too.
 */
public final class ModelLoading {
    private ModelLoading() {
    }

    /**
     * Resolves the settings and applies TF32, printing the notes.
     *
     * @param device where the model runs
     * @param settings the precision settings
     * @param err where notes go
     * @return the resolved settings
     */
    public static PrecisionSettings.Resolved prepare(Device device, PrecisionSettings settings, PrintWriter err) {
        PrecisionSettings.Resolved resolved = settings.resolve(device);
        Tf32.configure(settings.tf32());
        resolved.notes().forEach(n -> err.println("note: " + n));
        err.flush();
        return resolved;
    }

    /**
     * Loads a model.
     *
     * @param model a directory or Hub id
     * @param device where it runs
     * @param settings precision and quantization
     * @param err where notes go
     * @return the model
     */
    static CausalLm load(String model, Device device, PrecisionSettings settings, PrintWriter err) {
        PrecisionSettings.Resolved resolved = prepare(device, settings, err);
        CausalLm lm = CausalLm.load(model, device, resolved.options());
        lm.model().notes().forEach(n -> err.println("note: " + n));
        err.flush();
        return lm;
    }
}
