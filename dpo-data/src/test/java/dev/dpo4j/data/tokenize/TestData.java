package dev.dpo4j.data.tokenize;

import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * Shared helpers for the data tests: the real tokenizers under {@code fixtures/real} (loaded once, a
 * skip where absent) and small JSONL files.
 */
public final class TestData {

    private static final Map<String, Tokenizer> LOADED = new HashMap<>();

    private TestData() {
    }

    /** TinyLlama-1.1B-Chat: SentencePiece, 32000 tokens, adds BOS {@code <s>}=1, EOS {@code </s>}=2, Zephyr-style template. */
    public static Tokenizer tinyLlama() {
        return load("real/tokenizers/TinyLlama-1.1B-Chat-v1.0");
    }

    /** SmolLM2-135M: byte-level BPE, 49152 tokens, ChatML template, {@code <|im_start|>}=1, EOS {@code <|im_end|>}=2. */
    public static Tokenizer smolLm2() {
        return load("real/tokenizers/SmolLM2-135M");
    }

    /** stories260K: a 512-token Llama tokenizer (BOS 1, EOS 2) without a chat template. */
    public static Tokenizer stories() {
        return load("real/models/stories260K");
    }

    private static synchronized Tokenizer load(String relative) {
        Path dir = Fixtures.path(relative);
        return LOADED.computeIfAbsent(relative, r -> Tokenizer.load(dir));
    }

    /**
     * Writes lines to {@code dir/name}, each followed by a newline.
     *
     * @param dir the directory
     * @param name the file name
     * @param lines the JSON lines
     * @return the file
     */
    public static Path jsonl(Path dir, String name, String... lines) {
        Path file = dir.resolve(name);
        try {
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** How often an id occurs. */
    static long count(long[] ids, long id) {
        return LongStream.of(ids).filter(x -> x == id).count();
    }

    /** {@code a ++ b}. */
    static long[] concat(long[] a, long[] b) {
        return LongStream.concat(LongStream.of(a), LongStream.of(b)).toArray();
    }

    /** {@code ids ++ [id]}. */
    static long[] append(long[] ids, long id) {
        return concat(ids, new long[] {id});
    }
}
