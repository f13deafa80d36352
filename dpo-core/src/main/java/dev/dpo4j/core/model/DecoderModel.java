package dev.dpo4j.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.dpo4j.core.quant.QuantizedWeight;
import dev.dpo4j.core.util.Casts;
import dev.dpo4j.core.util.Scalars;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 * <p>Precision ({@link LoadOptions}): weights and activations are float32, or float16 with float32
 * where precision needs it (RMSNorm, the RoPE tables before they are cast, the LM head's output, which
 * {@link #logits} returns as float32 for the log-softmax). A quantized base holds every layer projection
 * packed ({@link QuantizedWeight}) and dequantizes it just before its matmul.
 *
 * <p>All weights live under one {@link NDManager} owned by the model; closing the model frees them.
 */
public final class DecoderModel implements AutoCloseable {
    private final ModelConfig config;
    private final LoadOptions options;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final Map<String, QuantizedWeight> quantized;
    private final List<String> notes;
    private final NDArray embedding; // (V, H)
    private final List<DecoderLayer> layers;
    private final RmsNorm finalNorm;
    private final NDArray lmHead; // (V, H), the embedding when tied
    private final RotaryEmbedding rope;
    private final Map<String, Linear> linears; // module path -> projection, in layer order

    private DecoderModel(ModelConfig config, LoadOptions options, NDManager manager, Map<String, NDArray> p,
                         Map<String, QuantizedWeight> q, List<String> notes) {
        this.config = config;
        this.options = options;
        this.manager = manager;
        this.parameters = Collections.unmodifiableMap(p);
        this.quantized = Collections.unmodifiableMap(q);
        this.notes = List.copyOf(notes);
        this.embedding = p.get(WeightNames.EMBED);
        this.lmHead = config.tieWordEmbeddings() ? embedding : p.get(WeightNames.LM_HEAD);
        this.finalNorm = new RmsNorm(p.get(WeightNames.FINAL_NORM), config.rmsNormEps(), config.normWeightPlusOne());
        this.rope = new RotaryEmbedding(config);
        List<DecoderLayer> list = new ArrayList<>();
        Map<String, Linear> byPath = new LinkedHashMap<>();
        for (int i = 0; i < config.numLayers(); i++) {
            Map<String, Linear> own = new LinkedHashMap<>();
            for (String module : WeightNames.PROJECTIONS) {
                Linear linear = linear(p, q, i, module);
                own.put(module, linear);
                byPath.put(WeightNames.layer(i, module), linear);
            }
            Attention attention = new Attention(own.get("self_attn.q_proj"), own.get("self_attn.k_proj"),
                    own.get("self_attn.v_proj"), own.get("self_attn.o_proj"), config, manager);
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

    private Linear linear(Map<String, NDArray> p, Map<String, QuantizedWeight> q, int layer, String module) {
        String weight = WeightNames.layer(layer, module + ".weight");
        NDArray bias = p.get(WeightNames.layer(layer, module + ".bias"));
        QuantizedWeight packed = q.get(weight);
        if (packed != null) {
            return new Linear(packed, bias, options.quantizedComputeDtype().dataType());
        }
        return new Linear(p.get(weight), bias);
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
        return load(dir, device, LoadOptions.FLOAT32);
    }

    /**
     * Loads a model directory onto a device with a precision and, optionally, a quantized base.
     *
     * @param dir the model directory
     * @param device CPU or GPU
     * @param options dtype and quantization
     * @return the model; {@link #notes()} says what was not loaded literally (tensors kept in float32)
     * @throws ModelConfigException for a bad config
     * @throws ModelLoadException for a checkpoint that does not fit it
     */
    public static DecoderModel load(Path dir, Device device, LoadOptions options) {
        ModelConfig config = ModelConfig.load(dir);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            WeightLoader.Loaded w = WeightLoader.load(dir, config, options, manager);
            return new DecoderModel(config, options, manager, w.dense(), w.quantized(), w.notes());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Builds a model whose weight values come from a {@link WeightSource} (random-weight benchmarks,
     * tests), placed as {@code options} say, tensor by tensor, as a checkpoint would be.
     *
     * @param config the architecture
     * @param device CPU or GPU
     * @param options dtype and quantization
     * @param source the values of every tensor {@link WeightNames#expected} lists
     * @return the model
     */
    public static DecoderModel build(ModelConfig config, Device device, LoadOptions options, WeightSource source) {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            WeightLoader.Loaded w = WeightLoader.place(config, options, manager, source, config.modelType().hfName()
                    + " model");
            return new DecoderModel(config, options, manager, w.dense(), w.quantized(), w.notes());
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException(e);
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
        Precision precision = Precision.of(parameters.get(WeightNames.EMBED).getDataType());
        return new DecoderModel(config, LoadOptions.of(precision), manager, parameters, Map.of(), List.of());
    }

    /** The architecture. */
    public ModelConfig config() {
        return config;
    }

    /** How the weights are held: dtype and quantization. */
    public LoadOptions options() {
        return options;
    }

    /** The activations' type: FLOAT32 or FLOAT16. */
    public DataType dtype() {
        return options.dtype().dataType();
    }

    /** The projection weights held quantized, by Hugging Face name (empty without quantization). */
    public Map<String, QuantizedWeight> quantizedWeights() {
        return quantized;
    }

    /** What loading did not do literally, one sentence each (e.g. a tensor kept in float32). */
    public List<String> notes() {
        return notes;
    }

    /** The manager owning the weights; per-call arrays should use a child or an {@code NDScope}. */
    public NDManager manager() {
        return manager;
    }

    /**
     * Every dense weight by its Hugging Face name (read-only view); quantized projection weights are in
     * {@link #quantizedWeights()} instead.
     */
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
     * @param mask (B, 1, 1, T, S) additive mask, see {@link AttentionMask} (float32; cast here)
     * @param cache KV cache holding S − T earlier tokens, or {@code null} (then S = T)
     * @return (B, T, H) hidden states after the final norm, in {@link #dtype()}
     */
    public NDArray forward(NDArray inputIds, long[] positions, NDArray mask, KvCache cache) {
        int b = (int) inputIds.getShape().get(0);
        int t = (int) inputIds.getShape().get(1);
        NDArray x = embed(inputIds);
        NDList cs = rope.tables(inputIds.getManager(), positions, b, t, dtype());
        NDArray m = AttentionMask.cast(mask, dtype());
        for (int i = 0; i < layers.size(); i++) {
            // Each layer's intermediates (scores, MLP activations, dequantized weights) are freed as soon as
            // it is done, so a long forward holds one layer's worth, not L layers'; autograd, when recording,
            // keeps by reference what backward needs.
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray y = layers.get(i).forward(x, cs.get(0), cs.get(1), m, cache, i);
                NDScope.unregister(y);
                x.close();
                x = y;
            }
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
     * @return (B, T, H) in {@link #dtype()}
     */
    public NDArray embed(NDArray inputIds) {
        int b = (int) inputIds.getShape().get(0);
        int t = (int) inputIds.getShape().get(1);
        NDArray x = embedding.get(inputIds.getManager(), new NDIndex("{}", inputIds.reshape(-1))) // (B·T, H)
                .reshape(b, t, config.hiddenSize());
        if (x.getDataType() != dtype()) {
            x = x.toType(dtype(), false); // an embedding kept in float32 (values beyond float16's range)
        }
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
     * @param cos (B, T, 1, D) from {@link RotaryEmbedding#tables}, in {@link #dtype()}
     * @param sin (B, T, 1, D)
     * @param mask (B, 1, 1, T, T) additive, in {@link #dtype()} ({@link AttentionMask#cast})
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
     * Applies the LM head in the model's dtype and returns float32 logits, as transformers' causal-LM
     * losses upcast them ({@code logits.float()}) before the log-softmax.
     *
     * @param hidden (…, H)
     * @return (…, V) float32 logits
     */
    public NDArray logits(NDArray hidden) {
        NDArray h = Casts.to(hidden, lmHead.getDataType());
        NDArray logits = ai.djl.nn.core.Linear.linear(h, lmHead, null).singletonOrThrow();
        return Casts.to(logits, DataType.FLOAT32);
    }

    @Override
    public void close() {
        manager.close();
    }
}
