package dev.dpo4j.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.model.ModelConfig.LayerType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads the parts of a {@code config.json} whose layout changed with transformers 5: RoPE, layer types and
 * sliding windows. One question, two layouts:
 *
 * <table>
 *   <caption>where each value is read from</caption>
 *   <tr><th>value</th><th>transformers 5</th><th>earlier checkpoints</th></tr>
 *   <tr><td>RoPE base and scaling</td><td>{@code rope_parameters} (one dict, or one per layer type)</td>
 *       <td>{@code rope_theta}, {@code rope_scaling}, {@code partial_rotary_factor},
 *       {@code original_max_position_embeddings}</td></tr>
 *   <tr><td>Gemma 3 local RoPE</td><td>{@code rope_parameters.sliding_attention}</td>
 *       <td>{@code rope_local_base_freq} (default 10000)</td></tr>
 *   <tr><td>which layers slide</td><td>{@code layer_types}</td>
 *       <td>Gemma 2: even layers; Gemma 3: all but every {@code sliding_window_pattern}-th (6); Qwen2/3:
 *       layers from {@code max_window_layers} on when {@code use_sliding_window}; Mistral/Phi-3: all when
 *       {@code sliding_window} is set</td></tr>
 * </table>
 *
 * <p>A config may carry both (transformers 5 keeps some legacy keys beside the new ones); when the two
 * disagree the config is refused, naming both fields and values, rather than one being preferred quietly.
 */
final class ConfigLayout {
    private final JsonNode root;
    private final String source;
    private final ModelType type;
    private final int layers;
    private final int headDim;
    private final int maxPositions;
    private final ModelConfig.Fields f;

    ConfigLayout(JsonNode root, String source, ModelType type, int layers, int headDim, int maxPositions) {
        this.root = root;
        this.source = source;
        this.type = type;
        this.layers = layers;
        this.headDim = headDim;
        this.maxPositions = maxPositions;
        this.f = new ModelConfig.Fields(root, source);
    }

    /** The window of the sliding layers (0 when none slides): {@code sliding_window} where the family uses it. */
    int slidingWindow() {
        return switch (type) {
            case LLAMA, GEMMA -> 0;
            case MISTRAL, GEMMA2, GEMMA3_TEXT -> windowOrDefault(4096);
            case QWEN2, QWEN3 -> {
                boolean declared = root.has("layer_types") && !root.get("layer_types").isNull();
                yield (declared || f.optBool("use_sliding_window", false)) && f.has("sliding_window")
                        ? f.optInt("sliding_window", 4096) : 0;
            }
            case PHI3 -> windowOrDefault(0);
        };
    }

    /** {@code sliding_window}: absent gives the config class's default, an explicit null none (0). */
    private int windowOrDefault(int dflt) {
        if (!root.has("sliding_window")) {
            return dflt;
        }
        return f.has("sliding_window") ? f.optInt("sliding_window", dflt) : 0;
    }

