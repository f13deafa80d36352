package dev.dpo4j.examples.api;

import dev.dpo4j.core.CausalLm;
import dev.dpo4j.core.chat.LocalChatModel;
import dev.dpo4j.core.generate.Generation;
import dev.dpo4j.core.generate.GenerationConfig;
import dev.dpo4j.core.lora.LoraConfig;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.score.CompletionScore;
import dev.dpo4j.core.score.ScoringRequest;
import dev.dpo4j.core.tokenizer.EncodedPair;
import dev.dpo4j.core.tokenizer.Tokenizer;
import dev.dpo4j.core.train.DpoTrainer;
import dev.dpo4j.core.train.PreferencePair;
import dev.dpo4j.core.train.TrainConfig;
import dev.dpo4j.core.train.TrainResult;
import dev.dpo4j.data.tokenize.PairReader;
import dev.dpo4j.data.tokenize.Truncation;
import dev.dpo4j.eval.Contender;
import dev.dpo4j.eval.EvalItem;
import dev.dpo4j.eval.Evaluator;
import dev.dpo4j.eval.report.EvalReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The plain Java API end to end, the program README's "The Java API" shows (a test runs it on the
 * stories260K fixture): generate and score with a model, DPO-tune a LoRA adapter on preference rows,
 * then evaluate base against base + adapter (ROUGE and lengths; add a judge for QA and pairwise).
 *
 * <p>Run: {@code java -cp … dev.dpo4j.examples.api.JavaApiExample MODEL_DIR PAIRS.jsonl OUT_DIR}.
 */
public final class JavaApiExample {

    private JavaApiExample() {
    }

    /**
     * Runs the example.
     *
     * @param args a model folder (with tokenizer.json) or Hub id, a preference JSONL file, an output folder
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: JavaApiExample MODEL PAIRS.jsonl OUT_DIR");
        }
        String model = args[0];
        Path pairs = Path.of(args[1]);
        Path out = Files.createDirectories(Path.of(args[2]));

        // 1. generate and score
        try (CausalLm lm = CausalLm.load(model)) {
            Tokenizer tok = lm.tokenizer().orElseThrow();
            long[] prompt = tok.encode("Once upon a time", true);
            Generation g = lm.generator().generate(List.of(prompt),
                    GenerationConfig.builder().maxNewTokens(12).temperature(0).build()).get(0);
            System.out.println("generated: " + tok.decode(g.tokens(), true));
            EncodedPair pair = tok.encodePair("Once upon a time", " there was a cat.", true);
            CompletionScore s = lm.scorer().score(List.of(new ScoringRequest(pair.promptIds(), pair.completionIds())), 1)
                    .get(0);
            System.out.printf("log p(completion | prompt) = %.3f%n", s.logprob());

            // 2. DPO with LoRA on preference rows (any layout data prepare reads)
            List<PreferencePair> train = PairReader.of(tok, Truncation.defaults()).read(pairs).examples();
            TrainConfig config = TrainConfig.builder().beta(0.1).learningRate(1e-3).maxSteps(2).trainBatchSize(2)
                    .loraConfig(LoraConfig.of(8, 16)).build();
            try (LoraModel lora = LoraModel.create(lm.model(), config.loraConfig(), config.seed())) {
                TrainResult r = new DpoTrainer(lora, config, out.resolve("dpo"), model, null).train(train, List.of(), false);
                System.out.println("trained " + r.steps() + " steps; adapter in " + out.resolve("dpo"));
            }
        }

        // 3. evaluate: the base, and the base with the adapter attached to a second copy
        try (CausalLm base = CausalLm.load(model);
             CausalLm tuned = CausalLm.load(model);
             LoraModel adapter = PeftAdapters.load(tuned.model(), out.resolve("dpo"))) {
            EvalReport report = Evaluator.builder()
                    .setOutputDir(out.resolve("eval"))
                    .addContender(new Contender("base", LocalChatModel.of(base, 16, "base " + model)))
                    .addContender(new Contender("tuned", LocalChatModel.of(tuned, 16, "base " + model + " + adapter")))
                    .build()
                    .run(List.of(new EvalItem("p1", "Tell me a story about a cat.", "A cat sat on a mat.", null),
                            new EvalItem("p2", "Tell me a story about a dog.", "A dog ran in the park.", null)));
            System.out.println("evaluated " + report.contenders().size() + " contenders on " + report.examples()
                    + " prompts; report in " + out.resolve("eval"));
        }
    }
}
