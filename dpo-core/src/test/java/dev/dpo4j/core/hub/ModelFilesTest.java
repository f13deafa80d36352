package dev.dpo4j.core.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {

    private static final ModelRef REF = ModelRef.parse("org/name");

    @TempDir
    Path dir;

    @Test
    void metadataFilesAreThoseListed() {
        List<String> listing = List.of("README.md", "tokenizer.model", "config.json", "pytorch_model.bin",
                ModelFiles.INDEX, "chat_template.jinja", "flax_model.msgpack");

        assertEquals(List.of("config.json", "chat_template.jinja", "tokenizer.model", ModelFiles.INDEX),
                ModelFiles.metadataFiles(listing));
    }

    @Test
    void unindexedWeightsPreferTheSingleFile() {
        assertEquals(List.of("model.safetensors"),
                ModelFiles.unindexedWeights(REF, List.of("model.safetensors", "other.safetensors", "model.bin")));
        assertEquals(List.of("a.safetensors", "b.safetensors"),
                ModelFiles.unindexedWeights(REF, List.of("b.safetensors", "onnx/x.safetensors", "a.safetensors")));
    }

    @Test
    void repositoryWithoutSafetensorsNamesWhatItHas() {
        HubException e = assertThrows(HubException.class,
                () -> ModelFiles.unindexedWeights(REF, List.of("config.json", "pytorch_model.bin", "tf_model.h5")));

        assertEquals(HubException.Kind.NO_WEIGHTS, e.kind());
        assertTrue(e.getMessage().contains("pytorch_model.bin, tf_model.h5"), e.getMessage());
    }

    @Test
    void shardsComeFromTheIndexWeightMap() throws Exception {
        Files.writeString(dir.resolve(ModelFiles.INDEX), "{\"weight_map\":{\"a\":\"s2.safetensors\","
                + "\"b\":\"s1.safetensors\",\"c\":\"s2.safetensors\"}}");

        assertEquals(List.of("s1.safetensors", "s2.safetensors"), ModelFiles.shardsFromIndex(dir.resolve(ModelFiles.INDEX)));
        assertEquals(List.of("config.json", "s1.safetensors", "s2.safetensors"), ModelFiles.missing(dir));

        Files.writeString(dir.resolve("config.json"), "{}");
        Files.write(dir.resolve("s1.safetensors"), new byte[8]);
        Files.write(dir.resolve("s2.safetensors"), new byte[8]);
        assertTrue(ModelFiles.isComplete(dir));
    }

    @Test
    void folderWithoutIndexNeedsSomeSafetensors() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{}");
        assertEquals(List.of("*.safetensors"), ModelFiles.missing(dir));

        Files.write(dir.resolve("model.safetensors"), new byte[8]);
        assertTrue(ModelFiles.isComplete(dir));
    }
}
