package dev.dpo4j.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.io.AtomicFiles;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.optim.Optimizer;
import dev.dpo4j.core.optim.OptimizerState;
import dev.dpo4j.core.optim.OptimizerStates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Training checkpoints in the run directory: {@code checkpoint-<step>/} holding the adapter (PEFT
 * layout), {@code optimizer.safetensors} and {@code trainer_state.json} (step, total steps, seed,
 * objective). The data position and dropout seeds follow from the step and the seed
 * ({@link TrainingPlan}), the learning rate from the scheduler and the step, so these files are the
 * whole state. Each checkpoint is written into a hidden temporary folder and renamed into place: a
 * crash mid-save leaves the previous checkpoint as the latest.
 */
public final class CheckpointStore {
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    static final String STATE_FILE = "trainer_state.json";

    /** What a checkpoint restores. */
    public record Restored(Path dir, int step, Map<String, float[]> adapter, OptimizerState optimizer,
                           JsonNode state) {
    }

    private final Path runDir;

    /**
     * Creates the store.
     *
     * @param runDir the run's output directory
     */
    public CheckpointStore(Path runDir) {
        this.runDir = runDir;
    }

    /**
     * Writes a checkpoint after {@code step} optimizer steps.
     *
     * @param step steps taken
     * @param lora the adapters
     * @param optimizer the optimizer
     * @param state trainer fields (written with {@code global_step} added)
     * @param baseModel written into the adapter config
     * @return the checkpoint directory
     */
    public Path save(int step, LoraModel lora, Optimizer optimizer, ObjectNode state, String baseModel) {
        Path target = runDir.resolve("checkpoint-" + step);
        try (AtomicFiles.Staged staged = AtomicFiles.stageDirectory(target)) {
            Path temp = staged.path();
            PeftAdapters.save(lora, temp, baseModel);
            OptimizerStates.write(temp.resolve(OPTIMIZER_FILE), optimizer.state());
            ObjectNode s = state.deepCopy();
            s.put("global_step", step);
            Files.write(temp.resolve(STATE_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(s));
            staged.commit();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    /** The complete checkpoint with the most steps, if any. */
    public Optional<Path> latest() {
        if (!Files.isDirectory(runDir)) {
            return Optional.empty();
        }
        try (Stream<Path> list = Files.list(runDir)) {
            return list.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.exists(p.resolve(STATE_FILE)))
                    .max(Comparator.comparingInt(CheckpointStore::stepOf));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a checkpoint.
     *
     * @param dir a {@code checkpoint-<step>} directory
     * @return its contents
     */
    public Restored load(Path dir) {
        try {
            JsonNode state = JSON.readTree(dir.resolve(STATE_FILE).toFile());
            return new Restored(dir, state.get("global_step").asInt(), PeftAdapters.read(dir).weights(),
                    OptimizerStates.read(dir.resolve(OPTIMIZER_FILE)), state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    private static int stepOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }
}