    /**
     * Per layer, full or sliding attention: {@code layer_types}, else the family's rule; both when present
     * must agree.
     */
    List<LayerType> layerTypes(int window) {
        List<LayerType> implied = impliedLayerTypes(window);
        JsonNode declared = root.get("layer_types");
        if (declared == null || declared.isNull()) {
            return implied;
        }
        if (!declared.isArray() || declared.size() != layers) {
            throw new ModelConfigException(source + ": field 'layer_types' must be a list of num_hidden_layers = "
                    + layers + " entries, got " + declared);
        }
        List<LayerType> out = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            LayerType t = LayerType.fromHfName(declared.get(i).asText());
            if (t == null) {
                throw new ModelConfigException(source + ": field 'layer_types' [" + i + "] = " + declared.get(i)
                        + " is not supported (supported: full_attention, sliding_attention)");
            }
            if (t == LayerType.SLIDING && window == 0) {
                throw new ModelConfigException(source + ": field 'layer_types' [" + i + "] is sliding_attention but"
                        + " no sliding window applies (sliding_window is " + root.get("sliding_window")
                        + (root.has("use_sliding_window") ? ", use_sliding_window " + root.get("use_sliding_window") : "")
                        + ")");
            }
            out.add(t);
        }
        Integer pattern = pattern();
        if (pattern != null && type == ModelType.GEMMA3_TEXT && !out.equals(implied)) {
            throw new ModelConfigException(source + ": field 'layer_types' " + names(out) + " disagrees with"
                    + " 'sliding_window_pattern' = " + pattern + ", which implies " + names(implied));
        }
        return out;
    }

    private List<LayerType> impliedLayerTypes(int window) {
        List<LayerType> out = new ArrayList<>();
        Integer pattern = pattern();
        int maxWindowLayers = f.optInt("max_window_layers", 28);
        for (int i = 0; i < layers; i++) {
            boolean sliding = switch (type) {
                case LLAMA, GEMMA -> false;
                case MISTRAL, PHI3 -> window > 0;
                case QWEN2, QWEN3 -> window > 0 && i >= maxWindowLayers;
                case GEMMA2 -> (i + 1) % 2 != 0;
                case GEMMA3_TEXT -> (i + 1) % (pattern == null ? 6 : pattern) != 0;
            };
            out.add(sliding && window > 0 ? LayerType.SLIDING : LayerType.FULL);
        }
        return out;
    }

    /** Gemma 3's {@code sliding_window_pattern} (transformers 5 keeps it as {@code _sliding_window_pattern}). */
    private Integer pattern() {
        Integer a = f.has("sliding_window_pattern") ? f.optInt("sliding_window_pattern", 6) : null;
        Integer b = f.has("_sliding_window_pattern") ? f.optInt("_sliding_window_pattern", 6) : null;
        if (a != null && b != null && !a.equals(b)) {
            throw new ModelConfigException(source + ": fields 'sliding_window_pattern' = " + a
                    + " and '_sliding_window_pattern' = " + b + " disagree");
        }
        return a != null ? a : b;
    }

    /**
     * The RoPE of one layer type. Full layers: {@code rope_parameters} (or its {@code full_attention}
     * entry), else {@code rope_theta} + {@code rope_scaling}. Sliding layers: the
     * {@code sliding_attention} entry; else Gemma 3's unscaled {@code rope_local_base_freq}; else the full
     * layers' RoPE.
     */
    RopeParameters rope(LayerType layer) {
        JsonNode params = root.get("rope_parameters");
        boolean perType = params != null && params.isObject() && isPerLayerType(params);
        if (params != null && !params.isNull() && !params.isObject()) {
            throw new ModelConfigException(source + ": field 'rope_parameters' must be an object or null");
        }
        boolean hasParams = params != null && params.isObject();
        if (layer == LayerType.SLIDING) {
            if (perType && params.has(LayerType.SLIDING.hfName())) {
                String where = "rope_parameters." + LayerType.SLIDING.hfName();
                RopeParameters p = read(params.get(LayerType.SLIDING.hfName()), where);
                if (type == ModelType.GEMMA3_TEXT && f.has("rope_local_base_freq")
                        && p.theta() != f.optDouble("rope_local_base_freq", 10000)) {
                    throw mixed("rope_local_base_freq", root.get("rope_local_base_freq"), where + ".rope_theta",
                            p.theta());
                }
                return p;
            }
            if (type == ModelType.GEMMA3_TEXT) {
                return RopeParameters.plain(f.optDouble("rope_local_base_freq", 10000), partialRotaryFactor(null));
            }
            return rope(LayerType.FULL);
        }
        if (perType) {
            JsonNode full = params.get(LayerType.FULL.hfName());
            if (full == null) {
                throw new ModelConfigException(source + ": field 'rope_parameters' is per layer type but has no"
                        + " 'full_attention' entry (has " + names(params) + ")");
            }
            RopeParameters p = read(full, "rope_parameters.full_attention");
            checkLegacy(p, "rope_parameters.full_attention");
            return p;
        }
        if (hasParams) {
            RopeParameters p = read(params, "rope_parameters");
            checkLegacy(p, "rope_parameters");
            return p;
        }
        return legacy();
    }

    /** {@code rope_theta} + {@code rope_scaling} (+ Phi-3's top-level keys). */
    private RopeParameters legacy() {
        JsonNode scaling = root.get("rope_scaling");
        if (scaling != null && !scaling.isNull() && !scaling.isObject()) {
            throw new ModelConfigException(source + ": field 'rope_scaling' must be an object or null");
        }
        double theta = f.optDouble("rope_theta", defaultTheta());
        if (scaling == null || scaling.isNull()) {
            return RopeParameters.plain(theta, partialRotaryFactor(null));
        }
        return parse(scaling, "rope_scaling", theta);
    }

    /** A legacy key beside {@code rope_parameters} must say the same thing. */
    private void checkLegacy(RopeParameters p, String where) {
        if (f.has("rope_theta") && f.optDouble("rope_theta", 0) != p.theta()) {
            throw mixed("rope_theta", root.get("rope_theta"), where + ".rope_theta", p.theta());
        }
        JsonNode scaling = root.get("rope_scaling");
        if (scaling != null && scaling.isObject()) {
            RopeParameters legacy = parse(scaling, "rope_scaling", p.theta());
            if (!legacy.type().equals(p.type()) || legacy.factor() != p.factor()) {
                throw mixed("rope_scaling", scaling, where, p);
            }
        }
    }

    private RopeParameters read(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new ModelConfigException(source + ": field '" + where + "' must be an object, got " + node);
        }
        ModelConfig.Fields g = new ModelConfig.Fields(node, source + " (" + where + ")");
        double theta = g.has("rope_theta") ? g.optDouble("rope_theta", 0) : f.optDouble("rope_theta", defaultTheta());
        return parse(node, where, theta);
    }

    /** One scaling dict ({@code rope_parameters} entry or legacy {@code rope_scaling}) with a known θ. */
    private RopeParameters parse(JsonNode node, String where, double theta) {
        ModelConfig.Fields g = new ModelConfig.Fields(node, source + " (" + where + ")");
        String rt = g.string("rope_type", g.string("type", "default"));
        if (rt.equals("su")) {
            rt = "longrope"; // Phi-3's first name for it
        }
        double prf = partialRotaryFactor(g);
        int rotary = (int) (headDim * prf);
        if (rotary <= 0 || rotary % 2 != 0) {
            throw new ModelConfigException(source + ": partial_rotary_factor " + prf + " of head_dim " + headDim
                    + " gives " + rotary + " rotary dimensions; it must be a positive even number");
        }
        double original = g.has("original_max_position_embeddings")
                ? g.optDouble("original_max_position_embeddings", 0)
                : f.optDouble("original_max_position_embeddings", Double.NaN);
        RopeParameters plain = RopeParameters.plain(theta, prf);
        switch (rt) {
            case "default":
                return plain;
            case "linear":
            case "dynamic":
                return plain.withType(rt, required(g, "factor", where));
            case "llama3":
                return new RopeParameters("llama3", theta, prf, required(g, "factor", where),
                        required(g, "low_freq_factor", where), required(g, "high_freq_factor", where),
                        required(g, "original_max_position_embeddings", where), Double.NaN, 32, 1, 0, 0, true,
                        new double[0], new double[0]);
            case "yarn": {
                double orig = Double.isNaN(original) ? maxPositions : original;
                double factor = g.has("factor") ? g.optDouble("factor", 1) : maxPositions / orig;
                boolean truncate = !node.has("truncate") || g.optBool("truncate", true);
                return new RopeParameters("yarn", theta, prf, factor, 1, 4, orig,
                        g.has("attention_factor") ? g.optDouble("attention_factor", 1) : Double.NaN,
                        g.has("beta_fast") ? g.optDouble("beta_fast", 32) : 32,
                        g.has("beta_slow") ? g.optDouble("beta_slow", 1) : 1,
                        g.optDouble("mscale", 0), g.optDouble("mscale_all_dim", 0), truncate,
                        new double[0], new double[0]);
            }
            case "longrope": {
                if (Double.isNaN(original)) {
                    throw new ModelConfigException(source + ": longrope needs 'original_max_position_embeddings'"
                            + " (in " + where + " or at the top level)");
                }
                double[] shortF = factors(node, "short_factor", where, rotary / 2);
                double[] longF = factors(node, "long_factor", where, rotary / 2);
                double factor = g.has("factor") ? g.optDouble("factor", 1) : maxPositions / original;
                return new RopeParameters("longrope", theta, prf, factor, 1, 4, original,
                        g.has("attention_factor") ? g.optDouble("attention_factor", 1) : Double.NaN, 32, 1, 0, 0,
                        true, shortF, longF);
            }
            default:
                throw new ModelConfigException(source + ": unsupported rope type '" + rt + "' in field '" + where
                        + ".rope_type' (supported: " + RopeParameters.SUPPORTED + ")");
        }
    }

    /** {@code partial_rotary_factor}: inside the RoPE dict, at the top level, or 1; both must agree. */
    private double partialRotaryFactor(ModelConfig.Fields inner) {
        double top = f.optDouble("partial_rotary_factor", 1.0);
        if (inner != null && inner.has("partial_rotary_factor")) {
            double in = inner.optDouble("partial_rotary_factor", 1.0);
            if (f.has("partial_rotary_factor") && in != top) {
                throw mixed("partial_rotary_factor", top, "rope_parameters.partial_rotary_factor", in);
            }
            return in;
        }
        return top;
    }

    private double defaultTheta() {
        return type == ModelType.GEMMA3_TEXT ? 1_000_000.0 : 10000.0;
    }

    private double[] factors(JsonNode node, String name, String where, int expected) {
        JsonNode v = node.get(name);
        if (v == null || !v.isArray()) {
            throw new ModelConfigException(source + ": longrope needs a list '" + where + "." + name + "'");
        }
        if (v.size() != expected) {
            throw new ModelConfigException(source + ": field '" + where + "." + name + "' has " + v.size()
                    + " values; rotary dimension " + (2 * expected) + " needs " + expected);
        }
        double[] out = new double[expected];
        for (int i = 0; i < expected; i++) {
            out[i] = v.get(i).asDouble();
        }
        return out;
    }

    private double required(ModelConfig.Fields g, String name, String where) {
        if (!g.has(name)) {
            throw new ModelConfigException(source + ": missing required field '" + where + "." + name + "'");
        }
        return g.optDouble(name, 0);
    }

    private static boolean isPerLayerType(JsonNode params) {
        if (params.isEmpty()) {
            return false;
        }
        for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (LayerType.fromHfName(k) == null || !params.get(k).isObject()) {
                return false;
            }
        }
        return true;
    }

    private ModelConfigException mixed(String legacyKey, Object legacy, String newKey, Object now) {
        return new ModelConfigException(source + ": mixes config layouts inconsistently: field '" + legacyKey
                + "' = " + legacy + " but '" + newKey + "' = " + now + "; keep one, or make them agree");
    }

    private static String names(List<LayerType> types) {
        return types.stream().map(LayerType::hfName).toList().toString();
    }

    private static String names(JsonNode obj) {
        List<String> out = new ArrayList<>();
        obj.fieldNames().forEachRemaining(out::add);
        return String.join(", ", out);
    }
}
