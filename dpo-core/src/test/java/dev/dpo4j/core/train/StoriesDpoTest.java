package dev.dpo4j.core.train;

import dev.dpo4j.core.CausalLm;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.generate.Generation;
import dev.dpo4j.core.generate.GenerationConfig;
import dev.dpo4j.core.tokenizer.Tokenizer;
import java.util.*;
import org.junit.jupiter.api.Test;

class StoriesDpoTest {
    @Test
    void probe() {
        try (CausalLm lm = CausalLm.load(Fixtures.path("real/models/stories260K"), ai.djl.Device.cpu())) {
            Tokenizer tok = lm.tokenizer().orElseThrow();
            long[] prompt = tok.encode("Once upon a time", true);
            System.out.println("prompt " + Arrays.toString(prompt));
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            for (int n : new int[] {32, 64, 128, 256}) {
                List<long[]> ps = new ArrayList<>();
                for (int i = 0; i < n; i++) ps.add(prompt);
                long c0 = os.getProcessCpuTime(); long w0 = System.nanoTime();
                lm.generator().generate(ps, GenerationConfig.builder().maxNewTokens(96).temperature(1.0).topP(0.95).seed(1).build());
                System.out.println("n=" + n + " cpu s " + (os.getProcessCpuTime() - c0) / 1e9 + " wall " + (System.nanoTime() - w0) / 1e9);
            }
            if (true) return;
            long t0 = System.nanoTime();
            List<long[]> prompts = new ArrayList<>();
            for (int i = 0; i < 256; i++) prompts.add(prompt);
            List<Generation> gens = lm.generator().generate(prompts, GenerationConfig.builder().maxNewTokens(96)
                    .temperature(1.0).topP(0.95).seed(1).build());
            System.out.println("gen s " + (System.nanoTime() - t0) / 1e9);
            Map<String, Integer> df = new TreeMap<>();
            int eos = 0;
            for (Generation g : gens) {
                String text = tok.decode(g.tokens(), true);
                if (g.finishReason().toString().equals("EOS")) eos++;
                Set<String> words = new HashSet<>(Arrays.asList(text.toLowerCase().split("[^a-z]+")));
                for (String w : words) df.merge(w, 1, Integer::sum);
            }
            System.out.println("eos " + eos);
            for (int i = 0; i < 3; i++) System.out.println("STORY: " + tok.decode(gens.get(i).tokens(), true));
            df.entrySet().stream().filter(e -> e.getValue() >= 5 && e.getValue() <= 60)
                    .sorted((a, b) -> b.getValue() - a.getValue())
                    .forEach(e -> System.out.print(e.getKey() + ":" + e.getValue() + " "));
            System.out.println();
        }
    }
}
