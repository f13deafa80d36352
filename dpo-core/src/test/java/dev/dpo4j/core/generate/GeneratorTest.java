package dev.dpo4j.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.model.DecoderModel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Generation on the llama-tiny fixture: cache vs recompute, batching, sampling, stopping. */
class GeneratorTest {
    private static DecoderModel model;

    /**
     * Loaded on first use inside a test, so a missing fixture is reported as a skip of each test
     * (surefire shows a failed assumption in {@code @BeforeAll} as zero tests run).
     */
    private static DecoderModel model() {
        if (model == null) {
            model = DecoderModel.load(Fixtures.path("models/llama-tiny"));
        }
        return model;
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    private static final List<long[]> PROMPTS = List.of(
            new long[] {95, 6, 139, 168, 228},
            new long[] {45, 105},
            new long[] {1, 17, 33, 200, 9, 64, 8, 100});

    @Test
    void kvCacheGivesSameTokensAsRecomputingTheWholeSequence() {
        Generator g = new Generator(model(), new long[0], null);
        GenerationConfig cached = GenerationConfig.builder().maxNewTokens(24).stopOnEos(false).build();
        GenerationConfig full = GenerationConfig.builder().maxNewTokens(24).stopOnEos(false).useCache(false).build();
        List<Generation> a = g.generate(PROMPTS, cached);
        List<Generation> b = g.generate(PROMPTS, full);
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertEquals(24, a.get(i).tokens().length);
            assertArrayEquals(b.get(i).tokens(), a.get(i).tokens(), "prompt " + i);
        }
    }

    @Test
    void batchedLeftPaddedGenerationEqualsOnePromptAtATime() {
        Generator g = new Generator(model(), new long[0], null);
        GenerationConfig cfg = GenerationConfig.builder().maxNewTokens(12).stopOnEos(false).build();
        List<Generation> batched = g.generate(PROMPTS, cfg);
        for (int i = 0; i < PROMPTS.size(); i++) {
            long[] alone = g.generate(List.of(PROMPTS.get(i)), cfg).get(0).tokens();
            assertArrayEquals(alone, batched.get(i).tokens(), "prompt " + i);
        }
    }

    @Test
    void samplingIsSeededPerPromptAndChangesWithTheSeed() {
        Generator g = new Generator(model(), new long[0], null);
        GenerationConfig s1 = GenerationConfig.builder().maxNewTokens(16).temperature(1.0).topK(50).topP(0.9)
                .seed(7).stopOnEos(false).build();
        List<Generation> first = g.generate(PROMPTS, s1);
        List<Generation> again = g.generate(PROMPTS, s1);
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertArrayEquals(first.get(i).tokens(), again.get(i).tokens());
        }
        GenerationConfig s2 = GenerationConfig.builder().maxNewTokens(16).temperature(1.0).seed(8)
                .stopOnEos(false).build();
        assertNotEquals(Arrays.toString(first.get(0).tokens()), Arrays.toString(g.generate(PROMPTS, s2).get(0).tokens()));
    }

    @Test
    void topKOfOneIsGreedy() {
        Generator g = new Generator(model(), new long[0], null);
        GenerationConfig greedy = GenerationConfig.builder().maxNewTokens(10).stopOnEos(false).build();
        GenerationConfig topOne = GenerationConfig.builder().maxNewTokens(10).temperature(0.7).topK(1).seed(3)
                .stopOnEos(false).build();
        assertArrayEquals(g.generate(PROMPTS, greedy).get(2).tokens(), g.generate(PROMPTS, topOne).get(2).tokens());
    }

    @Test
    void stopsAtEosAndKeepsIt() {
        GenerationConfig cfg = GenerationConfig.builder().maxNewTokens(16).stopOnEos(false).build();
        long[] free = new Generator(model(), new long[0], null).generate(List.of(PROMPTS.get(0)), cfg).get(0).tokens();
        // Declare the 4th greedy token an EOS id: generation must end right there, EOS included.
        long eos = free[3];
        int firstAt = 0;
        while (free[firstAt] != eos) {
            firstAt++;
        }
        Generation g = new Generator(model(), new long[] {eos}, null)
                .generate(List.of(PROMPTS.get(0)), GenerationConfig.greedy(16)).get(0);
        assertEquals(FinishReason.EOS, g.finishReason());
        assertArrayEquals(Arrays.copyOf(free, firstAt + 1), g.tokens());
    }

    @Test
    void stopsAtStopString() {
        // A toy decoder: token t prints as "<t>", so the text of the 3rd greedy token is a stop string.
        TokenDecoder decoder = ids -> Arrays.stream(ids).mapToObj(t -> "<" + t + ">").reduce("", String::concat);
        GenerationConfig free = GenerationConfig.builder().maxNewTokens(16).stopOnEos(false).build();
        long[] all = new Generator(model(), new long[0], decoder).generate(List.of(PROMPTS.get(1)), free).get(0).tokens();
        GenerationConfig stop = GenerationConfig.builder().maxNewTokens(16).stopOnEos(false)
                .stopStrings(List.of("<" + all[2] + ">")).build();
        Generation g = new Generator(model(), new long[0], decoder).generate(List.of(PROMPTS.get(1)), stop).get(0);
        assertEquals(FinishReason.STOP_STRING, g.finishReason());
        assertTrue(g.tokens().length <= 3);
        assertEquals(all[2], g.tokens()[g.tokens().length - 1]);
    }

    @Test
    void rejectsIdsOutsideTheVocabulary() {
        Generator g = new Generator(model(), new long[0], null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.generate(List.of(new long[] {1, 256}), GenerationConfig.greedy(2)));
        assertTrue(e.getMessage().contains("256") && e.getMessage().contains("[0, 256)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.generate(List.of(new long[0]), GenerationConfig.greedy(2)));
    }
}
