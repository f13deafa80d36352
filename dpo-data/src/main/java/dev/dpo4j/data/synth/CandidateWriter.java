package dev.dpo4j.data.synth;

import dev.dpo4j.core.chat.ChatException;
import dev.dpo4j.core.chat.ChatModel;
import dev.dpo4j.core.chat.ChatRequest;
import dev.dpo4j.core.chat.ChatResponse;
import java.util.Objects;

/**
 * Asks the base model for candidate summaries: one free-text request (no
 * {@code response_format}) per article and index {@code k}, with the configured temperature,
 * top_p and max tokens, and the seed {@link #seedFor(long, String, int)} so that the K requests
 * of an article differ only in their seed and a rerun sends the identical request.
 */
public final class CandidateWriter {

    private final ChatModel base;
    private final SynthConfig config;

    /**
     * @param base the base model
     * @param config the run settings (summarization template, sampling, seed)
     */
    public CandidateWriter(ChatModel base, SynthConfig config) {
        this.base = Objects.requireNonNull(base, "base");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * The summarization instruction with the article: the user message of every summary request
     * and the prompt of the training rows.
     *
     * @param article the article
     * @return the prompt text
     */
    public String prompt(Article article) {
        return config.prompts().summarizePrompt(article);
    }

    /**
     * The request for candidate {@code k}.
     *
     * @param article the article
     * @param k the candidate index, 0-based
     * @return the request
     */
    public ChatRequest request(Article article, int k) {
        ChatRequest.Builder b = ChatRequest.user(prompt(article))
                .optTemperature(config.temperature())
                .optMaxTokens(config.maxTokens())
                .optSeed(seedFor(config.seed(), article.id(), k));
        if (config.topP() != null) {
            b.optTopP(config.topP());
        }
        return b.build();
    }

    /**
     * Sends the request for candidate {@code k}.
     *
     * @param article the article
     * @param k the candidate index
     * @return the summary
     * @throws ChatException when the request fails for good, or of kind
     *     {@link ChatException.Kind#UNPARSEABLE_OUTPUT} when the answer is empty
     */
    public Summary write(Article article, int k) {
        return parse(article.id(), k, base.chat(request(article, k)));
    }

    /**
     * Reads the summary from an answer.
     *
     * @param articleId the article's id
     * @param k the candidate index
     * @param response the answer
     * @return the summary, stripped of surrounding white space
     * @throws ChatException of kind {@link ChatException.Kind#UNPARSEABLE_OUTPUT} when it is blank
     */
    public Summary parse(String articleId, int k, ChatResponse response) {
        String text = response.text().strip();
        if (text.isEmpty()) {
            throw new ChatException(ChatException.Kind.UNPARSEABLE_OUTPUT, "the model answered an empty summary");
        }
        return new Summary(articleId, k, text, base.name());
    }

    /**
     * The sampling seed of candidate {@code k} of an article.
     *
     * @param runSeed the run seed
     * @param articleId the article's id
     * @param k the candidate index
     * @return a seed in {@code [0, 2^31)}
     */
    public static long seedFor(long runSeed, String articleId, int k) {
        return QuestionWriter.seed(runSeed, "summary", articleId, k);
    }
}
