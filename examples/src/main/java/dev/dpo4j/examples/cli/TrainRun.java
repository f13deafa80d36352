package dev.dpo4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.CausalLm;
import dev.dpo4j.core.io.DirectoryLock;
import dev.dpo4j.core.lora.LoraConfig;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.lora.PeftAdapter;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.tokenizer.Tokenizer;
import dev.dpo4j.core.train.DpoTrainer;
import dev.dpo4j.core.train.PreferencePair;
import dev.dpo4j.core.train.SftExample;
import dev.dpo4j.core.train.SftTrainer;
import dev.dpo4j.core.train.TrainConfig;
import dev.dpo4j.core.train.TrainResult;
import dev.dpo4j.data.io.Dataset;
import dev.dpo4j.data.io.DatasetException;
import dev.dpo4j.data.tokenize.PairReader;
import dev.dpo4j.data.tokenize.ReadResult;
import dev.dpo4j.data.tokenize.SftReader;
import dev.dpo4j.data.tokenize.Truncation;
import dev.dpo4j.data.tokenize.TruncationMode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Carries out one {@code dpo4j train} run, top to bottom: check the files, load the model (and its
 * tokenizer if it has one), read and tokenize the data, attach a fresh or the given adapter, train DPO or
 * SFT, and return what happened for the summary.
 */
final class TrainRun {
    /** The run folder's lock, the one {@code data synth} and {@code evaluate} take in theirs. */
    static final String LOCK_FILE = ".lock";

    /**
     * What a run did, for the summary.
     *
     * @param result the trainer's outcome
     * @param trainExamples training examples used
     * @param evalExamples evaluation examples used
     * @param lora the adapter's settings as trained
     * @param trainableParameters LoRA parameters trained
     * @param seconds wall time of the whole run
     * @param precision how the base was held, e.g. {@code float16+nf4-dq-b64}
     */
    record Outcome(TrainResult result, int trainExamples, int evalExamples, LoraConfig lora, long trainableParameters,
                   double seconds, String precision) {
    }

    private final TrainSettings settings;
    private final PrintWriter err;
    private final PrintStream progress;

    /**
     * Creates the run.
     *
     * @param settings the resolved settings
     * @param err where notes and warnings go
     * @param progress where progress bars go
     */
    TrainRun(TrainSettings settings, PrintWriter err, PrintStream progress) {
        this.settings = settings;
        this.err = err;
        this.progress = progress;
    }

    /**
     * Trains.
     *
     * @return the outcome
     * @throws IOException if a file cannot be read or written
     */
    Outcome execute() throws IOException {
        long started = System.nanoTime();
        Path output = settings.output();
        OutputFolder.require(output);
        Files.createDirectories(output);
        try (DirectoryLock lock = DirectoryLock.acquire(output.resolve(LOCK_FILE), "training run")) {
            return train(started);
        }
    }

    private Outcome train(long started) throws IOException {
        Dataset trainRows = settings.data().train();
        Dataset evalRows = settings.data().eval();
        if (!settings.isDpo() && settings.data().preferenceFormat() != null) {
            throw new IllegalArgumentException("--format " + settings.data().format() + " names a preference layout;"
                    + " SFT rows are read as messages, prompt/completion or token ids");
        }
        PeftAdapter start = settings.adapter() == null ? null : PeftAdapters.read(settings.adapter());
        settings.notes().forEach(n -> err.println("note: " + n));
        noteEarlierRun();
        try (CausalLm lm = ModelLoading.load(settings.model(), Devices.parse(settings.device()), settings.precision(),
                err)) {
            Tokenizer tokenizer = lm.tokenizer().orElse(null);
            int vocab = lm.model().config().vocabSize();
            TrainConfig config = settings.config();
            Truncation truncation = Truncation.of(config.maxLength(), config.maxPromptLength())
                    .withMode(TruncationMode.fromName(config.truncationMode()));
            LoraConfig loraConfig = start == null ? config.loraConfig() : adapterConfig(start);
            config = config.toBuilder().loraConfig(loraConfig).build();
            try (LoraModel lora = attach(lm, start, loraConfig, config.seed())) {
                err.flush();
                TrainResult result;
                int trainCount;
                int evalCount;
                if (settings.isDpo()) {
                    PairReader reader = new PairReader(tokenizer, vocab, truncation).skipBadRows(settings.skipBadRows())
                            .withFormat(settings.data().preferenceFormat());
                    List<PreferencePair> train = read(lm, () -> reader.read(trainRows), trainRows, true);
                    List<PreferencePair> eval = evalRows == null ? List.of()
                            : read(lm, () -> reader.read(evalRows), evalRows, false);
                    trainCount = train.size();
                    evalCount = eval.size();
                    result = new DpoTrainer(lora, config, settings.output(), settings.model(), progress)
                            .withReferenceCache(settings.referenceCache()).train(train, eval, settings.resume());
                } else {
                    SftReader reader = new SftReader(tokenizer, vocab, truncation).skipBadRows(settings.skipBadRows());
                    List<SftExample> train = read(lm, () -> reader.read(trainRows), trainRows, true);
                    List<SftExample> eval = evalRows == null ? List.of()
                            : read(lm, () -> reader.read(evalRows), evalRows, false);
                    trainCount = train.size();
                    evalCount = eval.size();
                    result = new SftTrainer(lora, config, settings.output(), settings.model(), progress)
                            .train(train, eval, settings.resume());
                }
                return new Outcome(result, trainCount, evalCount, loraConfig, lora.parameterCount(),
                        (System.nanoTime() - started) / 1e9, lm.model().options().label());
            }
        }
    }

