package dev.dpo4j.core.model;

/**
 * The {@code rope_scaling} block of a Hugging Face config.
 *
 * <p>Supported types follow {@code transformers.modeling_rope_utils}: {@code linear} (position
 * interpolation: every inverse frequency divided by {@code factor}) and {@code llama3} (Llama 3.1's
 * wavelength-dependent scaling with a smooth band between {@code high_freq_factor} and
 * {@code low_freq_factor}). {@code default} means no scaling.
 *
 * @param type {@code default}, {@code linear} or {@code llama3}
 * @param factor the scaling factor (1 = none)
 * @param lowFreqFactor llama3 only: wavelengths longer than {@code original/low} are fully scaled
 * @param highFreqFactor llama3 only: wavelengths shorter than {@code original/high} are kept
 * @param originalMaxPositionEmbeddings llama3 only: the pre-extension context length
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                          double originalMaxPositionEmbeddings) {

    /** No scaling. */
    public static final RopeScaling NONE = new RopeScaling("default", 1.0, 1.0, 4.0, 8192);

    /**
     * Applies the scaling to unscaled inverse frequencies, in float32 as transformers does.
     *
     * @param invFreq {@code 1 / theta^(2i/d)} for i in [0, d/2)
     * @return the scaled inverse frequencies (a new array)
     */
    public float[] apply(float[] invFreq) {
        float[] out = invFreq.clone();
        switch (type) {
            case "default" -> {
                return out;
            }
            case "linear" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) (out[i] / factor);
                }
                return out;
            }
            case "llama3" -> {
                double lowWavelen = originalMaxPositionEmbeddings / lowFreqFactor;
                double highWavelen = originalMaxPositionEmbeddings / highFreqFactor;
                for (int i = 0; i < out.length; i++) {
                    float f = invFreq[i];
                    float wavelen = (float) (2 * Math.PI / f);
                    // Long wavelengths are interpolated by the factor, short ones kept.
                    float scaled = wavelen > lowWavelen ? (float) (f / factor) : f;
                    boolean medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
                    if (medium) {
                        // Smoothly blend between interpolated and original frequency.
                        float smooth = (float) ((originalMaxPositionEmbeddings / wavelen - lowFreqFactor)
                                / (highFreqFactor - lowFreqFactor));
                        scaled = (float) ((1 - smooth) * scaled / factor + smooth * scaled);
                    }
                    out[i] = scaled;
                }
                return out;
            }
            default -> throw new IllegalStateException("unsupported rope_scaling type " + type);
        }
    }
}
