package dev.dpo4j.core.hub;

import java.util.List;

/** A small fake sharded model repository, served by {@link FakeHub}. */
final class TinyModel {

    static final String REPO = "acme/tiny";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String TAG_COMMIT = "fedcba9876543210fedcba9876543210fedcba98";
    static final String SHARD1 = "model-00001-of-00002.safetensors";
    static final String SHARD2 = "model-00002-of-00002.safetensors";
    /** The files dpo4j must fetch; README.md and pytorch_model.bin must not be fetched. */
    static final List<String> NEEDED = List.of("config.json", "tokenizer.json", ModelFiles.INDEX, SHARD1, SHARD2);

    static final byte[] CONFIG = FakeHub.utf8("{\"model_type\":\"llama\",\"hidden_size\":8}");
    static final byte[] TOKENIZER = FakeHub.utf8("{\"version\":\"1.0\",\"model\":{\"type\":\"BPE\"}}");
    static final byte[] INDEX = FakeHub.utf8("{\"metadata\":{\"total_size\":0},\"weight_map\":{"
            + "\"model.embed_tokens.weight\":\"" + SHARD1 + "\","
            + "\"model.layers.0.mlp.up_proj.weight\":\"" + SHARD1 + "\","
            + "\"lm_head.weight\":\"" + SHARD2 + "\"}}");
    static final byte[] SHARD1_BYTES = FakeHub.randomBytes(150_000, 1);
    static final byte[] SHARD2_BYTES = FakeHub.randomBytes(70_000, 2);

    private TinyModel() {
    }

    /** Serves the model at {@code main} and its tag {@code v1.0} (another commit, same files). */
    static void install(FakeHub hub) {
        fill(hub.addRevision("models", REPO, "main", COMMIT));
        fill(hub.addRevision("models", REPO, "v1.0", TAG_COMMIT));
    }

    private static void fill(FakeHub.Revision revision) {
        revision.file(".gitattributes", FakeHub.utf8("*.safetensors filter=lfs"))
                .file("README.md", FakeHub.utf8("# tiny"))
                .file("config.json", CONFIG)
                .file("tokenizer.json", TOKENIZER)
                .file(ModelFiles.INDEX, INDEX)
                .file(SHARD1, SHARD1_BYTES)
                .file(SHARD2, SHARD2_BYTES)
                .file("pytorch_model.bin", FakeHub.randomBytes(100, 3));
    }

    static byte[] bytesOf(String filename) {
        return switch (filename) {
            case "config.json" -> CONFIG;
            case "tokenizer.json" -> TOKENIZER;
            case ModelFiles.INDEX -> INDEX;
            case SHARD1 -> SHARD1_BYTES;
            case SHARD2 -> SHARD2_BYTES;
            default -> throw new IllegalArgumentException(filename);
        };
    }
}
