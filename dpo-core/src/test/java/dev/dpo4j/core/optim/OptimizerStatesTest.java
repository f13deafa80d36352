package dev.dpo4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.safetensors.DType;
import dev.dpo4j.core.safetensors.SafetensorsException;
import dev.dpo4j.core.safetensors.SafetensorsWriter;
import dev.dpo4j.core.safetensors.WritableTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving, reading and resuming optimizer state: a resumed run equals an uninterrupted one. */
class OptimizerStatesTest {
    private static final String A = "base_model.model.layers.0.q_proj.lora_A.weight";
    private static final String B = "base_model.model.layers.0.q_proj.lora_B.weight";
    private static final LrScheduler SCHEDULE =
            LrScheduler.of(LrSchedulerType.COSINE, 1e-2, 1, 4);

    @TempDir
    Path dir;

    /** Initial LoRA-like parameters: A (2, 3) random-looking, B (3, 2) with one zero row. */
    private static Map<String, float[]> initial() {
        Map<String, float[]> p = new LinkedHashMap<>();
        p.put(A, new float[] {0.3f, -0.7f, 0.1f, 0.9f, -0.2f, 0.5f});
        p.put(B, new float[] {0f, 0f, 0.4f, -0.6f, 0.05f, 0.8f});
        return p;
    }

    private static Map<String, NDArray> toEngine(NDManager nd, Map<String, float[]> values) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put(A, nd.create(values.get(A).clone(), new Shape(2, 3)));
        out.put(B, nd.create(values.get(B).clone(), new Shape(3, 2)));
        return out;
    }

    private static Map<String, float[]> fromEngine(Map<String, NDArray> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    /**
     * Runs optimizer steps {@code from} (inclusive) to {@code to} (exclusive). The gradient of
     * step s depends on the parameters, as in training: g = sin(p·(s + 1)) + 0.1·s.
     */
    private static void run(Optimizer opt, Map<String, NDArray> params, int from, int to) {
        for (int s = from; s < to; s++) {
            Map<String, NDArray> grads = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                grads.put(e.getKey(), e.getValue().mul(s + 1).sin().add(0.1 * s));
            }
            GradClipping.clipGlobalNorm(grads, 1.0);
            opt.step(params, grads, SCHEDULE.lr(s));
            grads.values().forEach(NDArray::close);
        }
    }

    private void assertResumeEqualsUninterrupted(Supplier<Optimizer> factory) throws IOException {
        Map<String, float[]> uninterrupted;
        OptimizerState finalState;
        try (NDManager nd = NDManager.newBaseManager(); Optimizer opt = factory.get()) {
            Map<String, NDArray> params = toEngine(nd, initial());
            run(opt, params, 0, 4);
            uninterrupted = fromEngine(params);
            finalState = opt.state();
        }
        Path file = dir.resolve("optimizer.safetensors");
        Map<String, float[]> saved;
        try (NDManager nd = NDManager.newBaseManager(); Optimizer opt = factory.get()) {
            Map<String, NDArray> params = toEngine(nd, initial());
            run(opt, params, 0, 2);
            saved = fromEngine(params);
            OptimizerStates.write(file, opt.state());
        }
        try (NDManager nd = NDManager.newBaseManager(); Optimizer opt = factory.get()) {
            Map<String, NDArray> params = toEngine(nd, saved);
            opt.restore(OptimizerStates.read(file));
            run(opt, params, 2, 4);
            Map<String, float[]> resumed = fromEngine(params);
            // bit for bit: assertArrayEquals on float[] without a delta compares exactly
            assertArrayEquals(uninterrupted.get(A), resumed.get(A));
            assertArrayEquals(uninterrupted.get(B), resumed.get(B));
            assertEquals(finalState, opt.state());
        }
    }

    @Test
    void adamWResumesExactly() throws IOException {
        assertResumeEqualsUninterrupted(() -> AdamW.builder().optWeightDecay(0.01).build());
    }

    @Test
    void sgdWithMomentumResumesExactly() throws IOException {
        assertResumeEqualsUninterrupted(() -> Sgd.builder().optMomentum(0.9).build());
    }

    @Test
    void roundTripKeepsCountsBuffersAndShapes() throws IOException {
        try (NDManager nd = NDManager.newBaseManager(); AdamW adamw = AdamW.withDefaults()) {
            Map<String, NDArray> params = toEngine(nd, initial());
            run(adamw, params, 0, 2);
            // one parameter sits out a step, so per-parameter counts differ
            adamw.step(params, Map.of(A, nd.ones(new Shape(2, 3))), 1e-3);
            OptimizerState state = adamw.state();
            assertEquals(3, state.step());
            assertEquals(Map.of(A, 3L, B, 2L), state.paramSteps());
            Path file = dir.resolve("adamw.safetensors");
            OptimizerStates.write(file, state);
            OptimizerState read = OptimizerStates.read(file);
            assertEquals(state, read);
            assertArrayEquals(new long[] {3, 2}, read.shapes().get("exp_avg_sq/" + B));
        }
    }

    @Test
    void stateWithoutBuffersRoundTrips() throws IOException {
        try (NDManager nd = NDManager.newBaseManager(); Sgd sgd = Sgd.plain()) {
            Map<String, NDArray> params = toEngine(nd, initial());
            run(sgd, params, 0, 3);
            Path file = dir.resolve("sgd.safetensors");
            OptimizerStates.write(file, sgd.state());
            OptimizerState read = OptimizerStates.read(file);
            assertEquals(new OptimizerState("sgd", 3, Map.of(), Map.of(), Map.of()), read);
        }
    }

    @Test
    void refusesForeignFilesAndStates() throws IOException {
        Path model = dir.resolve("model.safetensors");
        SafetensorsWriter.write(model, Map.of("w", WritableTensor.of(DType.F32, new long[] {1},
                new float[] {1f})), SafetensorsWriter.PT_METADATA);
        SafetensorsException e = assertThrows(SafetensorsException.class,
                () -> OptimizerStates.read(model));
        assertTrue(e.getMessage().contains("not an optimizer state file"), e.getMessage());

        OptimizerState adamState = new OptimizerState("adamw", 1, Map.of("w", 1L),
                Map.of("exp_avg/w", new float[] {0f}, "exp_avg_sq/w", new float[] {0f}),
                Map.of("exp_avg/w", new long[] {1}, "exp_avg_sq/w", new long[] {1}));
        try (Sgd sgd = Sgd.builder().optMomentum(0.9).build()) {
            assertThrows(IllegalArgumentException.class, () -> sgd.restore(adamState));
        }
        try (AdamW adamw = AdamW.withDefaults(); NDManager nd = NDManager.newBaseManager()) {
            adamw.restore(adamState);
            NDArray wrongShape = nd.zeros(new Shape(2));
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                    () -> adamw.step(Map.of("w", wrongShape), Map.of("w", wrongShape), 0.1));
            assertTrue(shape.getMessage().contains("exp_avg/w"), shape.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new OptimizerState("adamw", 0,
                Map.of(), Map.of("exp_avg/w", new float[] {0f, 1f}),
                Map.of("exp_avg/w", new long[] {3})));
    }
}
