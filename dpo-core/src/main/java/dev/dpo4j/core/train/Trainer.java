package dev.dpo4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.engine.Autograd;
import dev.dpo4j.core.io.JsonlReader;
import dev.dpo4j.core.io.JsonlRow;
import dev.dpo4j.core.io.JsonlWriter;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.optim.GradClipping;
import dev.dpo4j.core.optim.LrScheduler;
import dev.dpo4j.core.optim.LrSchedulerType;
import dev.dpo4j.core.optim.Optimizer;
import dev.dpo4j.core.optim.OptimizerType;
import dev.dpo4j.core.util.ProgressBar;
import dev.dpo4j.core.util.Scalars;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The training loop shared by DPO and SFT, read top to bottom in {@link #train}: plan the steps,
 * restore a checkpoint when resuming, prepare the objective (reference log-probs), then per step:
 * micro-batches forward and backward with accumulated gradients, a NaN/Inf check, clipping, the
 * optimizer update, logging, evaluation and checkpoints; finally the adapter in PEFT layout.
 *
 * <p>A float16 model trains with dynamic loss scaling ({@link LossScaler}): the loss is scaled before
 * backward, the float32 LoRA gradients unscaled before the finiteness check and clipping, and a step
 * whose gradients overflowed is skipped (no update, scale halved) and counted in the metrics
 * ({@code skipped_steps}, {@code loss_scale}) instead of stopping the run.
 *
 * <p>Files in the run directory: {@code adapter_config.json} + {@code adapter_model.safetensors} (the
 * final adapter), {@code metrics.jsonl} (one line per logging step and per evaluation),
 * {@code checkpoint-<step>/}, and the objective's caches.
 *
 * @param <E> the example type
 */
public final class Trainer<E> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The metrics log's file name in the run directory. */
    public static final String METRICS_FILE = "metrics.jsonl";
    /**
     * Settings that cannot change the trained adapter, so a resume may change them: how often to log,
     * evaluate and checkpoint.
     */
    public static final List<String> RESUME_FREE = List.of("logging_steps", "eval_steps", "save_steps");
    private static final String IDENTITY = "run_identity";

    private final DecoderModel model;
    private final LoraModel lora;
    private final TrainConfig config;
    private final Objective<E> objective;
    private final Path runDir;
    private final String baseModel;
    private final PrintStream progress;
    private LossScaler scaler; // float16 models only

    /**
     * Creates the trainer.
     *
     * @param lora the adapters to train, attached to their model
     * @param config the run's settings
     * @param objective DPO or SFT
     * @param runDir the output directory
     * @param baseModel the base model's name or path (written into adapter configs)
     * @param progress where the progress bar goes, or {@code null} for none
     */
    public Trainer(LoraModel lora, TrainConfig config, Objective<E> objective, Path runDir, String baseModel,
                   PrintStream progress) {
        this.model = lora.model();
        this.lora = lora;
        this.config = config;
        this.objective = objective;
        this.runDir = runDir;
        this.baseModel = baseModel;
        this.progress = progress;
        this.scaler = model.dtype() == DataType.FLOAT16 ? new LossScaler() : null;
    }

    /**
     * Uses a loss scaler of the caller's instead of one with GradScaler's defaults (2^16, growth every
     * 2000 clean steps); float16 models only.
     *
     * @param lossScaler the scaler
     * @return this trainer
     * @throws IllegalStateException when the model is float32 (it trains without loss scaling)
     */
    public Trainer<E> withLossScaler(LossScaler lossScaler) {
        if (scaler == null) {
            throw new IllegalStateException("loss scaling applies to float16 models; this one is "
                    + model.options().label());
        }
        this.scaler = lossScaler;
        return this;
    }

    /**
     * Trains.
     *
     * @param train the training examples
     * @param eval evaluation examples, may be empty
     * @param resume continue from the latest checkpoint in the run directory, if there is one
     * @return the outcome
     * @throws TrainingDivergedException on a NaN/Inf loss or gradient, before the update
     */
    public TrainResult train(List<E> train, List<E> eval, boolean resume) {
        TrainingPlan plan = TrainingPlan.of(train.size(), config.trainBatchSize(), config.gradientAccumulationSteps(),
                config.numEpochs(), config.maxSteps(), config.seed());
        int total = plan.totalSteps();
        LrScheduler schedule = LrScheduler.of(LrSchedulerType.fromName(config.lrSchedulerType()), config.learningRate(),
                LrScheduler.warmupSteps(config.warmupSteps(), config.warmupRatio(), total), total);
        SegmentLogps runner = new SegmentLogps(model);
        CheckpointStore checkpoints = new CheckpointStore(runDir);
        Path metricsFile = runDir.resolve(METRICS_FILE);
        List<Map<String, Object>> history = new ArrayList<>();
        Map<String, Double> lastEval = Map.of();
        try (Optimizer optimizer = optimizer()) {
            Files.createDirectories(runDir);
            int start = 0;
            ObjectNode identity = identity(train); // before a restore replaces the starting adapter
            Optional<Path> latest = resume ? checkpoints.latest() : Optional.empty();
            if (latest.isPresent()) {
                start = restore(checkpoints.load(latest.get()), optimizer, total, identity);
            }
            trimMetrics(metricsFile, start);
            objective.prepare(train, eval);
            try (JsonlWriter metrics = JsonlWriter.append(metricsFile);
                 ProgressBar bar = progress == null ? null
                         : new ProgressBar(objective.name() + " train", total, "steps", progress)) {
                if (bar != null) {
                    bar.step(start);
                }
                Window window = new Window();
                for (TrainingPlan.Step step : plan.steps().subList(start, total)) {
                    double lr = schedule.lr(step.index());
                    double gradNorm = trainStep(step, train, runner, optimizer, lr, window);
                    int done = step.index() + 1;
                    if (done % config.loggingSteps() == 0 || done == total) {
                        Map<String, Object> line = window.drain(done, (double) done / plan.stepsPerEpoch(), lr, gradNorm);
                        if (scaler != null) {
                            line.put("loss_scale", scaler.scale());
                            line.put("skipped_steps", scaler.skippedSteps());
                        }
                        metrics.write(JSON.valueToTree(line));
                        history.add(line);
                    }
                    if (!eval.isEmpty() && ((config.evalSteps() > 0 && done % config.evalSteps() == 0) || done == total)) {
                        lastEval = evaluate(eval, runner);
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("step", done);
                        line.putAll(lastEval);
                        metrics.write(JSON.valueToTree(line));
                        history.add(line);
                    }
                    if (config.saveSteps() > 0 && done % config.saveSteps() == 0 && done < total) {
                        checkpoints.save(done, lora, optimizer, state(total, identity), baseModel);
                    }
                    if (bar != null) {
                        bar.setExtra(window.summary());
                        bar.step(1);
                    }
                }
            }
            PeftAdapters.save(lora, runDir, baseModel);
            return new TrainResult(total, start, history, lastEval, runDir, metricsFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One optimizer step: accumulate gradients over the micro-batches, check, clip, update. Returns the
     * gradient norm before clipping, or NaN for a step skipped by the loss scaler.
     */
    private double trainStep(TrainingPlan.Step step, List<E> train, SegmentLogps runner, Optimizer optimizer,
                             double lr, Window window) {
        for (NDArray p : lora.parameters().values()) {
            Autograd.zeroGradient(p);
        }
        SegmentLogps.Mode mode = config.gradientCheckpointing() ? SegmentLogps.Mode.TRAIN_CHECKPOINTED
                : SegmentLogps.Mode.TRAIN;
        int micro = step.microBatches().size();
        for (int k = 0; k < micro; k++) {
            int[] indices = step.microBatches().get(k);
            List<E> examples = pick(train, indices);
            PackedBatch batch = objective.layout(examples);
            long seed = lora.config().loraDropout() > 0 ? config.seed() * 7919L + step.firstMicroBatch() + k : -1;
            long started = System.nanoTime();
            objective.beforePass(examples, indices, false, batch);
            try (NDManager manager = model.manager().newSubManager()) {
                SegmentLogps.Pass pass;
                try (var t = lora.training()) {
                    pass = runner.run(batch, manager, mode, seed);
                }
                Objective.StepLoss loss;
                NDArray scaled;
                try (Autograd.Scope on = Autograd.recording(true)) {
                    loss = objective.loss(examples, indices, false, batch, pass, manager);
                    if (!Double.isFinite(loss.value())) {
                        throw new TrainingDivergedException("step " + (step.index() + 1) + ", micro-batch " + (k + 1)
                                + " (examples " + Arrays.toString(indices) + "): loss is " + loss.value()
                                + "; nothing was applied or written" + (scaler == null ? ""
                                : " (the forward runs in float16; --dtype float32 rules out its range as the cause)"));
                    }
                    // the step's gradient is the mean over its micro-batches; float16 scales it up for backward
                    scaled = scaler == null ? Scalars.div(loss.loss(), micro) : scaler.scaled(loss.loss(), micro);
                }
                try (var t = lora.training()) {
                    pass.backward(scaled); // a checkpointed layer recomputes its forward here, with the same dropout
                }
                window.add(loss.value(), loss.metrics(), batch.realTokens(), System.nanoTime() - started);
            }
        }
        Map<String, NDArray> grads = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, NDArray> e : lora.parameters().entrySet()) {
                grads.put(e.getKey(), e.getValue().getGradient());
            }
            double was = scaler == null ? Double.NaN : scaler.scale();
            String bad = scaler == null ? GradClipping.allFinite(grads) : scaler.unscaleAndUpdate(grads);
            if (bad != null && scaler != null) { // GradScaler: skip the update, halve the scale
                window.skip(step.index() + 1, was, scaler.scale());
                return Double.NaN;
            }
            if (bad != null) {
                throw new TrainingDivergedException("step " + (step.index() + 1) + ": the gradient of " + bad
                        + " holds NaN or Inf; nothing was applied or written");
            }
            double norm = GradClipping.clipGlobalNorm(grads, config.maxGradNorm());
            optimizer.step(lora.parameters(), grads, lr);
            return norm;
        } finally {
            grads.values().forEach(NDArray::close);
        }
    }

    /** Mean metrics over the evaluation set, named {@code eval_<metric>}. */
    private Map<String, Double> evaluate(List<E> eval, SegmentLogps runner) {
        Window window = new Window();
        for (int from = 0; from < eval.size(); from += config.evalBatchSize()) {
            int[] indices = new int[Math.min(eval.size(), from + config.evalBatchSize()) - from];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = from + i;
            }
            List<E> examples = pick(eval, indices);
            PackedBatch batch = objective.layout(examples);
            long started = System.nanoTime();
            objective.beforePass(examples, indices, true, batch);
            try (NDManager manager = model.manager().newSubManager()) {
                SegmentLogps.Pass pass = runner.run(batch, manager, SegmentLogps.Mode.INFERENCE, -1);
                Objective.StepLoss loss = objective.loss(examples, indices, true, batch, pass, manager);
                window.add(loss.value(), loss.metrics(), batch.realTokens(), System.nanoTime() - started);
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        window.means().forEach((k, v) -> out.put("eval_" + k, v));
        return out;
    }

    private Optimizer optimizer() {
        return OptimizerType.of(config.optimizer()).create(config.weightDecay());
    }

    private ObjectNode state(int total, ObjectNode identity) {
        ObjectNode s = JSON.createObjectNode();
        s.put("total_steps", total);
        s.put("seed", config.seed());
        s.put("objective", objective.name());
        s.put("dtype", model.options().label());
        s.set(IDENTITY, identity);
        if (scaler != null) {
            scaler.save(s);
        }
        return s;
    }

    /**
     * What a run resuming this one's checkpoints must share with it: every setting that shapes the
     * result (all of {@link TrainConfig} but {@link #RESUME_FREE}), the objective, the precision, and the
     * fingerprints of the base weights, the starting adapter and the training data's token ids.
     */
    private ObjectNode identity(List<E> train) {
        ObjectNode id = JSON.valueToTree(config);
        RESUME_FREE.forEach(id::remove);
        id.put("objective", objective.name());
        id.put("dtype", model.options().label());
        id.put("base_model_fingerprint", ModelFingerprint.of(model));
        id.put("start_adapter_fingerprint", ModelFingerprint.ofArrays(lora.config().toString(), lora.snapshot()));
        id.put("train_data_fingerprint", dataFingerprint(train));
        return id;
    }

    private String dataFingerprint(List<E> examples) {
        return ModelFingerprint.ofTokens(objective.name(), examples.stream().map(objective::tokens).toList());
    }

    /** Each key whose value differs between a checkpoint's identity and this run's, with both values. */
    private static List<String> differences(JsonNode saved, ObjectNode current) {
        List<String> out = new ArrayList<>();
        Set<String> keys = new TreeSet<>();
        saved.fieldNames().forEachRemaining(keys::add);
        current.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            JsonNode a = saved.get(key);
            JsonNode b = current.get(key);
            // compared as JSON text: a checkpoint's 42 reads back as an int where this run holds a long
            if (a == null || b == null || !a.toString().equals(b.toString())) {
                out.add(key + ": checkpoint " + (a == null ? "(not set)" : a) + ", this run " + (b == null ? "(not set)" : b));
            }
        }
        return out;
    }

    private int restore(CheckpointStore.Restored r, Optimizer optimizer, int total, ObjectNode identity) {
        JsonNode s = r.state();
        String dtype = s.path("dtype").asText("float32");
        if (!dtype.equals(model.options().label())) {
            throw new IllegalArgumentException(r.dir() + ": checkpoint of a " + dtype + " run; this run loads the model"
                    + " as " + model.options().label() + " (resume with the same --dtype and quantization)");
        }
        JsonNode saved = s.get(IDENTITY);
        if (saved == null) {
            throw new IllegalArgumentException(r.dir() + ": this checkpoint records no run settings (an older dpo4j"
                    + " wrote it), so a resume cannot be checked; start over without --resume");
        }
        List<String> differ = differences(saved, identity);
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException(r.dir() + ": made with other settings; --resume needs the same ones"
                    + " (or start over without --resume): " + String.join("; ", differ));
        }
        if (s.path("total_steps").asInt() != total || s.path("seed").asLong() != config.seed()
                || !s.path("objective").asText().equals(objective.name())) {
            throw new IllegalArgumentException(r.dir() + ": checkpoint of another run (total_steps "
                    + s.path("total_steps") + ", seed " + s.path("seed") + ", objective " + s.path("objective")
                    + "); this run has " + total + " steps, seed " + config.seed() + ", " + objective.name());
        }
        lora.load(r.adapter());
        optimizer.restore(r.optimizer());
        if (scaler != null) {
            scaler.restore(s);
        }
        return r.step();
    }

    /** Drops metrics lines past the resumed step, so the log reads as one uninterrupted run. */
    private static void trimMetrics(Path file, int keepThrough) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<ObjectNode> kept = new ArrayList<>();
        try (JsonlWriter trim = JsonlWriter.append(file); JsonlReader reader = JsonlReader.open(file)) {
            for (JsonlRow row : reader) {
                if (row.value().path("step").asInt() <= keepThrough) {
                    kept.add(row.value());
                }
            }
        }
        try (JsonlWriter out = JsonlWriter.create(file)) {
            kept.forEach(out::write);
        }
    }

    private static <E> List<E> pick(List<E> all, int[] indices) {
        List<E> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(all.get(i));
        }
        return out;
    }

    /** Metrics averaged over the micro-batches since the last log line, and throughput. */
    private static final class Window {
        private final Map<String, double[]> sums = new LinkedHashMap<>(); // name -> {sum, count}
        private long tokens;
        private long nanos;
        private int skippedSinceStart;
        private String lastSkip;

        void add(double loss, Map<String, Double> metrics, long realTokens, long elapsed) {
            sums.computeIfAbsent("loss", k -> new double[2]);
            sums.get("loss")[0] += loss;
            sums.get("loss")[1]++;
            metrics.forEach((k, v) -> {
                double[] s = sums.computeIfAbsent(k, x -> new double[2]);
                s[0] += v;
                s[1]++;
            });
            tokens += realTokens;
            nanos += elapsed;
        }

        Map<String, Double> means() {
            Map<String, Double> out = new LinkedHashMap<>();
            sums.forEach((k, s) -> out.put(k, s[0] / s[1]));
            if (nanos > 0) {
                out.put("tokens/s", tokens / (nanos / 1e9));
            }
            return out;
        }

        /** Records a step the loss scaler skipped; the progress line shows the count. */
        void skip(int step, double oldScale, double newScale) {
            skippedSinceStart++;
            lastSkip = String.format(" skipped %d (step %d: float16 overflow, loss scale %.0f -> %.0f)",
                    skippedSinceStart, step, oldScale, newScale);
        }

        String summary() {
            Map<String, Double> m = means();
            StringBuilder sb = new StringBuilder();
            if (lastSkip != null) {
                sb.append(lastSkip.strip()).append(' ');
            }
            if (m.containsKey("loss")) {
                sb.append(String.format("loss %.4f", m.get("loss")));
            }
            if (m.containsKey("rewards/accuracies")) {
                sb.append(String.format(" acc %.2f", m.get("rewards/accuracies")));
            }
            if (m.containsKey("tokens/s")) {
                sb.append(String.format(" %.0f tok/s", m.get("tokens/s")));
            }
            return sb.toString();
        }

        Map<String, Object> drain(int step, double epoch, double lr, double gradNorm) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("step", step);
            line.put("epoch", epoch);
            line.put("learning_rate", lr);
            line.put("grad_norm", Double.isNaN(gradNorm) ? null : gradNorm); // null: a step the loss scaler skipped
            line.putAll(means());
            sums.clear();
            tokens = 0;
            nanos = 0;
            return line;
        }
    }
}
