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
 * A Hugging Face causal decoder (Llama, Mistral, Qwen2, Qwen3, Gemma 1/2/3 text, Phi-3) running on DJL's
 * PyTorch engine.
 *
 * <p>Letters: B batch, T new tokens, S keys (cached + new), H hidden, V vocab. {@link #forward} maps
 * token ids to the final-norm hidden states; {@link #logits} applies the LM head. Both are pure
 * functions of their inputs, so callers decide the mask and positions: left padding for generation,
 * right padding for scoring, a shared prompt for DPO. Layers may differ (Gemma 2/3's local and global
 * layers): the caller supplies the mask of a window ({@link AttentionMask.Source}) and the model builds
 * each layer's tables and mask ({@link #context}).
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
    private final RotaryEmbedding[] ropes; // per layer; layers of one type share an instance
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
        this.finalNorm = norm(p, WeightNames.FINAL_NORM);
        RotaryEmbedding full = new RotaryEmbedding(config.rope(), config.headDim(), config.maxPositionEmbeddings());
        RotaryEmbedding local = config.localRope().equals(config.rope()) ? full
                : new RotaryEmbedding(config.localRope(), config.headDim(), config.maxPositionEmbeddings());
        this.ropes = new RotaryEmbedding[config.numLayers()];
        ModelType type = config.modelType();
        List<DecoderLayer> list = new ArrayList<>();
        Map<String, Linear> byPath = new LinkedHashMap<>();
        for (int i = 0; i < config.numLayers(); i++) {
            ropes[i] = config.layerTypes().get(i) == ModelConfig.LayerType.SLIDING ? local : full;
            Map<String, Linear> own = new LinkedHashMap<>();
            for (String module : WeightNames.projections(config)) {
                Linear linear = linear(p, q, i, module);
                own.put(module, linear);
                byPath.put(WeightNames.layer(i, module), linear);
            }
            Attention.Projections projections = new Attention.Projections(own.get("self_attn.q_proj"),
                    own.get("self_attn.k_proj"), own.get("self_attn.v_proj"), own.get("self_attn.qkv_proj"),
                    own.get("self_attn.o_proj"));
            Attention attention = new Attention(projections,
                    type.qkNorm() ? norm(p, WeightNames.layer(i, "self_attn.q_norm.weight")) : null,
                    type.qkNorm() ? norm(p, WeightNames.layer(i, "self_attn.k_norm.weight")) : null, config, manager);
            GatedMlp mlp = type.fusedProjections()
                    ? new GatedMlp(own.get("mlp.gate_up_proj"), own.get("mlp.down_proj"), config.activation())
                    : new GatedMlp(own.get("mlp.gate_proj"), own.get("mlp.up_proj"), own.get("mlp.down_proj"),
                            config.activation());
            list.add(new DecoderLayer(
                    norm(p, WeightNames.layer(i, "input_layernorm.weight")),
                    attention,
                    norm(p, WeightNames.layer(i, "post_attention_layernorm.weight")),
                    type.sandwichNorms() ? norm(p, WeightNames.layer(i, "pre_feedforward_layernorm.weight")) : null,
                    type.sandwichNorms() ? norm(p, WeightNames.layer(i, "post_feedforward_layernorm.weight")) : null,
                    mlp));
        }
        this.layers = List.copyOf(list);
        this.linears = Collections.unmodifiableMap(byPath);
    }

    private RmsNorm norm(Map<String, NDArray> p, String name) {
        return new RmsNorm(p.get(name), config.rmsNormEps(), config.normWeightPlusOne());
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

    /**
     * The rotary embedding of a layer (positions to cos/sin tables); Gemma 3's local and global layers
     * have different ones.
     *
     * @param layer the layer index
     * @return its embedding
     */
    public RotaryEmbedding rope(int layer) {
        return ropes[layer];
    }

    /**
     * Which rotary tables a KV cache filled for sequences of this length holds: when the next call's
     * regime differs, the cache must be refilled. Only LongRoPE switches (short to long factors past
     * {@code original_max_position_embeddings}), and transformers' Phi-3 recomputes its cache there;
     * dynamic NTK keeps keys computed with earlier frequencies, as transformers does, so it never asks.
     *
     * @param length the sequence length (largest position plus one)
     * @return equal values for lengths whose cached keys agree
     */
    public long cacheRegime(long length) {
        long regime = 0;
        for (RotaryEmbedding r : ropes) {
            if (r.parameters().type().equals("longrope")) {
                regime = regime * 2 + r.regime(length);
            }
        }
        return regime;
    }

    /**
     * Builds every layer's rotary tables and mask for one pass, each distinct one once.
     *
     * @param manager owns the arrays
     * @param positions B·T position ids, row-major
     * @param batch B
     * @param tokens T
     * @param masks the pass's mask for a given sliding window (0 = none), float32; see {@link AttentionMask}
     * @return the per-layer inputs, in {@link #dtype()}
     */
    public LayerContext context(NDManager manager, long[] positions, int batch, int tokens,
                                AttentionMask.Source masks) {
        return LayerContext.build(config, ropes, manager, positions, batch, tokens, masks, dtype());
    }

    /**
     * Runs the decoder with one mask for every layer: for models whose layers all attend alike (no
     * per-layer sliding window); the others need {@link #forward(NDArray, long[], AttentionMask.Source, KvCache)}.
     *
     * @param inputIds (B, T) int64 token ids
     * @param positions B·T position ids, row-major
     * @param mask (B, 1, 1, T, S) additive mask, see {@link AttentionMask} (float32; cast here)
     * @param cache KV cache holding S − T earlier tokens, or {@code null} (then S = T)
     * @return (B, T, H) hidden states after the final norm, in {@link #dtype()}
     * @throws IllegalArgumentException when the layers differ in window or RoPE
     */
    public NDArray forward(NDArray inputIds, long[] positions, NDArray mask, KvCache cache) {
        if (config.layersDiffer()) {
            throw new IllegalArgumentException(config.modelType().hfName() + " layers differ in sliding window or"
                    + " RoPE (" + config.layerTypes().stream().map(ModelConfig.LayerType::hfName).distinct().toList()
                    + "); pass a mask per window (AttentionMask.Source)");
        }
        return forward(inputIds, positions, window -> mask, cache);
    }

    /**
     * Runs the decoder.
     *
     * @param inputIds (B, T) int64 token ids
     * @param positions B·T position ids, row-major
     * @param masks the (B, 1, 1, T, S) additive mask for a sliding window (0 for none), float32; asked
     *     once per distinct window of the layers
     * @param cache KV cache holding S − T earlier tokens, or {@code null} (then S = T)
     * @return (B, T, H) hidden states after the final norm, in {@link #dtype()}
     */
    public NDArray forward(NDArray inputIds, long[] positions, AttentionMask.Source masks, KvCache cache) {
        int b = (int) inputIds.getShape().get(0);
        int t = (int) inputIds.getShape().get(1);
        NDArray x = embed(inputIds);
        LayerContext context = context(inputIds.getManager(), positions, b, t, masks);
        for (int i = 0; i < layers.size(); i++) {
            // Each layer's intermediates (scores, MLP activations, dequantized weights) are freed as soon as
            // it is done, so a long forward holds one layer's worth, not L layers'; autograd, when recording,
            // keeps by reference what backward needs.
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray y = layers.get(i).forward(x, context.cos(i), context.sin(i), context.mask(i), cache, i);
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
     * @param context the pass's tables and masks ({@link #context})
     * @return (B, T, H)
     */
    public NDArray layerForward(int index, NDArray x, LayerContext context) {
        return layers.get(index).forward(x, context.cos(index), context.sin(index), context.mask(index), null, index);
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
     * losses upcast them ({@code logits.float()}) before the log-softmax. Gemma 2's
     * {@code final_logit_softcapping} c then bounds them: {@code tanh(z/c)·c} (in float32).
     *
     * @param hidden (…, H)
     * @return (…, V) float32 logits
     */
    public NDArray logits(NDArray hidden) {
        NDArray h = Casts.to(hidden, lmHead.getDataType());
        NDArray logits = Casts.to(ai.djl.nn.core.Linear.linear(h, lmHead, null).singletonOrThrow(), DataType.FLOAT32);
        double cap = config.finalLogitSoftcapping();
        if (cap > 0) {
            logits = Scalars.mul(Scalars.div(logits, cap).tanh(), cap);
        }
        return logits;
    }

    @Override
    public void close() {
        manager.close();
    }
}
