package dev.dpo4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** YAML/JSON keys over defaults, single-value lists, and errors naming the key. */
class TrainConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void absentKeysKeepTheirDefaults() throws Exception {
        TrainConfig c = TrainConfig.fromTree(tree("{\"beta\": 0.01, \"loss_type\": \"ipo\", \"lora_config\": {\"r\": 16}}"));
        assertEquals(0.01, c.beta());
        assertEquals(List.of("ipo"), c.lossType());
        assertEquals(16, c.loraConfig().r());
        assertEquals(16.0, c.loraConfig().loraAlpha(), "lora_alpha keeps the default");
        TrainConfig defaults = TrainConfig.builder().build();
        assertEquals(defaults.learningRate(), c.learningRate());
        assertEquals(defaults.maxLength(), c.maxLength());
        assertEquals("linear", c.lrSchedulerType());
        assertTrue(c.precomputeRefLogProbs());
        assertTrue(c.sharePrompt());
    }

    @Test
    void everyLlmforgeKeyIsAccepted() throws Exception {
        TrainConfig c = TrainConfig.fromTree(tree("{\"learning_rate\": 5e-6, \"num_epochs\": 3, "
                + "\"train_batch_size_per_device\": 2, \"gradient_accumulation_steps\": 8, \"max_length\": 4096, "
                + "\"max_prompt_length\": 3000, \"truncation_mode\": \"keep_start\", \"warmup_ratio\": 0.1, "
                + "\"lr_scheduler_type\": \"cosine\", \"max_grad_norm\": 0.5, \"weight_decay\": 0.01, "
                + "\"optimizer\": \"sgd\", \"seed\": 3, \"logging_steps\": 5, \"eval_steps\": 50, \"save_steps\": 100, "
                + "\"precompute_ref_log_probs\": false, \"reference\": \"initial\", \"gradient_checkpointing\": true, "
                + "\"label_smoothing\": 0.1, \"loss_type\": [\"sigmoid\", \"sft\"], \"loss_weights\": [1.0, 0.5]}"));
        assertEquals(8, c.gradientAccumulationSteps());
        assertEquals(List.of(1.0, 0.5), c.lossWeights());
        assertTrue(c.referenceIsInitialAdapter());
        assertTrue(c.gradientCheckpointing());
    }

    @Test
    void badKeysAndValuesAreNamed() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.fromTree(tree("{\"learning_rat\": 1}")));
        assertTrue(unknown.getMessage().contains("learning_rat"), unknown.getMessage());
        IllegalArgumentException lora = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.fromTree(tree("{\"lora_config\": {\"rank\": 4}}")));
        assertTrue(lora.getMessage().contains("rank"), lora.getMessage());
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.fromTree(tree("{\"max_length\": 128, \"max_prompt_length\": 256}")));
        assertTrue(lengths.getMessage().contains("max_prompt_length"), lengths.getMessage());
        IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.fromTree(tree("{\"max_steps\": 3.5}")));
        assertTrue(fraction.getMessage().contains("max_steps"), fraction.getMessage());
        IllegalArgumentException reference = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.fromTree(tree("{\"reference\": \"copy\"}")));
        assertTrue(reference.getMessage().contains("reference"), reference.getMessage());
        IllegalArgumentException weights = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.fromTree(tree("{\"loss_type\": [\"sigmoid\", \"sft\"], \"loss_weights\": [1.0]}")));
        assertTrue(weights.getMessage().contains("loss_weights"), weights.getMessage());
    }
}
