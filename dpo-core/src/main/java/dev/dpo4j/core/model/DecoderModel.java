package dev.dpo4j.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.dpo4j.core.util.Scalars;

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
    private final Map<String, Linear> linears; // module path -> projection, in layer order

    private DecoderModel(ModelConfig config, NDManager manager, Map<String, NDArray> p) {
        this.config = config;
        this.manager = manager;
        this.parameters = Collections.unmodifiableMap(p);
        this.embedding = p.get(WeightNames.EMBED);
        this.lmHead = config.tieWordEmbeddings() ? embedding : p.get(WeightNames.LM_HEAD);
        this.finalNorm = new RmsNorm(p.get(WeightNames.FINAL_NORM), config.rmsNormEps(), config.normWeightPlusOne());
        this.rope = new RotaryEmbedding(config);
        List<DecoderLayer> list = new ArrayList<>();
        Map<String, Linear> byPath = new LinkedHashMap<>();
        for (int i = 0; i < config.numLayers(); i++) {
            Map<String, Linear> own = new LinkedHashMap<>();
            for (String module : WeightNames.PROJECTIONS) {
                Linear linear = linear(p, i, module);
                own.put(module, linear);
                byPath.put(WeightNames.layer(i, module), linear);
            }
            Attention attention = new Attention(own.get("self_attn.q_proj"), own.get("self_attn.k_proj"),
                    own.get("self_attn.v_proj"), own.get("self_attn.o_proj"), config);
            GatedMlp mlp = new GatedMlp(own.get("mlp.gate_proj"), own.get("mlp.up_proj"),
                    own.get("mlp.down_proj"), config.activation());
            list.add(new DecoderLayer(
                    new RmsNorm(p.get(WeightNames.layer(i, "input_layernorm.weight")), config.rmsNormEps(),
                            config.normWeightPlusOne()),
                    attention,
                    new RmsNorm(p.get(WeightNames.layer(i, "post_attention_layernorm.weight")), config.rmsNormEps(),
                            config.normWeightPlusOne()),
                    mlp));
        }
        this.layers = List.copyOf(list);
        this.linears = Collections.unmodifiableMap(byPath);
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

    /**
     * Every linear projection of the decoder layers by module path
     * ({@code model.layers.0.self_attn.q_proj}), in layer order; the LM head is not among them.
     * Adapters attach here.
     */
    public Map<String, Linear> linears() {
        return linears;
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
        NDArray x = embed(inputIds);
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
     * Looks up (and for Gemma scales) the token embeddings: the input of layer 0.
     *
     * @param inputIds (B, T) int64
     * @return (B, T, H)
     */
    public NDArray embed(NDArray inputIds) {
        int b = (int) inputIds.getShape().get(0);
        int t = (int) inputIds.getShape().get(1);
        NDArray x = embedding.get(inputIds.getManager(), new NDIndex("{}", inputIds.reshape(-1))) // (B·T, H)
                .reshape(b, t, config.hiddenSize());
        if (config.scaleEmbeddings()) {
            x = Scalars.mul(x, Math.sqrt(config.hiddenSize()));
        }
        return x;
    }

    /**
     * Runs one decoder layer without a cache: the unit that activation checkpointing recomputes.
     *
     * @param index the layer
     * @param x (B, T, H) the layer's input
     * @param cos (B, T, 1, D) from {@link RotaryEmbedding#tables}
     * @param sin (B, T, 1, D)
     * @param mask (B, 1, 1, T, T) additive
     * @return (B, T, H)
     */
    public NDArray layerForward(int index, NDArray x, NDArray cos, NDArray sin, NDArray mask) {
        return layers.get(index).forward(x, cos, sin, mask, null, index);
    }

    /**
     * Applies the final norm to the last layer's output.
     *
     * @param x (…, H)
     * @return (…, H)
     */
    public NDArray finalNorm(NDArray x) {
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
