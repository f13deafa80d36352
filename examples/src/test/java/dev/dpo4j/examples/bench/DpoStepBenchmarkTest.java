package dev.dpo4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Runs the DPO-step benchmark small on the llama-tiny fixture; checks the figures are sane, never a speed. */
class DpoStepBenchmarkTest {
    private static final Path LLAMA_TINY = Path.of(System.getProperty("dpo4j.fixtures", "../../shared/fixtures"))
            .resolve("models/llama-tiny");

    @Test
    void tinyRunReportsThreeVariantsAgainstPlain() {
        Assumptions.assumeTrue(Files.isDirectory(LLAMA_TINY), "fixture model missing: " + LLAMA_TINY);
        DpoStepBenchmark bench = new DpoStepBenchmark();
        new CommandLine(bench).parseArgs("--model", LLAMA_TINY.toString(), "--prompt-length", "24",
                "--chosen-length", "4", "--rejected-length", "6", "--pairs", "2", "--warmup", "0", "--runs", "1");
        List<DpoStepBenchmark.Row> rows = bench.run();
        assertEquals(List.of("plain", "prefix-shared", "prefix-shared + cached reference"),
                rows.stream().map(DpoStepBenchmark.Row::variant).toList());
        for (DpoStepBenchmark.Row r : rows) {
            assertTrue(r.seconds() > 0 && Double.isFinite(r.tokensPerSecond()), r.toString());
            // the first step starts at policy = reference (B = 0), later ones after AdamW updates: near log 2
            assertTrue(Math.abs(r.loss() - Math.log(2)) < 0.05, r.toString());
        }
        String table = bench.table(rows);
        assertTrue(table.contains("| plain |") && table.contains("1.00×"), table);
    }

    @Test
    void float16AndQuantizedRunsOnTheReferencesPairs() {
        // The fixture's three token-id pairs stand in for make_model.py's pairs.jsonl: the same rows the
        // Python reference would run; float16 steps go through the loss scaler like the trainer's.
        Path pairs = LLAMA_TINY.resolveSibling("../dpo-step-llama-tiny/pairs.jsonl").normalize();
        Assumptions.assumeTrue(Files.isRegularFile(pairs), "fixture pairs missing: " + pairs);
        for (String[] flags : new String[][] {{"--dtype", "float16"}, {"--load-in-4bit", "--bnb-4bit-use-double-quant"}}) {
            DpoStepBenchmark bench = new DpoStepBenchmark();
            List<String> args = new java.util.ArrayList<>(List.of("--model", LLAMA_TINY.toString(), "--pairs-file",
                    pairs.toString(), "--pairs", "3", "--variants", "cached", "--warmup", "0", "--runs", "2"));
            args.addAll(List.of(flags));
            new CommandLine(bench).parseArgs(args.toArray(String[]::new));
            List<DpoStepBenchmark.Row> rows = bench.run();
            assertEquals(1, rows.size());
            DpoStepBenchmark.Row r = rows.get(0);
            assertEquals(0, r.skippedSteps(), r.toString());
            assertTrue(Math.abs(r.loss() - Math.log(2)) < 0.05, r.toString());
            String table = bench.table(rows);
            // the header names what ran: the pairs file's lengths (prompt 5, chosen 4, rejected 6) and the dtype
            assertTrue(table.contains("prompt 5 + chosen 4 + rejected 6"), table);
            assertTrue(table.contains(flags[0].equals("--dtype") ? "in float16," : "in float32+nf4-dq-b64,"), table);
        }
        DpoStepBenchmark bad = new DpoStepBenchmark();
        new CommandLine(bad).parseArgs("--model", LLAMA_TINY.toString(), "--pairs-file", pairs.toString(), "--pairs",
                "4", "--variants", "cached", "--warmup", "0", "--runs", "1");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                bad::run);
        assertTrue(e.getMessage().contains("3 pairs, --pairs asks 4"), e.getMessage());
    }
}
