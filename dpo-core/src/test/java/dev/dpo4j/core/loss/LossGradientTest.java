package dev.dpo4j.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.dpo4j.core.util.ScalarsTest;
import org.junit.jupiter.api.Test;

/** Gradients reach the policy log-probs through every loss, and match analytic and numeric derivatives. */
class LossGradientTest {

    private static final double[] PC = {-21.76, -21.42, -56.73, -44.40};
    private static final double[] PR = {-50.78, -50.56, -8.78, -8.45};
    private static final double[] RC = {-14.45, -20.81, -49.37, -38.32};
    private static final double[] RR = {-46.94, -53.54, -3.34, -10.26};
    private static final double[] CL = {40, 20, 48, 19};
    private static final double[] RL = {31, 40, 67, 72};

    private static float[] f32(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    @Test
    void sigmoidGradientOfFloat32PolicyMatchesTheAnalyticFormula() {
        // loss = (1/B) Σ −log σ(β z_i), z = (pc − rc) − (pr − rr)
        // ∂loss/∂pc_i = −β·σ(−β z_i)/B,   ∂loss/∂pr_i = +β·σ(−β z_i)/B
        double beta = 0.1;
        int b = PC.length;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray pc = m.create(f32(PC));
            NDArray pr = m.create(f32(PR));
            pc.setRequiresGradient(true);
            pr.setRequiresGradient(true);
            PreferenceLogps in = new PreferenceLogps(pc, pr, m.create(f32(RC)), m.create(f32(RR)),
                    m.create(f32(CL)), m.create(f32(RL)));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = new SigmoidLoss().loss(in, LossSettings.defaults());
                assertEquals(DataType.FLOAT64, loss.getDataType());
                gc.backward(loss);
            }
            float[] gChosen = pc.getGradient().toFloatArray();
            float[] gRejected = pr.getGradient().toFloatArray();
            for (int i = 0; i < b; i++) {
                // the inputs the engine saw are the float32-rounded values
                double z = ((float) PC[i] - (double) (float) RC[i]) - ((float) PR[i] - (double) (float) RR[i]);
                double s = 1 / (1 + Math.exp(beta * z)); // σ(−βz)
                assertEquals(-beta * s / b, gChosen[i], 1e-7, "d/d policyChosen " + i);
                assertEquals(beta * s / b, gRejected[i], 1e-7, "d/d policyRejected " + i);
            }
        }
    }

    @Test
    void sigmoidGradientAtPolicyEqualsReferenceIsMinusBetaOverTwoB() {
        // the first DPO step: policy = reference, z = 0, σ(0) = 1/2 → ∂loss/∂pc_i = −β/(2B)
        double beta = 0.5;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray pc = m.create(new double[] {-3, -7, -1});
            pc.setRequiresGradient(true);
            PreferenceLogps in = new PreferenceLogps(pc, m.create(new double[] {-2, -5, -9}),
                    m.create(new double[] {-3, -7, -1}), m.create(new double[] {-2, -5, -9}),
                    m.create(new double[] {3, 7, 1}), m.create(new double[] {2, 5, 9}));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = new SigmoidLoss().loss(in, LossSettings.defaults().withBeta(beta));
                assertEquals(Math.log(2), loss.toDoubleArray()[0], 1e-15);
                gc.backward(loss);
            }
            for (double g : pc.getGradient().toDoubleArray()) {
                assertEquals(-beta / 6, g, 1e-15);
            }
        }
    }

    @Test
    void everyLossGradientMatchesCentralDifferences() {
        // autograd ∂loss/∂pc_i and ∂loss/∂pr_i against (loss(x + h) − loss(x − h)) / 2h in float64, with
        // the direct memory churned before backward (float64 scalars once stayed in freed Java buffers)
        LossSettings s = new LossSettings(0.1, 0.1, 0.05);
        double h = 1e-5;
        for (LossType type : LossType.values()) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray pc = m.create(PC);
                NDArray pr = m.create(PR);
                pc.setRequiresGradient(true);
                pr.setRequiresGradient(true);
                PreferenceLoss loss = type.create();
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray value = loss.loss(new PreferenceLogps(pc, pr, m.create(RC), m.create(RR), m.create(CL),
                            m.create(RL)), s);
                    // a garbage collection between forward and backward must not change the gradient
                    ScalarsTest.churnDirectMemory();
                    gc.backward(value);
                }
                // a loss that ignores an input (sft: the rejected side) leaves it no gradient; DJL then
                // returns float32 zeros, hence the cast
                double[] gChosen = pc.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
                double[] gRejected = pr.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
                boolean anyNonZero = false;
                for (int i = 0; i < PC.length; i++) {
                    double numChosen = (value(m, loss, s, shift(PC, i, h), PR) - value(m, loss, s, shift(PC, i, -h), PR))
                            / (2 * h);
                    double numRejected = (value(m, loss, s, PC, shift(PR, i, h)) - value(m, loss, s, PC, shift(PR, i, -h)))
                            / (2 * h);
                    double tol = 1e-6 * Math.max(1, Math.abs(numChosen));
                    assertEquals(numChosen, gChosen[i], tol, type + " d/d policyChosen " + i);
                    assertEquals(numRejected, gRejected[i], 1e-6 * Math.max(1, Math.abs(numRejected)),
                            type + " d/d policyRejected " + i);
                    anyNonZero |= gChosen[i] != 0;
                }
                assertTrue(anyNonZero, type + ": the gradient reaches policyChosen");
            }
        }
    }

    private static double value(NDManager m, PreferenceLoss loss, LossSettings s, double[] pc, double[] pr) {
        return loss.loss(PreferenceLogps.of(m, pc, pr, RC, RR, CL, RL), s).toDoubleArray()[0];
    }

    private static double[] shift(double[] v, int i, double h) {
        double[] out = v.clone();
        out[i] += h;
        return out;
    }
}
