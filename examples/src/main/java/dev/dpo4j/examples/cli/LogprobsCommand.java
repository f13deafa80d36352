package dev.dpo4j.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.CausalLm;
import dev.dpo4j.core.io.JsonlRow;
import dev.dpo4j.core.io.JsonlWriter;
import dev.dpo4j.core.score.CompletionScore;
import dev.dpo4j.core.score.LogProbScorer;
import dev.dpo4j.core.score.ScoringRequest;
import dev.dpo4j.core.util.ProgressBar;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpo4j logprobs}: scores completions given prompts. Rows
 * {@code {"prompt_ids":[…],"completion_ids":[…]}} give {@code {"logprob":…,"token_logprobs":[…]}};
 * text rows ({@code prompt} or {@code messages}, plus {@code completion}) are tokenized with exact
 * prompt/completion boundaries first.
 */
@Command(name = "logprobs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score completions: log p(completion | prompt), summed and per token.",
            "Input rows: {\"prompt_ids\":[...],\"completion_ids\":[...]} or {\"prompt\":\"text\",\"completion\":\"text\"} "
                + "(or chat {\"messages\":[...],\"completion\":\"text\"}).",
            "Output rows, same order: {\"logprob\":x,\"token_logprobs\":[...]} (text rows add \"num_tokens\")."})
final class LogprobsCommand extends ModelCommand {
    @Option(names = "--append-eos", description = "Text rows: end the completion with the EOS token.")
    boolean appendEos;

    @Override
    public Integer call() throws Exception {
        List<JsonlRow> rows = readRows();
        long done = rowsDone();
        try (CausalLm lm = loadModel();
             JsonlWriter out = openOutput(done);
             ProgressBar bar = new ProgressBar("logprobs", rows.size() - done, "rows")) {
            List<ScoringRequest> requests = new ArrayList<>();
            for (JsonlRow row : rows) {
                requests.add(request(row, lm)); // validate every row before any work
            }
            LogProbScorer scorer = lm.scorer();
            for (int from = (int) done; from < rows.size(); from += batchSize) {
                int to = Math.min(rows.size(), from + batchSize);
                List<CompletionScore> scores = scorer.score(requests.subList(from, to), batchSize);
                for (int i = from; i < to; i++) {
                    out.write(outputRow(scores.get(i - from), !PromptRows.isIdRow(rows.get(i))));
                }
                bar.step(to - from);
            }
        }
        return 0;
    }

    private ScoringRequest request(JsonlRow row, CausalLm lm) {
        if (PromptRows.isIdRow(row)) {
            long[] prompt = PromptRows.promptIds(row, lm);
            long[] completion = row.longArray("completion_ids");
            PromptRows.checkIds(row, "completion_ids", completion, lm);
            if (prompt.length == 0) {
                throw row.error("'prompt_ids' is empty: the first completion token needs a context (e.g. BOS)");
            }
            return new ScoringRequest(prompt, completion);
        }
        String completion = row.requireText("completion");
        long[] prompt = PromptRows.promptIds(row, lm);
        long[] completionIds = PromptRows.tokenizer(row, lm).encodeCompletion(completion, appendEos);
        PromptRows.checkIds(row, "completion", completionIds, lm);
        return new ScoringRequest(prompt, completionIds);
    }

    private static ObjectNode outputRow(CompletionScore s, boolean text) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("logprob", s.logprob());
        ArrayNode tokens = o.putArray("token_logprobs");
        for (float v : s.tokenLogprobs()) {
            tokens.add(v);
        }
        if (text) {
            o.put("num_tokens", s.tokenLogprobs().length);
        }
        return o;
    }
}
