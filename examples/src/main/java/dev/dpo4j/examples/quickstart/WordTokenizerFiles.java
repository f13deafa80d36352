package dev.dpo4j.examples.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the tokenizer files of a word-level vocabulary into a model directory, in the Hugging
 * Face layout that {@code Tokenizer.load}, {@code CausalLm.load} and {@code transformers}'
 * {@code AutoTokenizer} read.
 *
 * <p>{@code tokenizer.json} holds a {@code WordLevel} model: the special tokens {@value #UNK} (id
 * 0), {@value #BOS} (1), {@value #EOS} (2) and {@value #PAD} (3), then the words in the order given,
 * ids 4, 5, …; any other text becomes {@value #UNK}. Text is split on whitespace only
 * ({@code WhitespaceSplit}), so punctuation must be separated by spaces to be its own token, and the
 * case is kept. A {@code TemplateProcessing} post-processor puts {@value #BOS} before every encoded
 * text that asks for special tokens, as Llama tokenizers do; {@value #EOS} is never added by the
 * tokenizer (dpo4j appends it to completions itself). With no decoder, decoding joins the tokens by
 * single spaces, so a text of words separated by single spaces decodes to itself.
 *
 * <p>{@code tokenizer_config.json} names the four special tokens and {@code model_max_length}, sets
 * {@code clean_up_tokenization_spaces} to false (so Python's decode also keeps {@code " ,"}) and has
 * no chat template: the quickstart's model is a base model prompted with plain text.
 */
public final class WordTokenizerFiles {

    /** The unknown-word token, id 0. */
    public static final String UNK = "<unk>";
    /** The beginning-of-sequence token, id 1. */
    public static final String BOS = "<s>";
    /** The end-of-sequence token, id 2. */
    public static final String EOS = "</s>";
    /** The padding token, id 3. */
    public static final String PAD = "<pad>";
    /** The special tokens in id order; the words follow them. */
    public static final List<String> SPECIAL_TOKENS = List.of(UNK, BOS, EOS, PAD);
    /** The {@code model_max_length} written when none is given. */
    public static final int DEFAULT_MODEL_MAX_LENGTH = 2048;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private WordTokenizerFiles() {
    }

    /**
     * Writes {@code tokenizer.json} and {@code tokenizer_config.json} with
     * {@code model_max_length} {@value #DEFAULT_MODEL_MAX_LENGTH}.
     *
     * @param modelDir the model directory; created when missing
     * @param words the vocabulary after the special tokens, in id order; repeats and special tokens
     *     among them are skipped
     * @throws IllegalArgumentException when a word is empty or contains whitespace
     * @throws UncheckedIOException when a file cannot be written
     */
    public static void write(Path modelDir, Collection<String> words) {
        write(modelDir, words, DEFAULT_MODEL_MAX_LENGTH);
    }

    /**
     * Writes {@code tokenizer.json} and {@code tokenizer_config.json}.
     *
     * @param modelDir the model directory; created when missing
     * @param words the vocabulary after the special tokens, in id order; repeats and special tokens
     *     among them are skipped
     * @param modelMaxLength the context length to record as {@code model_max_length}
     * @throws IllegalArgumentException when a word is empty or contains whitespace, or
     *     {@code modelMaxLength < 1}
     * @throws UncheckedIOException when a file cannot be written
     */
    public static void write(Path modelDir, Collection<String> words, int modelMaxLength) {
        if (modelMaxLength < 1) {
            throw new IllegalArgumentException("model_max_length must be >= 1, got " + modelMaxLength);
        }
        Map<String, Integer> vocab = vocabulary(words);
        try {
            Files.createDirectories(modelDir);
            JSON.writeValue(modelDir.resolve("tokenizer.json").toFile(), tokenizerJson(vocab));
            JSON.writeValue(modelDir.resolve("tokenizer_config.json").toFile(), tokenizerConfig(modelMaxLength));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tokenizer files into " + modelDir.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The token ids {@link #write} assigns: the special tokens 0–3, then each new word in order.
     *
     * @param words the words
     * @return token text to id, in id order
     * @throws IllegalArgumentException when a word is empty or contains whitespace
     */
    public static Map<String, Integer> vocabulary(Collection<String> words) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        SPECIAL_TOKENS.forEach(t -> vocab.put(t, vocab.size()));
        int index = 0;
        for (String word : words) {
            if (word == null || word.isEmpty() || !word.equals(word.replaceAll("\\s", ""))) {
                throw new IllegalArgumentException("word " + index + " of the vocabulary must be non-empty and hold no "
                        + "whitespace, got " + (word == null ? "null" : "'" + word + "'"));
            }
            vocab.putIfAbsent(word, vocab.size());
            index++;
        }
        return vocab;
    }

    private static ObjectNode tokenizerJson(Map<String, Integer> vocab) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String special : SPECIAL_TOKENS) {
            ObjectNode token = added.addObject();
            token.put("id", vocab.get(special));
            token.put("content", special);
            token.put("single_word", false);
            token.put("lstrip", false);
            token.put("rstrip", false);
            token.put("normalized", false);
            token.put("special", true);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
        root.set("post_processor", bosTemplate(vocab.get(BOS)));
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode ids = model.putObject("vocab");
        vocab.forEach(ids::put);
        model.put("unk_token", UNK);
        return root;
    }

    /** TemplateProcessing "<s> $A" for one text and "<s> $A <s> $B" for a pair, as Llama's. */
    private static ObjectNode bosTemplate(int bosId) {
        ObjectNode processor = JSON.createObjectNode();
        processor.put("type", "TemplateProcessing");
        ArrayNode single = processor.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = processor.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode bos = processor.putObject("special_tokens").putObject(BOS);
        bos.put("id", BOS);
        bos.putArray("ids").add(bosId);
        bos.putArray("tokens").add(BOS);
        return processor;
    }

    private static ObjectNode tokenizerConfig(int modelMaxLength) {
        ObjectNode config = JSON.createObjectNode();
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        config.put("bos_token", BOS);
        config.put("eos_token", EOS);
        config.put("pad_token", PAD);
        config.put("unk_token", UNK);
        config.put("model_max_length", modelMaxLength);
        config.put("clean_up_tokenization_spaces", false);
        return config;
    }
}
