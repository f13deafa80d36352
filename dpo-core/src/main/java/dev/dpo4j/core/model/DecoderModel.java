package dev.dpo4j.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face causal decoder (Llama, Mistral, Qwen2, Gemma) running on DJL's PyTorch engine.
 *
 * <p>Letters: B batch, T new tokens, S keys (cached + new), H hidden, V vocab. {@link #forward} maps
 * token ids to the final-norm hidden states; {@link #logits} applies the LM head. Both are pure
 * functions of their inputs, so callers decide the mask and positions: left padding for generation,
 * right padding for scoring, a shared prompt for DPO.
 *
 * <p>All weights live under one {@link NDManager} owned by the model; closing the model frees them.
 */
public final class DecoderModel implements AutoCloseable {
    private final ModelConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final NDArray embedding; // (V, H)
    private final List<DecoderLayer> layers;
    private final RmsNorm finalNorm;
    private final NDArray lmHead; // (V, H), the embedding when tied
    private final RotaryEmbedding rope;

    private DecoderModel(ModelConfig config, NDManager manager, Map<String, NDArray> p) {
        this.config = config;
        this.manager = manager;
        this.parameters = Collections.unmodifiableMap(p);
        this.embedding = p.get(WeightNames.EMBED);
        this.lmHead = config.tieWordEmbeddings() ? embedding : p.get(WeightNames.LM_HEAD);
        this.finalNorm = new RmsNorm(p.get(WeightNames.FINAL_NORM), config.rmsNormEps(), config.normWeightPlusOne());
        this.rope = new RotaryEmbedding(config);
        List<DecoderLayer> list = new ArrayList<>();
        for (int i = 0; i < config.numLayers(); i++) {
            Attention attention = new Attention(linear(p, i, "self_attn.q_proj"), linear(p, i, "self_attn.k_proj"),
                    linear(p, i, "self_attn.v_proj"), linear(p, i, "self_attn.o_proj"), config);
            GatedMlp mlp = new GatedMlp(linear(p, i, "mlp.gate_proj"), linear(p, i, "mlp.up_proj"),
                    linear(p, i, "mlp.down_proj"), config.activation());
            list.add(new DecoderLayer(
                    new RmsNorm(p.get(WeightNames.layer(i, "input_layernorm.weight")), config.rmsNormEps(),
                            config.normWeightPlusOne()),
                    attention,
                    new RmsNorm(p.get(WeightNames.layer(i, "post_attention_layernorm.weight")), config.rmsNormEps(),
                            config.normWeightPlusOne()),
                    mlp));
        }
        this.layers = List.copyOf(list);
    }

    private static Linear linear(Map<String, NDArray> p, int layer, String module) {
        return new Linear(p.get(WeightNames.layer(layer, module + ".weight")),
                p.get(WeightNames.layer(layer, module + ".bias")));
    }

    /**
     * Loads a model directory ({@code config.json} + safetensors) onto the CPU.
     *
     * @param dir the model directory
     * @return the model
     */
    public static DecoderModel load(Path dir) {
        return load(dir, Device.cpu());
    }

    /**
     * Loads a model directory onto a device.
     *
     * @param dir the model directory
     * @param device CPU or GPU
     * @return the model
     * @throws ModelConfigException for a bad config
     * @throws ModelLoadException for a checkpoint that does not fit it
     */
    public static DecoderModel load(Path dir, Device device) {
        ModelConfig config = ModelConfig.load(dir);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            Map<String, NDArray> params = WeightLoader.load(dir, config, manager);
            return new DecoderModel(config, manager, params);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Builds a model from tensors already in memory (tests, random-weight benchmarks).
     *
     * @param config the config
     * @param manager owns the tensors; closed with the model
     * @param parameters HF tensor name → tensor, as {@link WeightNames#expected} lists
     * @return the model
     */
    public static DecoderModel of(ModelConfig config, NDManager manager, Map<String, NDArray> parameters) {
        for (String name : WeightNames.expected(config).keySet()) {
            if (!parameters.containsKey(name)) {
                throw new ModelLoadException("missing tensor " + name);
            }
        }
        return new DecoderModel(config, manager, parameters);
    }

    /** The architecture. */
    public ModelConfig config() {
        return config;
    }

    /** The manager owning the weights; per-call arrays should use a child or an {@code NDScope}. */
    public NDManager manager() {
        return manager;
    }

    /** Every weight by its Hugging Face name (read-only view). */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /** The rotary embedding (positions to cos/sin tables). */
    public RotaryEmbedding rope() {
        return rope;
    }

    /**
     * Runs the decoder.
     *
     * @param inputIds (B, T) int64 token ids
     * @param positions B·T position ids, row-major
     * @param mask (B, 1, 1, T, S) additive mask, see {@link AttentionMask}
     * @param cache KV cache holding S − T earlier tokens, or {@code null} (then S = T)
     * @return (B, T, H) hidden states after the final norm
     */
    public NDArray forward(NDArray inputIds, long[] positions, NDArray mask, KvCache cache) {
        int b = (int) inputIds.getShape().get(0);
        int t = (int) inputIds.getShape().get(1);
        NDArray x = embedding.get(inputIds.getManager(), new NDIndex("{}", inputIds.reshape(-1))) // (B·T, H)
                .reshape(b, t, config.hiddenSize());
        if (config.scaleEmbeddings()) {
            x = x.mul((float) Math.sqrt(config.hiddenSize()));
        }
        NDList cs = rope.tables(inputIds.getManager(), positions, b, t);
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(x, cs.get(0), cs.get(1), mask, cache, i);
        }
        if (cache != null) {
            cache.advance(t);
        }
        return finalNorm.forward(x);
    }

    /**
     * Applies the LM head.
     *
     * @param hidden (…, H)
     * @return (…, V) float32 logits
     */
    public NDArray logits(NDArray hidden) {
        return ai.djl.nn.core.Linear.linear(hidden, lmHead, null).singletonOrThrow();
    }

    @Override
    public void close() {
        manager.close();
    }
}