    /**
     * The starting adapter's config, with the user's {@code lora_dropout} when given (a training setting that
     * PEFT keeps in the adapter's file); the user's other LoRA keys yield to the adapter, with a note.
     */
    private LoraConfig adapterConfig(PeftAdapter start) {
        LoraConfig own = start.config();
        Map<String, JsonNode> user = settings.loraKeys();
        for (Map.Entry<String, JsonNode> e : user.entrySet()) {
            if (!e.getKey().equals("lora_dropout")) {
                err.println("note: lora_config." + e.getKey() + " is ignored: the adapter in " + settings.adapter()
                        + " brings its own (r " + own.r() + ", lora_alpha " + own.loraAlpha() + ", target_modules "
                        + own.targetModules() + ")");
            }
        }
        JsonNode dropout = user.get("lora_dropout");
        if (dropout == null) {
            return own;
        }
        if (!dropout.isNumber()) {
            throw new IllegalArgumentException("lora_dropout must be a number, got " + dropout);
        }
        return own.withDropout(dropout.doubleValue());
    }

    private LoraModel attach(CausalLm lm, PeftAdapter start, LoraConfig config, long seed) {
        if (start == null) {
            return LoraModel.create(lm.model(), config, seed);
        }
        try {
            return LoraModel.attach(lm.model(), config, start.weights());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(settings.adapter().resolve(PeftAdapters.WEIGHTS_FILE) + ": "
                    + e.getMessage() + " (does the adapter belong to " + settings.model() + "?)", e);
        }
    }

    /** Reads examples, reports rows not kept, and refuses an empty training set. */
    private <T> List<T> read(CausalLm lm, Supplier<ReadResult<T>> reader, Dataset rows, boolean training) {
        ReadResult<T> r;
        try {
            r = reader.get();
        } catch (DatasetException e) {
            if (lm.tokenizer().isEmpty() && Objects.toString(e.getMessage(), "").contains("tokenizer")) {
                throw new IllegalArgumentException(e.getMessage() + " (the model " + settings.model()
                        + " has no tokenizer.json, so only token-id rows can be used)", e);
            }
            throw e;
        }
        String file = rows.name();
        if (r.dropped() > 0) {
            err.println("note: " + file + ": " + r.dropped() + " of " + r.rowsRead()
                    + " rows dropped, their prompt leaves no room for a completion within max_length "
                    + settings.config().maxLength() + " (first: " + r.droppedRows().get(0) + ")");
        }
        if (r.bad() > 0) {
            err.println("warning: " + file + ": " + r.bad() + " of " + r.rowsRead() + " rows skipped as invalid"
                    + " (first: " + r.badRows().get(0) + ")");
        }
        if (r.examples().isEmpty() && training) {
            throw new IllegalArgumentException(file + ": no training examples (" + r.rowsRead() + " rows read, "
                    + r.dropped() + " dropped, " + r.bad() + " invalid)");
        }
        err.flush();
        return r.examples();
    }

    /**
     * A fresh run into a folder that holds an earlier one says so (it deletes nothing), and so does a
     * {@code --resume} that finds no checkpoint to resume from.
     */
    private void noteEarlierRun() throws IOException {
        List<String> old = List.of();
        if (Files.isDirectory(settings.output())) {
            try (var list = Files.list(settings.output())) {
                old = list.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+")
                        && Files.exists(p.resolve("trainer_state.json"))).map(p -> p.getFileName().toString())
                        .sorted().toList();
            }
        }
        if (settings.resume()) {
            if (old.isEmpty()) {
                err.println("note: --resume: no checkpoint in " + settings.output() + "; starting from step 0");
            }
        } else {
            if (!old.isEmpty()) {
                err.println("note: " + settings.output() + " holds checkpoints of an earlier run (" + String.join(", ", old)
                        + "); starting over from step 0 without --resume");
            }
        }
    }
}
