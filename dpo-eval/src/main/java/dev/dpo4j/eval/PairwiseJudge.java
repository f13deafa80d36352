package dev.dpo4j.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.chat.ChatException;
import dev.dpo4j.core.chat.ChatModel;
import dev.dpo4j.core.chat.ChatRequest;
import dev.dpo4j.core.chat.ChatResponse;
import dev.dpo4j.core.chat.ResponseFormat;
import dev.dpo4j.data.synth.QuestionWriter;
import dev.dpo4j.data.synth.StableHash;
import dev.dpo4j.data.synth.SynthConfig;
import dev.dpo4j.data.synth.SynthPrompts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Asks the judge which of two responses to one instruction is better, as MT-Bench's pairwise
 * judge does (Zheng et al. 2023, "Judging LLM-as-a-Judge with MT-Bench and Chatbot Arena").
 * The prompt is the resource {@code dev/dpo4j/eval/pairwise.txt} (placeholders
 * {@code {{instruction}}}, {@code {{response_a}}}, {@code {{response_b}}}), the answer a strict
 * {@code json_schema} named {@code pairwise_verdict} ({@code {"reason", "winner"}}), sampled with
 * the judge temperature and a seed derived from the run seed and the request's content, so a
 * rerun sends the identical request.
 *
 * <p>LLM judges favour the position shown first; the evaluator therefore asks each pair in both
 * orders and combines the two verdicts with {@link #outcome(Verdict, Verdict)}: a win only when
 * both orders prefer the same contender, otherwise a tie. A judge that always picks the first
 * position thus gives only ties.
 */
public final class PairwiseJudge {

    /** The {@code response_format} name of the judge's answer. */
    public static final String FORMAT_NAME = "pairwise_verdict";

    private static final String TEMPLATE = resource("pairwise.txt");
    private static final JsonNode SCHEMA = schema(resource("pairwise_verdict.schema.json"));

    /** The result of one item from the first contender's point of view. */
    public enum Outcome {
        /** Both orders preferred the first contender. */
        WIN,
        /** Both orders preferred the second contender. */
        LOSS,
        /** Anything else: a tie in either order, or the two orders disagreeing. */
        TIE
    }

    private final ChatModel judge;
    private final SynthConfig config;

    /**
     * @param judge the judge model
     * @param config the judge's sampling (temperature, max tokens) and the run seed
     */
    public PairwiseJudge(ChatModel judge, SynthConfig config) {
        this.judge = Objects.requireNonNull(judge, "judge");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * The prompt template, {@code dev/dpo4j/eval/pairwise.txt}.
     *
     * @return the template text, with {@code {{instruction}}}, {@code {{response_a}}} and {@code {{response_b}}}
     */
    public static String template() {
        return TEMPLATE;
    }

    /**
     * The request comparing two responses, {@code first} shown as "Response A".
     *
     * @param instruction the instruction both responses answer
     * @param first the response shown first
     * @param second the response shown second
     * @return the request
     */
    public ChatRequest request(String instruction, String first, String second) {
        String prompt = SynthPrompts.render(TEMPLATE,
                Map.of("instruction", instruction, "response_a", first, "response_b", second));
        ChatRequest.Builder b = ChatRequest.user(prompt)
                .optTemperature(config.judgeTemperature())
                .optSeed(QuestionWriter.seed(config.seed(), "pairwise", StableHash.sha256Hex(instruction, first, second), 0))
                .optResponseFormat(ResponseFormat.jsonSchema(FORMAT_NAME, SCHEMA));
        if (config.judgeMaxTokens() != null) {
            b.optMaxTokens(config.judgeMaxTokens());
        }
        return b.build();
    }

    /**
     * Sends the request and parses the verdict.
     *
     * @param instruction the instruction
     * @param first the response shown first
     * @param second the response shown second
     * @return the verdict, in positions
     * @throws ChatException when the request fails for good or the answer is not a verdict
     */
    public Verdict judge(String instruction, String first, String second) {
        return parse(judge.chat(request(instruction, first, second)));
    }

    /**
     * Reads a verdict from the judge's answer.
     *
     * @param response the answer
     * @return the verdict
     * @throws ChatException of kind {@link ChatException.Kind#UNPARSEABLE_OUTPUT} when it holds no
     *     {@code winner} of A, B or tie
     */
    public Verdict parse(ChatResponse response) {
        try {
            return Verdict.fromJson(response.json());
        } catch (IllegalArgumentException e) {
            throw new ChatException(ChatException.Kind.UNPARSEABLE_OUTPUT, "invalid pairwise verdict: " + e.getMessage());
        }
    }

    /**
     * Combines the two orders' verdicts (MT-Bench's rule).
     *
     * @param aFirst the verdict with contender A shown first
     * @param bFirst the verdict with contender B shown first
     * @return WIN when both prefer A, LOSS when both prefer B, TIE otherwise
     */
    public static Outcome outcome(Verdict aFirst, Verdict bFirst) {
        if (aFirst.winner() == Verdict.Winner.A && bFirst.winner() == Verdict.Winner.B) {
            return Outcome.WIN;
        }
        if (aFirst.winner() == Verdict.Winner.B && bFirst.winner() == Verdict.Winner.A) {
            return Outcome.LOSS;
        }
        return Outcome.TIE;
    }

    /**
     * Whether the orders contradict each other: one prefers contender A and the other contender
     * B, that is both picked the same position. Such an item counts as a tie.
     *
     * @param aFirst the verdict with contender A shown first
     * @param bFirst the verdict with contender B shown first
     * @return true when both orders picked the same position
     */
    public static boolean inconsistent(Verdict aFirst, Verdict bFirst) {
        return aFirst.winner() != Verdict.Winner.TIE && aFirst.winner() == bFirst.winner();
    }

    /**
     * A digest of the prompt template and schema, recorded with a run so that a rerun with other
     * prompts is detected.
     *
     * @return 64 hex digits
     */
    public static String fingerprint() {
        return StableHash.sha256Hex(TEMPLATE, SCHEMA.toString());
    }

    private static String resource(String name) {
        try (InputStream in = PairwiseJudge.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource dev/dpo4j/eval/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource dev/dpo4j/eval/" + name, e);
        }
    }

    private static JsonNode schema(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("resource pairwise_verdict.schema.json is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
