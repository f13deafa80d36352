package dev.dpo4j.core.chat;

import ai.djl.Device;
import dev.dpo4j.core.CausalLm;
import dev.dpo4j.core.model.LoadOptions;
import dev.dpo4j.core.generate.FinishReason;
import dev.dpo4j.core.generate.Generation;
import dev.dpo4j.core.generate.GenerationConfig;
import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.core.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A {@link ChatModel} answered by a local DJL model: the messages are rendered with the model's
 * chat template (with the generation prompt) and continued with the KV-cache generator. Models
 * without a chat template (base models such as stories260K) see the message contents joined by a
 * blank line, as a plain-text prompt.
 *
 * <p>Request fields map onto {@link GenerationConfig}: {@code temperature} (unset = 1.0, as the
 * OpenAI API; 0 = greedy), {@code top_p}, {@code max_tokens} (unset = the builder's default),
 * {@code seed} (unset = 0, so answers are reproducible), {@code stop} (the stop string is cut from
 * the answer, as OpenAI does), {@code n} (the prompt is generated {@code n} times in one batch).
 * {@code response_format} cannot be enforced by plain sampling and is ignored; callers parse the
 * answer with {@link JsonReplies}, which fails with {@link ChatException.Kind#UNPARSEABLE_OUTPUT}
 * when the model wrote no JSON.
 *
 * <p>A prompt longer than the model's context ({@code max_position_embeddings} minus
 * {@code max_tokens}) keeps its first token (BOS) and its last tokens; the tokens cut are counted in
 * {@link #truncatedPrompts()}. Requests are answered one at a time ({@link #maxConcurrency()} is 1):
 * one model on one device gains nothing from concurrent callers.
 */
public final class LocalChatModel implements ChatModel {

    private final CausalLm lm;
    private final Tokenizer tokenizer;
    private final String name;
    private final int defaultMaxTokens;
    private final boolean ownsModel;
    private long truncatedPrompts;

    private LocalChatModel(CausalLm lm, String name, int defaultMaxTokens, boolean ownsModel) {
        this.lm = lm;
        this.tokenizer = lm.tokenizer().orElseThrow(() -> new IllegalArgumentException(
                lm.directory() + " has no tokenizer.json: a chat model needs a tokenizer"));
        this.name = name;
        this.defaultMaxTokens = defaultMaxTokens;
        this.ownsModel = ownsModel;
    }

    /**
     * Wraps a loaded model; closing the chat model leaves the model open.
     *
     * @param lm the model, with a tokenizer
     * @param defaultMaxTokens the most new tokens when a request does not set {@code max_tokens}
     * @return the chat model
     * @throws IllegalArgumentException when the model has no tokenizer
     */
    public static LocalChatModel of(CausalLm lm, int defaultMaxTokens) {
        Objects.requireNonNull(lm, "lm");
        return new LocalChatModel(lm, lm.directory().getFileName().toString(), checkMax(defaultMaxTokens), false);
    }

    /**
     * Wraps a loaded model under a name that says what it is (a report's contender: {@code base DIR},
     * {@code base DIR + adapter DIR}); closing the chat model leaves the model open.
     *
     * @param lm the model, with a tokenizer
     * @param defaultMaxTokens the most new tokens when a request does not set {@code max_tokens}
     * @param name what the model is
     * @return the chat model
     * @throws IllegalArgumentException when the model has no tokenizer
     */
    public static LocalChatModel of(CausalLm lm, int defaultMaxTokens, String name) {
        Objects.requireNonNull(lm, "lm");
        return new LocalChatModel(lm, Objects.requireNonNull(name, "name"), checkMax(defaultMaxTokens), false);
    }

    /**
     * Loads a model from a directory or Hub reference; closing the chat model closes the model.
     *
     * @param refOrDirectory a local model directory or a Hub model id
     * @param defaultMaxTokens the most new tokens when a request does not set {@code max_tokens}
     * @return the chat model
     */
    public static LocalChatModel load(String refOrDirectory, int defaultMaxTokens) {
        return load(refOrDirectory, Device.cpu(), defaultMaxTokens);
    }

    /**
     * Loads a model onto a device; closing the chat model closes the model.
     *
     * @param refOrDirectory a local model directory or a Hub model id (also the chat model's name)
     * @param device where the model runs
     * @param defaultMaxTokens the most new tokens when a request does not set {@code max_tokens}
     * @return the chat model
     */
    public static LocalChatModel load(String refOrDirectory, Device device, int defaultMaxTokens) {
        return load(refOrDirectory, device, LoadOptions.FLOAT32, defaultMaxTokens);
    }

    /**
     * Loads a model onto a device with a precision and, optionally, a quantized base; closing the chat
     * model closes the model.
     *
     * @param refOrDirectory a local model directory or a Hub model id (also the chat model's name)
     * @param device where the model runs
     * @param options dtype and quantization
     * @param defaultMaxTokens the most new tokens when a request does not set {@code max_tokens}
     * @return the chat model
     */
    public static LocalChatModel load(String refOrDirectory, Device device, LoadOptions options,
                                      int defaultMaxTokens) {
        CausalLm lm = CausalLm.load(refOrDirectory, device, options);
        try {
            return new LocalChatModel(lm, refOrDirectory, checkMax(defaultMaxTokens), true);
        } catch (RuntimeException e) {
            lm.close();
            throw e;
        }
    }

    private static int checkMax(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("defaultMaxTokens must be >= 1, got " + value);
        }
        return value;
    }

    @Override
    public synchronized ChatResponse chat(ChatRequest request) {
        int maxTokens = request.maxTokens() == null ? defaultMaxTokens : request.maxTokens();
        long[] prompt = fitToContext(promptIds(request.messages()), maxTokens);
        GenerationConfig config = GenerationConfig.builder()
                .maxNewTokens(maxTokens)
                .temperature(request.temperature() == null ? 1.0 : request.temperature())
                .topP(request.topP() == null ? 1.0 : request.topP())
                .seed(request.seed() == null ? 0L : request.seed())
                .stopStrings(request.stop())
                .stopOnEos(true)
                .useCache(true)
                .build();
        List<Generation> generations = lm.generator()
                .generate(Collections.nCopies(request.choiceCount(), prompt), config);
        List<ChatChoice> choices = new ArrayList<>(generations.size());
        long completionTokens = 0;
        for (Generation g : generations) {
            completionTokens += g.tokens().length;
            String text = cutAtStop(tokenizer.decode(g.tokens(), true), request.stop());
            choices.add(new ChatChoice(text, finishReason(g.finishReason())));
        }
        return new ChatResponse(name, choices, new TokenUsage(prompt.length, completionTokens), false);
    }

    private long[] promptIds(List<ChatMessage> messages) {
        if (tokenizer.chatTemplate().isPresent()) {
            return tokenizer.encodePrompt(tokenizer.applyChatTemplate(messages, true));
        }
        StringBuilder text = new StringBuilder();
        for (ChatMessage m : messages) {
            if (text.length() > 0) {
                text.append("\n\n");
            }
            text.append(m.content());
        }
        long[] ids = tokenizer.encodePrompt(text.toString());
        if (ids.length == 0 && tokenizer.bosTokenId().isPresent()) {
            ids = new long[] {tokenizer.bosTokenId().getAsLong()};
        }
        return ids;
    }

    /** Keeps the first token and the last ones so that prompt + new tokens fit the context. */
    private long[] fitToContext(long[] ids, int maxTokens) {
        int budget = lm.model().config().maxPositionEmbeddings() - maxTokens;
        if (budget < 2) {
            throw new IllegalArgumentException("max_tokens " + maxTokens + " leaves no room for a prompt in "
                    + name + "'s context of " + lm.model().config().maxPositionEmbeddings() + " tokens");
        }
        if (ids.length <= budget) {
            return ids;
        }
        truncatedPrompts++;
        long[] kept = new long[budget];
        kept[0] = ids[0];
        System.arraycopy(ids, ids.length - (budget - 1), kept, 1, budget - 1);
        return kept;
    }

    private static String cutAtStop(String text, List<String> stops) {
        int cut = text.length();
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        return text.substring(0, cut);
    }

    private static String finishReason(FinishReason reason) {
        return reason == FinishReason.LENGTH ? "length" : "stop";
    }

    /**
     * How many prompts were cut to fit the model's context so far.
     *
     * @return the count
     */
    public synchronized long truncatedPrompts() {
        return truncatedPrompts;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        if (ownsModel) {
            lm.close();
        }
    }

    @Override
    public String toString() {
        return "LocalChatModel[" + name + ", max_tokens " + defaultMaxTokens + "]";
    }
}
