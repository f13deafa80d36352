package dev.dpo4j.examples.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.CausalLm;
import dev.dpo4j.core.generate.Generation;
import dev.dpo4j.core.generate.GenerationConfig;
import dev.dpo4j.core.lora.LoraConfig;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.model.Linear;
import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.core.tokenizer.Tokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Chat} on the real stories260K model: one-shot and stdin replies equal greedy generation done
 * directly with the model's generator (with the adapter attached when one is given), a chat-template model
 * sees the earlier turns, and the config and flags are read with one-line errors.
 */
class ChatTest {
    private static final int TOKENS = 12;

    @TempDir
    Path tmp;

    /** Greedy continuation computed without Chat: encode, generate with the KV cache, decode. */
    private static String greedy(Path model, Path adapter, List<ChatMessage> conversation) throws IOException {
        try (CausalLm lm = CausalLm.load(model.toString());
             LoraModel lora = adapter == null ? null : PeftAdapters.load(lm.model(), adapter)) {
            Tokenizer tok = lm.tokenizer().orElseThrow();
            long[] ids = tok.chatTemplate().isPresent()
                    ? tok.encodePrompt(tok.applyChatTemplate(conversation, true))
                    : tok.encodePrompt(conversation.get(conversation.size() - 1).content());
            GenerationConfig cfg = GenerationConfig.builder().maxNewTokens(TOKENS).temperature(0).stopOnEos(true)
                    .useCache(true).build();
            Generation g = lm.generator().generate(List.of(ids), cfg).get(0);
            return tok.decode(g.tokens(), true);
        }
    }

    /** An adapter for stories260K with large random A and B, so that it visibly changes the output. */
    private Path randomAdapter() throws IOException {
        Path dir = tmp.resolve("adapter");
        Random random = new Random(3);
        LoraConfig config = LoraConfig.of(4, 8);
        try (CausalLm lm = CausalLm.load(WorkflowTestData.stories().toString())) {
            Map<String, float[]> weights = new LinkedHashMap<>();
            for (Map.Entry<String, Linear> e : lm.model().linears().entrySet()) {
                Shape w = e.getValue().weight().getShape(); // (out, in)
                weights.put(LoraModel.keyA(e.getKey()), values(random, config.r() * (int) w.get(1)));
                weights.put(LoraModel.keyB(e.getKey()), values(random, (int) w.get(0) * config.r()));
            }
            try (LoraModel lora = LoraModel.attach(lm.model(), config, weights)) {
                PeftAdapters.save(lora, dir, WorkflowTestData.stories().toString());
            }
        }
        return dir;
    }

    private static float[] values(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (random.nextFloat() * 2 - 1) * 0.5f;
        }
        return v;
    }

    private static ChatConfig.Builder greedyConfig(Path model) {
        return ChatConfig.builder().setModel(model.toString()).optMaxNewTokens(TOKENS).optTemperature(0);
    }

    @Test
    void oneShotRepliesAreGreedyGenerationWithAndWithoutTheAdapter() throws Exception {
        Path stories = WorkflowTestData.stories();
        Path adapter = randomAdapter();
        String prompt = "Once upon a time, Lily";
        List<ChatMessage> turn = List.of(ChatMessage.user(prompt));

        StringWriter text = new StringWriter();
        ChatResult base = Chat.run(greedyConfig(stories).optPrompt(prompt).build(), new BufferedReader(new StringReader("")),
                new PrintWriter(text, true));
        assertEquals(List.of(greedy(stories, null, turn)), base.replies());
        assertEquals(base.replies().get(0), text.toString().strip());
        assertTrue(base.completionTokens() > 0 && base.completionTokens() <= TOKENS, "tokens " + base.completionTokens());

        ChatResult tuned = Chat.run(greedyConfig(stories).optAdapter(adapter).optPrompt(prompt).build(),
                new BufferedReader(new StringReader("")), new PrintWriter(new StringWriter(), true));
        assertEquals(List.of(greedy(stories, adapter, turn)), tuned.replies());
        assertNotEquals(base.replies(), tuned.replies(), "the adapter's large weights must change the greedy output");
    }

    @Test
    void stdinLoopAnswersEachLineAndATemplateModelSeesEarlierTurns() throws Exception {
        Path stories = WorkflowTestData.stories();
        String input = "Once upon a time\n\n/reset\nLily went\n/exit\nnever read\n";
        StringWriter text = new StringWriter();
        ChatResult plain = Chat.run(greedyConfig(stories).build(), new BufferedReader(new StringReader(input)),
                new PrintWriter(text, true));
        assertEquals(List.of("Once upon a time", "Lily went"), plain.prompts());
        // Without a chat template each prompt is continued on its own.
        assertEquals(greedy(stories, null, List.of(ChatMessage.user("Lily went"))), plain.replies().get(1));
        assertTrue(text.toString().contains("> "), text.toString());
        assertTrue(text.toString().contains("no chat template"), text.toString());

        Path gemma = WorkflowTestData.gemmaStyleModel(tmp);
        ChatResult chat = Chat.run(greedyConfig(gemma).build(), new BufferedReader(new StringReader("Hi\nTell a story\n")),
                new PrintWriter(new StringWriter(), true));
        assertEquals(2, chat.replies().size());
        List<ChatMessage> history = List.of(ChatMessage.user("Hi"), ChatMessage.assistant(chat.replies().get(0)),
                ChatMessage.user("Tell a story"));
        assertEquals(greedy(gemma, null, history), chat.replies().get(1));
    }

    @Test
    void shippedConfigAndFlagsAreReadFlagsWinning() throws Exception {
        Path shipped = WorkflowTestData.shippedConfig("chat.yaml");
        ChatConfig fromFile = ChatConfig.read(shipped).build();
        assertEquals("Qwen/Qwen2.5-0.5B-Instruct", fromFile.model());
        assertEquals(0.9, fromFile.topP());
        assertEquals("You are a helpful assistant.", fromFile.systemPrompt());
        assertNull(fromFile.prompt());

        ChatConfig c = Chat.parse(new String[] {"--config", shipped.toString(), "--model", "some/model",
            "--temperature", "0", "--prompt", "hello", "--max-new-tokens", "5"});
        assertEquals("some/model", c.model());
        assertEquals(0.0, c.temperature());
        assertEquals(5, c.maxNewTokens());
        assertEquals("hello", c.prompt());
        assertEquals(0.9, c.topP(), "keys the flags leave alone come from the file");
        assertNull(Chat.parse(new String[] {"--help"}));

        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "model_id: x\ntemprature: 0.5\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChatConfig.read(bad));
        assertTrue(e.getMessage().startsWith(bad + ": unknown key 'temprature'"), e.getMessage());
        IllegalArgumentException flag = assertThrows(IllegalArgumentException.class,
                () -> Chat.parse(new String[] {"--model", "x", "--max-new-tokens", "many"}));
        assertTrue(flag.getMessage().contains("--max-new-tokens"), flag.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Chat.parse(new String[] {"--prompt", "no model"}));
    }
}
