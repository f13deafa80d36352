package dev.dpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.dpo4j.core.util.Scalars;

/** Differentiable float64 building blocks shared by the losses (package-private). */
final class LossOps {

    private LossOps() {
    }

    /**
     * The array as float64, keeping it on the autograd graph.
     *
     * <p>DJL 0.35.1's {@code toType} is not recorded by PyTorch autograd (its result has no grad_fn,
     * so backward through it fails or yields no gradient). Adding a float64 zero of shape (1) casts by
     * type promotion instead, which autograd records: the gradient reaches a float32 input as float32.
     *
     * @param x any floating array
     * @return x itself when already float64, else x + 0 in float64
     */
    static NDArray f64(NDArray x) {
        if (x.getDataType() == DataType.FLOAT64) {
            return x;
        }
        return x.add(x.getManager().zeros(new Shape(1), DataType.FLOAT64)); // (B) float64
    }

    /**
     * Numerically stable log σ(x) = x/2 − |x|/2 − log(1 + exp(−|x|)).
     *
     * <p>Written with |x| halves rather than min(x, 0) so that the autograd derivative at x = 0 is
     * exactly σ(0) = 1/2 (torch's d|x|/dx is 0 there): DPO's first step, with the policy equal to the
     * reference, has x = 0 in every pair.
     *
     * @param x float64 array
     * @return log σ(x), same shape
     */
    static NDArray logSigmoid(NDArray x) {
        NDArray abs = x.abs();
        return Scalars.mul(x.sub(abs), 0.5).sub(abs.neg().exp().add(1.0).log());
    }

    /**
     * The logistic function σ(x) = 1 / (1 + exp(−x)) (the engine's sigmoid, differentiable).
     *
     * @param x float64 array
     * @return σ(x), same shape
     */
    static NDArray sigmoid(NDArray x) {
        return Activation.sigmoid(x);
    }

    /**
     * Completion lengths as float64, clamped to at least 1 token as TRL does.
     *
     * @param lengths (B) token counts
     * @return (B) float64 lengths ≥ 1
     */
    static NDArray lengths(NDArray lengths) {
        return Scalars.maximum(f64(lengths), 1.0);
    }
}
