package dev.dpo4j.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.CausalLm;
import dev.dpo4j.core.generate.Generation;
import dev.dpo4j.core.generate.GenerationConfig;
import dev.dpo4j.core.generate.Generator;
import dev.dpo4j.core.io.JsonlRow;
import dev.dpo4j.core.io.JsonlWriter;
import dev.dpo4j.core.util.ProgressBar;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpo4j generate}: continues prompts. Rows {@code {"prompt_ids":[…]}} give
 * {@code {"completion_ids":[…]}} (new tokens only); text rows ({@code prompt} or chat {@code messages})
 * give the decoded {@code completion} as well.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate continuations of prompts with the KV cache (greedy or sampled).",
            "Input rows: {\"prompt_ids\":[...]} -> {\"completion_ids\":[...]}, or {\"prompt\":\"text\"} / "
                + "{\"messages\":[{\"role\":..,\"content\":..}]} -> {\"completion\":\"text\",\"completion_ids\":[...],"
                + "\"finish_reason\":..}."})
final class GenerateCommand extends ModelCommand {
    @Option(names = "--max-new-tokens", defaultValue = "128", description = "Tokens to generate at most (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy; else sampling temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "Sample among the k most likely tokens; 0 = off.")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass; 1 = off.")
    double topP;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed for sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--stop", split = ",", description = "Stop strings (repeat or comma-separate).")
    List<String> stop = new ArrayList<>();

    /** When an end-of-sequence token ends a row. */
    enum EosMode {
        /** Text rows stop at EOS (kept in the ids); token-id rows run for --max-new-tokens. */
        auto,
        /** Every row stops at EOS. */
        stop,
        /** No row stops at EOS. */
        ignore
    }

    @Option(names = "--eos", defaultValue = "auto",
            description = "auto (default): text rows stop at an EOS token, token-id rows always generate "
                    + "--max-new-tokens tokens, as a fixed-length reference loop does; stop: every row stops at EOS; "
                    + "ignore: none does.")
    EosMode eos;

    @Option(names = "--ignore-eos", description = "Same as --eos ignore.")
    boolean ignoreEos;

    @Option(names = "--no-cache", description = "Recompute the whole sequence per token (slow; for comparison).")
    boolean noCache;

    @Override
    public Integer call() throws Exception {
        List<JsonlRow> rows = readRows();
        EosMode mode = ignoreEos ? EosMode.ignore : eos;
        boolean idRows = !rows.isEmpty() && PromptRows.isIdRow(rows.get(0));
        boolean stopOnEos = mode == EosMode.stop || (mode == EosMode.auto && !idRows);
        GenerationConfig cfg = GenerationConfig.builder().maxNewTokens(maxNewTokens).temperature(temperature)
                .topK(topK).topP(topP).seed(seed).stopStrings(stop).stopOnEos(stopOnEos).useCache(!noCache).build();
        long done = rowsDone();
        try (CausalLm lm = loadModel();
             JsonlWriter out = openOutput(done);
             ProgressBar bar = new ProgressBar("generate", rows.size() - done, "rows")) {
            List<long[]> prompts = new ArrayList<>();
            for (JsonlRow row : rows) {
                prompts.add(PromptRows.promptIds(row, lm)); // validate every row before any work
            }
            Generator generator = lm.generator();
            long tokens = 0;
            long start = System.nanoTime();
            String preview = null;
            for (int from = (int) done; from < rows.size(); from += batchSize) {
                int to = Math.min(rows.size(), from + batchSize);
                List<Generation> gens = generator.generate(prompts.subList(from, to), cfg);
                for (int i = from; i < to; i++) {
                    Generation g = gens.get(i - from);
                    ObjectNode row = outputRow(rows.get(i), g, lm);
                    out.write(row);
                    tokens += g.tokens().length;
                    if (preview == null && row.has("completion")) {
                        preview = row.get("completion").asText();
                    }
                }
                bar.step(to - from);
                double secs = (System.nanoTime() - start) / 1e9;
                bar.setExtra(String.format(Locale.ROOT, "%.1f tok/s", tokens / Math.max(secs, 1e-9)));
            }
            bar.close();
            double secs = (System.nanoTime() - start) / 1e9;
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.printf(Locale.ROOT, "%-8s %-10s %-8s %s%n", "rows", "new tokens", "tok/s", "output");
            stdout.printf(Locale.ROOT, "%-8d %-10d %-8.1f %s%n", rows.size() - done, tokens,
                    tokens / Math.max(secs, 1e-9), output);
            if (preview != null) {
                stdout.println();
                stdout.println(preview.length() > 600 ? preview.substring(0, 600) + "…" : preview);
            }
            stdout.flush();
        }
        return 0;
    }

    private static ObjectNode outputRow(JsonlRow row, Generation g, CausalLm lm) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (!PromptRows.isIdRow(row)) {
            o.put("completion", PromptRows.tokenizer(row, lm).decode(g.tokens(), true));
        }
        ArrayNode ids = o.putArray("completion_ids");
        for (long t : g.tokens()) {
            ids.add(t);
        }
        if (!PromptRows.isIdRow(row)) {
            o.put("finish_reason", g.finishReason().name().toLowerCase(Locale.ROOT));
        }
        return o;
    }
}
