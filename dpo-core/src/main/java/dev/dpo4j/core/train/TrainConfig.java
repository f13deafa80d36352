package dev.dpo4j.core.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.lora.LoraConfig;
import dev.dpo4j.core.loss.LossSettings;
import dev.dpo4j.core.optim.LrSchedulerType;
import dev.dpo4j.core.optim.OptimizerType;
import java.util.List;

/**
 * Everything a DPO or SFT run needs besides the model and the data, with llmforge/TRL key names so a
 * YAML file reads like theirs. Validated once, here.
 *
 * @param lossType TRL {@code loss_type}: one name or several (weighted by {@code loss_weights});
 *     default sigmoid. Ignored by SFT.
 * @param lossWeights one weight per loss type; default all 1
 * @param beta DPO temperature β (default 0.1): higher keeps the policy closer to the reference
 * @param labelSmoothing conservative-DPO / robust label smoothing (default 0)
 * @param discopopTau DiscoPOP's τ (default 0.05)
 * @param learningRate peak learning rate (default 5e-6; TRL's 1e-6 is for full fine-tuning)
 * @param numEpochs passes over the data (default 1)
 * @param maxSteps optimizer steps; overrides epochs when positive (default -1)
 * @param trainBatchSize pairs per micro-batch (default 4)
 * @param evalBatchSize pairs per evaluation batch (default 4)
 * @param gradientAccumulationSteps micro-batches per optimizer step (default 1)
 * @param maxLength prompt + completion tokens (default 1024)
 * @param maxPromptLength prompt tokens, cut by {@code truncation_mode}; 0 (the default, as TRL 1.x) sets no
 *     separate prompt limit: a pair keeps the start of prompt + completion within {@code max_length}
 * @param truncationMode {@code keep_end} (default: keep the prompt's end) or {@code keep_start}
 * @param warmupSteps linear warmup steps (default 0); wins over the ratio when positive
 * @param warmupRatio warmup as a fraction of all steps (default 0)
 * @param lrSchedulerType constant, linear (default) or cosine
 * @param maxGradNorm global gradient-norm clip, 0 for none (default 1.0)
 * @param weightDecay decoupled weight decay (default 0)
 * @param optimizer a name of {@link OptimizerType}: adamw (default) or sgd
 * @param seed seeds shuffling, LoRA initialisation and dropout (default 42)
 * @param loggingSteps write a metrics line every this many steps (default 10)
 * @param evalSteps evaluate every this many steps, 0 for only at the end (default 0)
 * @param saveSteps checkpoint every this many steps, 0 for none (default 0; the final adapter is
 *     always written)
 * @param loraConfig the adapter (default r 8, alpha 16, dropout 0.05, all linear projections)
 * @param precomputeRefLogProbs compute reference log-probs once, cache them on disk and reuse them
 *     across epochs and restarts (default true); false computes them on the fly each step
 * @param reference {@code base} (default: the model with adapters off) or {@code initial} (the starting
 *     adapter, frozen; meaningful with {@code --adapter})
 * @param gradientCheckpointing recompute each layer in backward instead of keeping its activations
 *     (default false): about one extra forward for the memory of one layer
 * @param sharePrompt lay each pair out as one {@code [prompt, chosen, rejected]} sequence so the prompt
 *     is computed once (default true); false is TRL's two sequences
 * @param packing pack several pairs into rows of up to {@code max_length} tokens with block masks
 *     instead of padding (default false)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record TrainConfig(
        @JsonProperty("loss_type") List<String> lossType,
        @JsonProperty("loss_weights") List<Double> lossWeights,
        @JsonProperty("beta") double beta,
        @JsonProperty("label_smoothing") double labelSmoothing,
        @JsonProperty("discopop_tau") double discopopTau,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("num_epochs") int numEpochs,
        @JsonProperty("max_steps") int maxSteps,
        @JsonProperty("train_batch_size_per_device") int trainBatchSize,
        @JsonProperty("eval_batch_size_per_device") int evalBatchSize,
        @JsonProperty("gradient_accumulation_steps") int gradientAccumulationSteps,
        @JsonProperty("max_length") int maxLength,
        @JsonProperty("max_prompt_length") int maxPromptLength,
        @JsonProperty("truncation_mode") String truncationMode,
        @JsonProperty("warmup_steps") int warmupSteps,
        @JsonProperty("warmup_ratio") double warmupRatio,
        @JsonProperty("lr_scheduler_type") String lrSchedulerType,
        @JsonProperty("max_grad_norm") double maxGradNorm,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("optimizer") String optimizer,
        @JsonProperty("seed") long seed,
        @JsonProperty("logging_steps") int loggingSteps,
        @JsonProperty("eval_steps") int evalSteps,
        @JsonProperty("save_steps") int saveSteps,
        @JsonProperty("lora_config") LoraConfig loraConfig,
        @JsonProperty("precompute_ref_log_probs") boolean precomputeRefLogProbs,
        @JsonProperty("reference") String reference,
        @JsonProperty("gradient_checkpointing") boolean gradientCheckpointing,
        @JsonProperty("share_prompt") boolean sharePrompt,
        @JsonProperty("packing") boolean packing) {

    /** The reference model's two choices. */
    public static final List<String> REFERENCES = List.of("base", "initial");

    /** Validates every field, naming it in the message. */
    public TrainConfig {
        lossType = lossType == null || lossType.isEmpty() ? List.of("sigmoid") : List.copyOf(lossType);
        lossWeights = lossWeights == null ? null : List.copyOf(lossWeights);
        if (lossWeights != null && lossWeights.size() != lossType.size()) {
            throw new IllegalArgumentException("loss_weights has " + lossWeights.size() + " entries for "
                    + lossType.size() + " loss_type entries");
        }
        new LossSettings(beta, labelSmoothing, discopopTau); // validates beta, label_smoothing, tau
        positive("learning_rate", learningRate);
        positive("num_epochs", numEpochs);
        positive("train_batch_size_per_device", trainBatchSize);
        positive("eval_batch_size_per_device", evalBatchSize);
        positive("gradient_accumulation_steps", gradientAccumulationSteps);
        positive("max_length", maxLength);
        if (maxPromptLength < 0) {
            throw new IllegalArgumentException("max_prompt_length must be >= 0 (0 = no separate prompt limit), got "
                    + maxPromptLength);
        }
        if (maxPromptLength >= maxLength) {
            throw new IllegalArgumentException("max_prompt_length (" + maxPromptLength
                    + ") must be below max_length (" + maxLength + ")");
        }
        truncationMode = truncationMode == null ? "keep_end" : truncationMode;
        if (!truncationMode.equals("keep_end") && !truncationMode.equals("keep_start")) {
            throw new IllegalArgumentException("truncation_mode must be keep_end or keep_start, got '"
                    + truncationMode + "'");
        }
        nonNegative("warmup_steps", warmupSteps);
        if (!(warmupRatio >= 0 && warmupRatio <= 1)) {
            throw new IllegalArgumentException("warmup_ratio must be in [0, 1], got " + warmupRatio);
        }
        lrSchedulerType = lrSchedulerType == null ? "linear" : lrSchedulerType;
        LrSchedulerType.fromName(lrSchedulerType);
        nonNegative("max_grad_norm", maxGradNorm);
        nonNegative("weight_decay", weightDecay);
        optimizer = optimizer == null ? OptimizerType.ADAMW.configName() : OptimizerType.of(optimizer).configName();
        positive("logging_steps", loggingSteps);
        nonNegative("eval_steps", evalSteps);
        nonNegative("save_steps", saveSteps);
        loraConfig = loraConfig == null ? new LoraConfig(8, 16, 0.05, List.of(LoraConfig.ALL_LINEAR), "none", false)
                : loraConfig;
        reference = reference == null ? "base" : reference;
        if (!REFERENCES.contains(reference)) {
            throw new IllegalArgumentException("reference must be base or initial, got '" + reference + "'");
        }
    }

    private static void positive(String field, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }

    private static void nonNegative(String field, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException(field + " must not be negative, got " + value);
        }
    }

    /** The defaults, as a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Reads a config from a JSON/YAML tree of llmforge/TRL keys laid over the defaults: absent keys keep
     * their defaults, {@code lora_config} keys are laid over the default adapter's, a single string is
     * accepted where a list is expected ({@code loss_type: ipo}), and an unknown key is an error naming it.
     *
     * @param overrides the user's keys
     * @return the validated config
     * @throws IllegalArgumentException naming the bad key or value
     */
    public static TrainConfig fromTree(JsonNode overrides) {
        ObjectMapper mapper = new ObjectMapper()
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        ObjectNode merged = mapper.valueToTree(builder().build());
        if (overrides != null) {
            overrides.fields().forEachRemaining(e -> {
                if (!merged.has(e.getKey())) {
                    throw new IllegalArgumentException("unknown training key '" + e.getKey() + "'");
                }
                if (e.getKey().equals("lora_config") && e.getValue().isObject()) {
                    ObjectNode lora = (ObjectNode) merged.get("lora_config");
                    e.getValue().fields().forEachRemaining(l -> {
                        if (!lora.has(l.getKey())) {
                            throw new IllegalArgumentException("unknown lora_config key '" + l.getKey() + "'");
                        }
                        lora.set(l.getKey(), l.getValue());
                    });
                } else {
                    merged.set(e.getKey(), e.getValue());
                }
            });
        }
        try {
            return mapper.treeToValue(merged, TrainConfig.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new IllegalArgumentException("bad training config: " + cause.getMessage(), cause);
        }
    }

    /** The loss settings (β, label smoothing, τ). */
    public LossSettings lossSettings() {
        return new LossSettings(beta, labelSmoothing, discopopTau);
    }

    /** Whether the reference is the starting adapter rather than the base. */
    public boolean referenceIsInitialAdapter() {
        return reference.equals("initial");
    }

    /** Builder with the documented defaults; {@code build()} validates. */
    public static final class Builder {
        private List<String> lossType = List.of("sigmoid");
        private List<Double> lossWeights;
        private double beta = LossSettings.DEFAULT_BETA;
        private double labelSmoothing;
        private double discopopTau = LossSettings.DEFAULT_DISCOPOP_TAU;
        private double learningRate = 5e-6;
        private int numEpochs = 1;
        private int maxSteps = -1;
        private int trainBatchSize = 4;
        private int evalBatchSize = 4;
        private int gradientAccumulationSteps = 1;
        private int maxLength = 1024;
        private int maxPromptLength = 0;
        private String truncationMode = "keep_end";
        private int warmupSteps;
        private double warmupRatio;
        private String lrSchedulerType = "linear";
        private double maxGradNorm = 1.0;
        private double weightDecay;
        private String optimizer = OptimizerType.ADAMW.configName();
        private long seed = 42;
        private int loggingSteps = 10;
        private int evalSteps;
        private int saveSteps;
        private LoraConfig loraConfig;
        private boolean precomputeRefLogProbs = true;
        private String reference = "base";
        private boolean gradientCheckpointing;
        private boolean sharePrompt = true;
        private boolean packing;

        private Builder() {
        }

        private Builder(TrainConfig c) {
            lossType = c.lossType;
            lossWeights = c.lossWeights;
            beta = c.beta;
            labelSmoothing = c.labelSmoothing;
            discopopTau = c.discopopTau;
            learningRate = c.learningRate;
            numEpochs = c.numEpochs;
            maxSteps = c.maxSteps;
            trainBatchSize = c.trainBatchSize;
            evalBatchSize = c.evalBatchSize;
            gradientAccumulationSteps = c.gradientAccumulationSteps;
            maxLength = c.maxLength;
            maxPromptLength = c.maxPromptLength;
            truncationMode = c.truncationMode;
            warmupSteps = c.warmupSteps;
            warmupRatio = c.warmupRatio;
            lrSchedulerType = c.lrSchedulerType;
            maxGradNorm = c.maxGradNorm;
            weightDecay = c.weightDecay;
            optimizer = c.optimizer;
            seed = c.seed;
            loggingSteps = c.loggingSteps;
            evalSteps = c.evalSteps;
            saveSteps = c.saveSteps;
            loraConfig = c.loraConfig;
            precomputeRefLogProbs = c.precomputeRefLogProbs;
            reference = c.reference;
            gradientCheckpointing = c.gradientCheckpointing;
            sharePrompt = c.sharePrompt;
            packing = c.packing;
        }

        /** @param v loss_type names @return this */
        public Builder lossType(List<String> v) { lossType = v; return this; }
        /** @param v loss_type, one name @return this */
        public Builder lossType(String v) { lossType = List.of(v); return this; }
        /** @param v loss_weights @return this */
        public Builder lossWeights(List<Double> v) { lossWeights = v; return this; }
        /** @param v beta @return this */
        public Builder beta(double v) { beta = v; return this; }
        /** @param v label_smoothing @return this */
        public Builder labelSmoothing(double v) { labelSmoothing = v; return this; }
        /** @param v discopop_tau @return this */
        public Builder discopopTau(double v) { discopopTau = v; return this; }
        /** @param v learning_rate @return this */
        public Builder learningRate(double v) { learningRate = v; return this; }
        /** @param v num_epochs @return this */
        public Builder numEpochs(int v) { numEpochs = v; return this; }
        /** @param v max_steps @return this */
        public Builder maxSteps(int v) { maxSteps = v; return this; }
        /** @param v train_batch_size_per_device @return this */
        public Builder trainBatchSize(int v) { trainBatchSize = v; return this; }
        /** @param v eval_batch_size_per_device @return this */
        public Builder evalBatchSize(int v) { evalBatchSize = v; return this; }
        /** @param v gradient_accumulation_steps @return this */
        public Builder gradientAccumulationSteps(int v) { gradientAccumulationSteps = v; return this; }
        /** @param v max_length @return this */
        public Builder maxLength(int v) { maxLength = v; return this; }
        /** @param v max_prompt_length @return this */
        public Builder maxPromptLength(int v) { maxPromptLength = v; return this; }
        /** @param v truncation_mode @return this */
        public Builder truncationMode(String v) { truncationMode = v; return this; }
        /** @param v warmup_steps @return this */
        public Builder warmupSteps(int v) { warmupSteps = v; return this; }
        /** @param v warmup_ratio @return this */
        public Builder warmupRatio(double v) { warmupRatio = v; return this; }
        /** @param v lr_scheduler_type @return this */
        public Builder lrSchedulerType(String v) { lrSchedulerType = v; return this; }
        /** @param v max_grad_norm @return this */
        public Builder maxGradNorm(double v) { maxGradNorm = v; return this; }
        /** @param v weight_decay @return this */
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        /** @param v optimizer @return this */
        public Builder optimizer(String v) { optimizer = v; return this; }
        /** @param v seed @return this */
        public Builder seed(long v) { seed = v; return this; }
        /** @param v logging_steps @return this */
        public Builder loggingSteps(int v) { loggingSteps = v; return this; }
        /** @param v eval_steps @return this */
        public Builder evalSteps(int v) { evalSteps = v; return this; }
        /** @param v save_steps @return this */
        public Builder saveSteps(int v) { saveSteps = v; return this; }
        /** @param v lora_config @return this */
        public Builder loraConfig(LoraConfig v) { loraConfig = v; return this; }
        /** @param v precompute_ref_log_probs @return this */
        public Builder precomputeRefLogProbs(boolean v) { precomputeRefLogProbs = v; return this; }
        /** @param v reference: base or initial @return this */
        public Builder reference(String v) { reference = v; return this; }
        /** @param v gradient_checkpointing @return this */
        public Builder gradientCheckpointing(boolean v) { gradientCheckpointing = v; return this; }
        /** @param v share_prompt @return this */
        public Builder sharePrompt(boolean v) { sharePrompt = v; return this; }
        /** @param v packing @return this */
        public Builder packing(boolean v) { packing = v; return this; }

        /** @return the validated config */
        public TrainConfig build() {
            return new TrainConfig(lossType, lossWeights, beta, labelSmoothing, discopopTau, learningRate, numEpochs,
                    maxSteps, trainBatchSize, evalBatchSize, gradientAccumulationSteps, maxLength, maxPromptLength,
                    truncationMode, warmupSteps, warmupRatio, lrSchedulerType, maxGradNorm, weightDecay, optimizer,
                    seed, loggingSteps, evalSteps, saveSteps, loraConfig, precomputeRefLogProbs, reference,
                    gradientCheckpointing, sharePrompt, packing);
        }
    }
}
