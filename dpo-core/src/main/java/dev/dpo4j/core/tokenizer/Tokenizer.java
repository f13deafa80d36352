package dev.dpo4j.core.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * A Hugging Face tokenizer loaded from a model directory: DJL's {@link HuggingFaceTokenizer} over
 * {@code tokenizer.json}, plus the special tokens and chat template the other tokenizer files
 * define (see {@link #load(Path)}).
 *
 * <p>Unlike DJL's default, which silently truncates every input to 512 tokens, this tokenizer never
 * truncates and never pads: long articles keep every token, and batching is the caller's business.
 *
 * <p>Special tokens follow {@code transformers}: when {@code tokenizer_config.json} states
 * {@code add_bos_token} / {@code add_eos_token} (Llama- and Gemma-style tokenizers), those flags
 * decide what {@code encode(text, true)} adds, as {@code LlamaTokenizerFast} rebuilds its
 * post-processor from them; otherwise the post-processor in {@code tokenizer.json} decides.
 *
 * <p>Close it to free the native tokenizer.
 */
public final class Tokenizer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path modelDir;
    private final HuggingFaceTokenizer hf;
    private final TokenizerSettings settings;
    private final Map<String, Long> tokenIds;
    private final int vocabSize;
    private final boolean explicitSpecialFlags;
    private final boolean addBos;
    private final boolean addEos;
    private final ChatTemplate chatTemplate;

    private Tokenizer(Path modelDir, HuggingFaceTokenizer hf, TokenizerSettings settings,
            Map<String, Long> tokenIds, int vocabSize) {
        this.modelDir = modelDir;
        this.hf = hf;
        this.settings = settings;
        this.tokenIds = tokenIds;
        this.vocabSize = vocabSize;
        this.explicitSpecialFlags = settings.addBosToken() != null || settings.addEosToken() != null;
        long[] probe = hf.encode("a", true, false).getIds();
        OptionalLong bos = bosTokenId();
        OptionalLong eos = settings.eosToken() == null ? OptionalLong.empty() : findTokenId(settings.eosToken());
        boolean postProcessorAddsBos = bos.isPresent() && probe.length > 0 && probe[0] == bos.getAsLong();
        boolean postProcessorAddsEos = eos.isPresent() && probe.length > 0 && probe[probe.length - 1] == eos.getAsLong();
        this.addBos = settings.addBosToken() != null ? settings.addBosToken() : postProcessorAddsBos;
        this.addEos = settings.addEosToken() != null ? settings.addEosToken() : postProcessorAddsEos;
        this.chatTemplate = settings.chatTemplate() == null ? null
                : ChatTemplate.of(settings.chatTemplate(), settings.bosToken(), eosToken());
    }

    /**
     * Loads the tokenizer of a Hugging Face model directory. Reads {@code tokenizer.json}
     * (required) and, where present, {@code tokenizer_config.json}, {@code special_tokens_map.json},
     * {@code chat_template.jinja}, {@code generation_config.json} and {@code config.json}.
     *
     * @param modelDir the directory
     * @return the tokenizer
     * @throws IllegalArgumentException when the directory or its {@code tokenizer.json} is missing
     * @throws UncheckedIOException when a file cannot be read or parsed
     */
    public static Tokenizer load(Path modelDir) {
        Path tokenizerJson = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("No tokenizer.json in " + modelDir.toAbsolutePath()
                    + " (dpo4j needs the fast-tokenizer file that Hugging Face saves as tokenizer.json)");
        }
        TokenizerSettings settings = TokenizerSettings.load(modelDir);
        Map<String, Long> ids = new HashMap<>();
        Set<Long> distinct = new HashSet<>();
        try {
            JsonNode root = JSON.readTree(tokenizerJson.toFile());
            JsonNode vocab = root.path("model").path("vocab");
            if (vocab.isObject()) {
                vocab.fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asLong()));
            } else if (vocab.isArray()) {
                for (int i = 0; i < vocab.size(); i++) {
                    ids.put(vocab.get(i).path(0).asText(), (long) i);
                }
            }
            for (JsonNode added : root.path("added_tokens")) {
                ids.put(added.path("content").asText(), added.path("id").asLong());
            }
            distinct.addAll(ids.values());
            HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(modelDir)
                    .optTruncation(false)
                    .optPadding(false)
                    .optAddSpecialTokens(true)
                    .build();
            return new Tokenizer(modelDir, hf, settings, Map.copyOf(ids), distinct.size());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load " + tokenizerJson.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Encodes text. Never truncates, never pads.
     *
     * @param text the text; special-token text in it (such as {@code <s>}) becomes the special token
     * @param addSpecialTokens whether to add the BOS/EOS tokens the tokenizer adds by default
     * @return the token ids
     */
    public long[] encode(String text, boolean addSpecialTokens) {
        if (!addSpecialTokens || !explicitSpecialFlags) {
            return hf.encode(text, addSpecialTokens, false).getIds();
        }
        LongStream ids = Arrays.stream(hf.encode(text, false, false).getIds());
        if (addBos && bosTokenId().isPresent()) {
            ids = LongStream.concat(LongStream.of(bosTokenId().getAsLong()), ids);
        }
        if (addEos && eosTokenIds().length > 0) {
            ids = LongStream.concat(ids, LongStream.of(primaryEosId()));
        }
        return ids.toArray();
    }

    /**
     * Decodes token ids to text.
     *
     * @param ids the token ids
     * @param skipSpecialTokens whether special tokens ({@code <s>}, {@code </s>}, …) are left out
     * @return the text
     */
    public String decode(long[] ids, boolean skipSpecialTokens) {
        return hf.decode(ids, skipSpecialTokens);
    }

    /**
     * Encodes a prompt and its completion with an exact boundary, as TRL's DPO trainer does.
     *
     * <p>The two halves are encoded separately rather than as one text split afterwards, because
     * tokens merge across the boundary: encoding {@code "…Answer:" + " Paris"} as one string may
     * yield a token that spans both, and then no position separates prompt from completion. The
     * prompt is encoded with the tokenizer's special tokens (a BOS where it adds one); the
     * completion is encoded without special tokens and, when {@code appendEos}, followed by the EOS
     * id. With SentencePiece tokenizers that prepend {@code ▁} (Llama, TinyLlama) the completion
     * therefore starts with a word-boundary marker, exactly as in TRL.
     *
     * <p>A prompt produced by a chat template that already starts with the BOS text (Llama 2/3,
     * Mistral, Gemma templates write {@code {{ bos_token }}}) is encoded without special tokens, so
     * the sequence carries one BOS, not two.
     *
     * @param prompt the prompt text
     * @param completion the completion text
     * @param appendEos whether to end the completion with the EOS token
     * @return prompt ids and completion ids
     * @throws IllegalStateException when {@code appendEos} is set and the tokenizer has no EOS token
     */
    public EncodedPair encodePair(String prompt, String completion, boolean appendEos) {
        return new EncodedPair(encodePrompt(prompt), encodeCompletion(completion, appendEos));
    }

    /**
     * Encodes a prompt as {@link #encodePair} does: with the tokenizer's special tokens, unless the
     * text already starts with the BOS text (a rendered chat template), so it carries one BOS.
     *
     * @param prompt the prompt text
     * @return its ids
     */
    public long[] encodePrompt(String prompt) {
        String bos = bosToken();
        boolean promptHasBos = bos != null && !bos.isEmpty() && prompt.startsWith(bos);
        return encode(prompt, !promptHasBos);
    }

    /**
     * Encodes a completion as {@link #encodePair} does: without special tokens, optionally followed
     * by the EOS id.
     *
     * @param completion the completion text
     * @param appendEos whether to end with the EOS token
     * @return its ids
     * @throws IllegalStateException when {@code appendEos} is set and the tokenizer has no EOS token
     */
    public long[] encodeCompletion(String completion, boolean appendEos) {
        long[] ids = encode(completion, false);
        if (appendEos) {
            if (eosTokenIds().length == 0) {
                throw new IllegalStateException("Tokenizer in " + modelDir.toAbsolutePath()
                        + " has no EOS token; cannot append one to the completion");
            }
            ids = Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = primaryEosId();
        }
        return ids;
    }

    /**
     * The BOS token id: the id of the BOS text, else {@code generation_config.json}'s, else
     * {@code config.json}'s {@code bos_token_id}.
     *
     * @return the id, or empty when the model has no BOS token
     */
    public OptionalLong bosTokenId() {
        if (settings.bosToken() != null) {
            OptionalLong id = findTokenId(settings.bosToken());
            if (id.isPresent()) {
                return id;
            }
        }
        if (settings.generationBosId() != null) {
            return OptionalLong.of(settings.generationBosId());
        }
        return settings.configBosId() == null ? OptionalLong.empty() : OptionalLong.of(settings.configBosId());
    }

    /**
     * The BOS token text.
     *
     * @return the text (for example {@code <s>}), or null when the model has none
     */
    public String bosToken() {
        return settings.bosToken();
    }

    /**
     * Every id that ends generation: {@code generation_config.json}'s {@code eos_token_id} (an int
     * or a list) together with the tokenizer's EOS token; {@code config.json}'s ids when neither exists.
     *
     * @return the EOS ids, the tokenizer's own EOS first; empty when there is none
     */
    public long[] eosTokenIds() {
        Set<Long> ids = new LinkedHashSet<>();
        if (settings.eosToken() != null) {
            findTokenId(settings.eosToken()).ifPresent(ids::add);
        }
        ids.addAll(settings.generationEosIds());
        if (ids.isEmpty()) {
            ids.addAll(settings.configEosIds());
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The EOS token text: from the tokenizer files, else the text of the first EOS id.
     *
     * @return the text (for example {@code </s>}), or null when the model has no EOS token
     */
    public String eosToken() {
        if (settings.eosToken() != null) {
            return settings.eosToken();
        }
        long[] ids = eosTokenIds();
        return ids.length == 0 ? null : decode(new long[] {ids[0]}, false);
    }

    /**
     * The padding token id: the id of the pad text, else {@code generation_config.json}'s, else
     * {@code config.json}'s {@code pad_token_id}.
     *
     * @return the id, or empty when none is defined
     */
    public OptionalLong padTokenId() {
        if (settings.padToken() != null) {
            OptionalLong id = findTokenId(settings.padToken());
            if (id.isPresent()) {
                return id;
            }
        }
        if (settings.generationPadId() != null) {
            return OptionalLong.of(settings.generationPadId());
        }
        return settings.configPadId() == null ? OptionalLong.empty() : OptionalLong.of(settings.configPadId());
    }

    /**
     * The number of distinct token ids: the model vocabulary plus added tokens that are not in it
     * (Hugging Face's {@code len(tokenizer)}).
     *
     * @return the vocabulary size
     */
    public int vocabSize() {
        return vocabSize;
    }

    /**
     * The id of a token (a vocabulary entry such as {@code ▁Paris} or an added token such as {@code </s>}).
     *
     * @param token the token text, as it appears in {@code tokenizer.json}
     * @return the id
     * @throws IllegalArgumentException when the token is not in the vocabulary
     */
    public long tokenToId(String token) {
        return findTokenId(token).orElseThrow(() -> new IllegalArgumentException(
                "Token '" + token + "' is not in the vocabulary of " + modelDir.resolve("tokenizer.json")));
    }

    /**
     * The id of a token, if the vocabulary has it.
     *
     * @param token the token text, as it appears in {@code tokenizer.json}
     * @return the id, or empty
     */
    public OptionalLong findTokenId(String token) {
        Long id = tokenIds.get(token);
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /**
     * The model's chat template, if it has one.
     *
     * @return the template, with this tokenizer's BOS and EOS text
     */
    public Optional<ChatTemplate> chatTemplate() {
        return Optional.ofNullable(chatTemplate);
    }

    /**
     * Renders a conversation with the model's chat template.
     *
     * @param messages the conversation
     * @param addGenerationPrompt whether to end with the header of an assistant turn
     * @return the prompt text
     * @throws IllegalStateException when the model has no chat template
     * @throws ChatTemplateException when the template raises or fails
     */
    public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return applyChatTemplate(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders a conversation with the model's chat template and extra template variables
     * ({@code apply_chat_template(..., **kwargs)}, e.g. Qwen3's {@code enable_thinking}).
     *
     * @param messages the conversation
     * @param addGenerationPrompt whether to end with the header of an assistant turn
     * @param variables more template variables
     * @return the prompt text
     * @throws IllegalStateException when the model has no chat template
     * @throws ChatTemplateException when the template raises or fails
     */
    public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> variables) {
        if (chatTemplate == null) {
            throw new IllegalStateException("The tokenizer in " + modelDir.toAbsolutePath()
                    + " has no chat template (none in chat_template.jinja or tokenizer_config.json)");
        }
        return chatTemplate.render(messages, addGenerationPrompt, variables);
    }

    /** Frees the native tokenizer. */
    @Override
    public void close() {
        hf.close();
    }

    private long primaryEosId() {
        return eosTokenIds()[0];
    }
}
