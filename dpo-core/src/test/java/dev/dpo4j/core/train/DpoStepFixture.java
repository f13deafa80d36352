package dev.dpo4j.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.lora.LoraConfig;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.safetensors.SafetensorsCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dpo-step-llama-tiny fixture: llama-tiny, its PEFT adapter (r 4, alpha 8, all seven projections),
 * three token-id pairs and the expected log-probs, losses and gradients (computed outside dpo4j).
 * Reads the adapter with the safetensors reader directly so these tests do not depend on the PEFT
 * reader under test elsewhere.
 */
final class DpoStepFixture {
    static final String DIR = "dpo-step-llama-tiny";

    private DpoStepFixture() {
    }

    static Path dir() {
        return Fixtures.path(DIR);
    }

    static DecoderModel base() {
        return DecoderModel.load(Fixtures.path("models/llama-tiny"));
    }

    static Map<String, float[]> adapterWeights() {
        return tensors("adapter_model.safetensors");
    }

    /** Every tensor of a safetensors file in the fixture directory, as float32. */
    static Map<String, float[]> tensors(String file) {
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir().resolve(file))) {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (String name : ckpt.names()) {
                out.put(name, ckpt.readFloatArray(name));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LoraModel adapter(DecoderModel model) {
        return LoraModel.attach(model, LoraConfig.of(4, 8), adapterWeights());
    }

    static JsonNode expected() {
        return Fixtures.json(DIR + "/expected.json");
    }

    static List<PreferencePair> pairs() {
        List<PreferencePair> pairs = new ArrayList<>();
        for (JsonNode p : expected().get("pairs")) {
            pairs.add(new PreferencePair(Fixtures.longs(p.get("prompt_ids")), Fixtures.longs(p.get("chosen_ids")),
                    Fixtures.longs(p.get("rejected_ids"))));
        }
        return pairs;
    }

    static double[] doubles(String field) {
        JsonNode node = expected().get(field);
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asDouble();
        }
        return out;
    }
}
