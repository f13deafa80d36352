package dev.dpo4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.data.synth.Article;
import dev.dpo4j.data.synth.CandidateWriter;
import dev.dpo4j.data.synth.QuestionWriter;
import dev.dpo4j.data.synth.SynthConfig;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The evaluator's seeds follow dpo-data's scheme, checked against the seeds dpo-data's own writers send. */
class EvalSeedsTest {

    @Test
    void seedsMatchTheDataPipelinesScheme() {
        SynthConfig config = SynthConfig.builder().optSeed(1234).build();
        Article article = new Article("cnn-17", "Some article text.", null);
        ScriptedModel model = ScriptedModel.judge(new EvalScript(1), ScriptedModel.Pairwise.FIRST, new AtomicInteger(-1));
        // QuestionWriter seeds with (run seed, "questions", article id, -1); CandidateWriter with "summary" and k.
        assertEquals(new QuestionWriter(model, config).request(article).seed(),
                QuestionWriter.seed(1234, "questions", "cnn-17", -1));
        assertEquals(CandidateWriter.seedFor(1234, "cnn-17", 2), QuestionWriter.seed(1234, "summary", "cnn-17", 2));
        long seed = GenerationStage.seed(1234, "cnn-17");
        assertEquals(QuestionWriter.seed(1234, "eval", "cnn-17", 0), seed);
        assertTrue(seed >= 0 && seed < (1L << 31), "31 bits for servers taking a 32-bit seed");
        assertNotEquals(seed, GenerationStage.seed(1235, "cnn-17"));
    }
}
