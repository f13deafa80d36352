package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.chat.ChatModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Shared helpers of the pipeline tests. */
final class SynthTesting {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private SynthTesting() {
    }

    /** A pipeline over the fakes with no progress bar. */
    static SynthPipeline pipeline(Path dir, SynthConfig config, ChatModel judge, ChatModel writer) {
        return SynthPipeline.builder().setJudge(judge).setBaseModel(writer).setOutputDir(dir).optConfig(config)
                .optProgress(null).build();
    }

    /** The config matching a script. */
    static SynthConfig.Builder config(SynthScript script) {
        return SynthConfig.builder().optNumQuestions(script.n).optNumCandidates(script.k).optSeed(script.seed)
                .optValidFraction(0.25);
    }

    /** Every line of a JSONL file, parsed (a broken line fails the test). */
    static List<JsonNode> lines(Path file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            if (!Files.exists(file)) {
                return out;
            }
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    out.add(MAPPER.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
