package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code synth.json}: the settings that decide what is asked and how pairs are formed (models,
 * counts, sampling, seed, threshold, policy, prompt digest). The journals are only valid for
 * these settings, so a rerun with different ones is refused with the list of differences. The
 * split fraction, the output format, the concurrency and {@code retryRejects} only act on this
 * run and may change freely.
 */
final class RunManifest {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunManifest() {
    }

    /**
     * The manifest of a run.
     *
     * @param config the settings
     * @param judgeModel the judge's name
     * @param baseModel the base model's name
     * @return the JSON object
     */
    static ObjectNode of(SynthConfig config, String judgeModel, String baseModel) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("format", 1);
        m.put("judge_model", judgeModel);
        m.put("base_model", baseModel);
        m.put("num_questions", config.numQuestions());
        m.put("num_candidates", config.numCandidates());
        m.put("threshold", config.threshold());
        m.put("policy", config.policy().name());
        m.put("temperature", config.temperature());
        if (config.topP() != null) {
            m.put("top_p", config.topP());
        }
        m.put("max_tokens", config.maxTokens());
        m.put("judge_temperature", config.judgeTemperature());
        if (config.judgeMaxTokens() != null) {
            m.put("judge_max_tokens", config.judgeMaxTokens());
        }
        m.put("seed", config.seed());
        m.put("prompts_sha256", config.prompts().fingerprint());
        return m;
    }

    /**
     * Writes the manifest when the directory has none, or checks that it equals the one there.
     *
     * @param file the manifest file
     * @param expected this run's manifest
     * @throws IllegalStateException listing every differing setting
     * @throws UncheckedIOException when the file cannot be read or written
     */
    static void checkOrWrite(Path file, ObjectNode expected) {
        try {
            if (Files.exists(file)) {
                JsonNode found = MAPPER.readTree(file.toFile());
                // Compare with the expected value as it reads back from JSON: a long seed reads as an int.
                JsonNode normal = MAPPER.readTree(MAPPER.writeValueAsBytes(expected));
                List<String> diffs = new ArrayList<>();
                Iterator<String> names = union(normal, found);
                while (names.hasNext()) {
                    String name = names.next();
                    JsonNode a = found.get(name);
                    JsonNode b = normal.get(name);
                    if (a == null ? b != null : !a.equals(b)) {
                        diffs.add(name + ": " + a + " in the directory, " + b + " now");
                    }
                }
                if (!diffs.isEmpty()) {
                    throw new IllegalStateException(file.getParent() + " holds a run with other settings ("
                            + String.join("; ", diffs) + "); rerun with the same settings or use a new output directory");
                }
                return;
            }
            AtomicFiles.write(file, MAPPER.writeValueAsBytes(expected));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Iterator<String> union(JsonNode a, JsonNode b) {
        List<String> names = new ArrayList<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(n -> {
            if (!names.contains(n)) {
                names.add(n);
            }
        });
        return names.iterator();
    }
}
