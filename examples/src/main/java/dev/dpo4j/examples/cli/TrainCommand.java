package dev.dpo4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code dpo4j train}: DPO (or another preference loss of TRL's family) or SFT of a LoRA adapter. Settings
 * come from a YAML file ({@code --config}, llmforge/TRL key names, see {@link TrainSettings}) with flags
 * laying over it; both go through {@link dev.dpo4j.core.train.TrainConfig#fromTree}, so they are
 * validated once and alike. Writes the adapter (PEFT layout), {@code metrics.jsonl} and checkpoints to
 * {@code --output}, shows a progress bar on stderr and ends with a short summary on stdout.
 *
 * <p>No option has a default or a type here: an option is applied only when given (the YAML file and then
 * TrainConfig's documented defaults fill the rest), and its text is read as YAML would read it, so a
 * bad value fails in TrainConfig's validation with the key named, as it would in the file.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a LoRA adapter with DPO (default) or SFT.",
            "DPO rows: {\"prompt\":..,\"chosen\":..,\"rejected\":..} as strings or chat messages (chat template "
                + "applied), implicit prompt (chosen/rejected only), or {\"prompt_ids\":[..],\"chosen_ids\":[..],"
                + "\"rejected_ids\":[..]}. SFT rows: {\"messages\":[..]}, {\"prompt\":..,\"completion\":..} or "
                + "{\"prompt_ids\":[..],\"completion_ids\":[..]}.",
            "Every flag has a YAML key of the same meaning (--config): the flag in snake_case or the llmforge/TRL "
                + "name (train_path, valid_path, train_batch_size_per_device, lora_config: {r: 8, ...}); flags win.",
            "Output: adapter_config.json + adapter_model.safetensors, metrics.jsonl, checkpoint-<step>/."})
final class TrainCommand implements Callable<Integer> {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    /** Flags whose values are names or paths, never numbers. */
    private static final Set<String> TEXT_KEYS = Set.of("model", "data", "eval_data", "dataset", "split", "eval_split",
            "format", "cache_dir", "output", "adapter", "task",
            "device", "reference", "optimizer", "truncation_mode", "lr_scheduler_type", "loss_type",
            "lora_target_modules", "dtype", "torch_dtype", "bnb_4bit_quant_type", "bnb_4bit_compute_dtype");

    @Spec
    CommandSpec spec;

    // ---- run ----
    @Option(names = "--config", paramLabel = "FILE", description = "YAML file of settings; flags override it.")
    Path config;

    @Option(names = "--model", paramLabel = "DIR|ORG/NAME[@REV]",
            description = "Base model directory or Hugging Face Hub id (YAML: model, model_id).")
    String model;

    @Option(names = "--data", paramLabel = "FILE|DIR",
            description = "Training rows: .jsonl, .json, .csv, .parquet (optionally .gz) or a folder of them "
                    + "(YAML: data, train_path).")
    String data;

    @Option(names = "--eval-data", paramLabel = "FILE|DIR", description = "Evaluation rows, as --data (YAML: eval_data, valid_path).")
    String evalData;

    @Option(names = "--dataset", paramLabel = "ORG/NAME[:CONFIG][@REV]",
            description = "A Hugging Face Hub dataset instead of --data, downloaded into the Hub cache "
                    + "(YAML: dataset, dataset_name).")
    String dataset;

    @Option(names = "--split", paramLabel = "NAME", description = "Training split of --dataset (default train; YAML: split, "
            + "dataset_train_split).")
    String split;

    @Option(names = "--eval-split", paramLabel = "NAME",
            description = "Evaluation split of --dataset, e.g. test (YAML: eval_split, dataset_test_split).")
    String evalSplit;

    @Option(names = "--format", paramLabel = "NAME", completionCandidates = Choices.Layouts.class,
            description = "Preference row layout, one of ${COMPLETION-CANDIDATES} (default auto: detected from "
                    + "each source's first row).")
    String format;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Folder for precomputed reference log-probs, shared across runs so a resume or a later run"
                    + " on the same model and data reuses them (default $DPO4J_CACHE, else ~/.cache/dpo4j; YAML: cache_dir).")
    String cacheDir;

    @Option(names = "--output", paramLabel = "DIR", description = "Run directory (YAML: output, output_dir).")
    String output;

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "Start from this PEFT adapter instead of a fresh one; its r, alpha and targets win over "
                    + "lora_config (--lora-dropout still applies).")
    String adapter;

    @Option(names = "--task", paramLabel = "dpo|sft", description = "dpo (default) or sft.")
    String task;

    @Option(names = "--resume", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Continue from the latest checkpoint in --output. Every setting that shapes the result, the"
                    + " base model, the starting adapter and the data must be the checkpoint's (a resume is refused"
                    + " otherwise, naming each difference); --logging-steps, --eval-steps and --save-steps may differ.")
    String resume;

    @Option(names = "--device", paramLabel = "DEV", description = "cpu (default), gpu or gpu:N.")
    String device;

    @Option(names = "--skip-bad-rows", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Skip and count invalid rows instead of stopping at the first (default false).")
    String skipBadRows;

    // ---- precision ----
    @Option(names = "--fp16", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "TRL's switch: true = --dtype float16.")
    String fp16;

    @Option(names = "--bf16", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "TRL's switch: true = --dtype bfloat16 (runs as float16).")
    String bf16;

    /** --dtype, --load-in-4bit/8bit, --bnb-4bit-*, --tf32: the same flags as every model command. */
    @Mixin
    PrecisionOptions precision;

    // ---- loss ----
    @Option(names = "--loss-type", split = ",", paramLabel = "T", completionCandidates = Choices.LossTypes.class,
            description = "One of ${COMPLETION-CANDIDATES} (default sigmoid); repeat or comma-separate to combine.")
    List<String> lossType;

    @Option(names = "--loss-weights", split = ",", paramLabel = "W", description = "One weight per --loss-type (default 1 each).")
    List<String> lossWeights;

    @Option(names = "--beta", paramLabel = "B", description = "DPO temperature (default 0.1); higher stays nearer the reference.")
    String beta;

    @Option(names = "--label-smoothing", paramLabel = "E", description = "cDPO/robust label smoothing (default 0).")
    String labelSmoothing;

    @Option(names = "--discopop-tau", paramLabel = "TAU", description = "DiscoPOP tau (default 0.05).")
    String discopopTau;

    @Option(names = "--reference", paramLabel = "base|initial",
            description = "Reference model: base (default, adapters off) or initial (the --adapter as given, frozen).")
    String reference;

    @Option(names = "--precompute-ref-log-probs", arity = "1", paramLabel = "BOOL",
            description = "Cache reference log-probs on disk once (default true).")
    String precomputeRefLogProbs;

    // ---- optimisation ----
    @Option(names = "--learning-rate", paramLabel = "LR", description = "Peak learning rate (default 5e-6).")
    String learningRate;

    @Option(names = "--num-epochs", paramLabel = "N", description = "Passes over the data (default 1).")
    String numEpochs;

    @Option(names = "--max-steps", paramLabel = "N", description = "Optimizer steps; wins over epochs when > 0 (default -1).")
    String maxSteps;

    @Option(names = "--train-batch-size", paramLabel = "N", description = "Examples per micro-batch (default 4).")
    String trainBatchSize;

    @Option(names = "--eval-batch-size", paramLabel = "N", description = "Examples per evaluation batch (default 4).")
    String evalBatchSize;

    @Option(names = "--gradient-accumulation-steps", paramLabel = "N", description = "Micro-batches per step (default 1).")
    String gradientAccumulationSteps;

    @Option(names = "--optimizer", paramLabel = "NAME", completionCandidates = Choices.Optimizers.class,
            description = "One of ${COMPLETION-CANDIDATES} (default adamw).")
    String optimizer;

    @Option(names = "--lr-scheduler-type", paramLabel = "S", completionCandidates = Choices.LrSchedulers.class,
            description = "One of ${COMPLETION-CANDIDATES} (default linear).")
    String lrSchedulerType;

    @Option(names = "--warmup-steps", paramLabel = "N", description = "Linear warmup steps (default 0); wins over the ratio.")
    String warmupSteps;

    @Option(names = "--warmup-ratio", paramLabel = "R", description = "Warmup as a fraction of all steps (default 0).")
    String warmupRatio;

    @Option(names = "--max-grad-norm", paramLabel = "N", description = "Global gradient-norm clip, 0 = none (default 1).")
    String maxGradNorm;

    @Option(names = "--weight-decay", paramLabel = "W", description = "Decoupled weight decay (default 0).")
    String weightDecay;

    @Option(names = "--seed", paramLabel = "N", description = "Seeds data order, LoRA init and dropout (default 42).")
    String seed;

    // ---- sequences ----
    @Option(names = "--max-length", paramLabel = "N", description = "Prompt + completion tokens (default 1024).")
    String maxLength;

    @Option(names = "--max-prompt-length", paramLabel = "N",
            description = "Prompt tokens, cut per --truncation-mode; default none, as TRL 1.x: a pair keeps the start"
                    + " of prompt + completion within --max-length.")
    String maxPromptLength;

    @Option(names = "--truncation-mode", paramLabel = "M", description = "keep_end (default) or keep_start of a long prompt.")
    String truncationMode;

    @Option(names = "--share-prompt", arity = "1", paramLabel = "BOOL",
            description = "One [prompt, chosen, rejected] sequence per pair (default true); false = TRL's two.")
    String sharePrompt;

    @Option(names = "--packing", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Pack examples into rows of max_length with block masks (default false).")
    String packing;

    @Option(names = "--gradient-checkpointing", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Recompute layers in backward: less memory, ~1 extra forward (default false).")
    String gradientCheckpointing;

    // ---- logging and checkpoints ----
    @Option(names = "--logging-steps", paramLabel = "N", description = "A metrics line every N steps (default 10).")
    String loggingSteps;

    @Option(names = "--eval-steps", paramLabel = "N", description = "Evaluate every N steps, 0 = only at the end (default 0).")
    String evalSteps;

    @Option(names = "--save-steps", paramLabel = "N", description = "Checkpoint every N steps, 0 = none (default 0).")
    String saveSteps;

    // ---- LoRA ----
    @Option(names = "--lora-r", paramLabel = "R", description = "LoRA rank (default 8): higher is more expressive, more memory.")
    String loraR;

    @Option(names = "--lora-alpha", paramLabel = "A", description = "LoRA alpha (default 16); the update is scaled by alpha/r.")
    String loraAlpha;

    @Option(names = "--lora-dropout", paramLabel = "P", description = "Dropout on the adapter input (default 0.05).")
    String loraDropout;

    @Option(names = "--lora-target-modules", split = ",", paramLabel = "M",
            description = "Projections to adapt, e.g. q_proj,v_proj, or all-linear (default).")
    List<String> loraTargetModules;

    @Override
    public Integer call() throws IOException {
        JsonNode yaml = config == null ? null : YAML.readTree(config.toFile());
        TrainSettings settings = TrainSettings.resolve(config, yaml, givenFlags());
        TrainRun.Outcome outcome = new TrainRun(settings, spec.commandLine().getErr(), System.err).execute();
        TrainSummary.print(spec.commandLine().getOut(), settings, outcome);
        return 0;
    }

    /** The options given on the command line, keyed by their name in snake case, as JSON values. */
    private ObjectNode givenFlags() {
        ObjectNode flags = NODES.objectNode();
        ParseResult parsed = spec.commandLine().getParseResult();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp() || option.longestName().equals("--config")
                    || !parsed.hasMatchedOption(option)) {
                continue;
            }
            String key = option.longestName().substring(2).replace('-', '_');
            boolean text = TEXT_KEYS.contains(key);
            Object value = option.getValue();
            if (value instanceof Collection<?> list) {
                ArrayNode array = flags.putArray(key);
                list.forEach(v -> array.add(text ? NODES.textNode(v.toString()) : scalar(v.toString())));
            } else {
                flags.set(key, text ? NODES.textNode(value.toString()) : scalar(value.toString()));
            }
        }
        return flags;
    }

    /**
     * A flag's text as the JSON scalar YAML would have made of it (number, boolean, else string), so that
     * TrainConfig's one reader checks flags and YAML values alike and names the key when one is wrong.
     */
    static JsonNode scalar(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return NODES.booleanNode(Boolean.parseBoolean(t));
        }
        if (INTEGER.matcher(t).matches()) {
            try {
                long v = Long.parseLong(t);
                return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
            } catch (NumberFormatException e) {
                return NODES.textNode(text);
            }
        }
        if (DECIMAL.matcher(t).matches()) {
            return NODES.numberNode(Double.parseDouble(t));
        }
        return NODES.textNode(text);
    }
}
