package dev.dpo4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.dpo4j.core.util.Scalars;

/** The gate activation of the gated MLP ({@code hidden_act} / {@code hidden_activation}). */
public enum HiddenActivation {
    /** {@code silu}: x·σ(x). Llama, Mistral, Qwen2. */
    SILU,
    /** {@code gelu_pytorch_tanh}: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). Gemma. */
    GELU_TANH,
    /** {@code gelu}: exact 0.5·x·(1 + erf(x/√2)). */
    GELU;

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);
    private static final float INV_SQRT_2 = (float) (1.0 / Math.sqrt(2.0));

    /**
     * Parses a Hugging Face activation name.
     *
     * @param name the config value
     * @return the activation, or {@code null} when unsupported
     */
    public static HiddenActivation fromHfName(String name) {
        return switch (name) {
            case "silu", "swish" -> SILU;
            case "gelu_pytorch_tanh", "gelu_new", "gelu_fast" -> GELU_TANH;
            case "gelu" -> GELU;
            default -> null;
        };
    }

    /**
     * Applies the activation element-wise.
     *
     * @param x any shape
     * @return same shape
     */
    public NDArray apply(NDArray x) {
        return switch (this) {
            case SILU -> x.mul(Activation.sigmoid(x));
            case GELU_TANH -> {
                NDArray inner = Scalars.mul(Scalars.mul(x.mul(x).mul(x), 0.044715f).add(x), SQRT_2_OVER_PI);
                yield Scalars.mul(inner.tanh().add(1f).mul(x), 0.5f);
            }
            case GELU -> Scalars.mul(Scalars.mul(x, INV_SQRT_2).erf().add(1f).mul(x), 0.5f);
        };
    }
}
