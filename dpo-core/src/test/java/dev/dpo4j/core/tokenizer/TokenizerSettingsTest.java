package dev.dpo4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How special tokens and the chat template are gathered from the tokenizer files, on small files
 * written here: a word-level tokenizer.json with vocabulary {@code <unk>=0 <s>=1 </s>=2 hello=3
 * world=4} and an added token {@code <|eot|>=5}.
 */
class TokenizerSettingsTest {

    private static final String TOKENIZER_JSON = """
            {"version": "1.0", "truncation": null, "padding": null,
             "added_tokens": [
               {"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
               {"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
               {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
               {"id": 5, "content": "<|eot|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
             "normalizer": null, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,
             "model": {"type": "WordLevel", "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "hello": 3, "world": 4}, "unk_token": "<unk>"}}
            """;

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void addedTokenObjectsTemplateListAndGenerationEosList(@TempDir Path dir) throws IOException {
        write(dir, "tokenizer.json", TOKENIZER_JSON);
        write(dir, "tokenizer_config.json", """
                {"bos_token": {"content": "<s>", "lstrip": false}, "eos_token": {"content": "</s>"},
                 "add_bos_token": true, "add_eos_token": false,
                 "chat_template": [{"name": "tool_use", "template": "T"},
                                   {"name": "default", "template": "D{{ messages | length }}{{ eos_token }}"}]}
                """);
        write(dir, "generation_config.json", "{\"eos_token_id\": [5, 2]}");
        write(dir, "config.json", "{\"pad_token_id\": 0, \"eos_token_id\": 7}");
        try (Tokenizer tok = Tokenizer.load(dir)) {
            assertEquals("<s>", tok.bosToken());
            assertEquals(OptionalLong.of(1), tok.bosTokenId());
            // tokenizer EOS (</s> = 2) first, then generation_config's list; config.json's 7 is only a fallback
            assertArrayEquals(new long[] {2, 5}, tok.eosTokenIds());
            assertEquals(OptionalLong.of(0), tok.padTokenId());
            // 5 vocabulary ids + the added <|eot|> = 6 distinct ids
            assertEquals(6, tok.vocabSize());
            // add_bos_token=true decides, although tokenizer.json has no post-processor
            assertArrayEquals(new long[] {1, 3, 4}, tok.encode("hello world", true));
            assertArrayEquals(new long[] {3, 4}, tok.encode("hello world", false));
            assertEquals("D2</s>", tok.applyChatTemplate(List.of(ChatMessage.user("a"), ChatMessage.assistant("b")), false));
            EncodedPair pair = tok.encodePair("hello", "world", true);
            assertArrayEquals(new long[] {1, 3}, pair.promptIds());
            assertArrayEquals(new long[] {4, 2}, pair.completionIds());
        }
    }

    @Test
    void chatTemplateJinjaFileWinsAndSpecialTokensMapIsTheFallback(@TempDir Path dir) throws IOException {
        write(dir, "tokenizer.json", TOKENIZER_JSON);
        write(dir, "tokenizer_config.json", "{\"chat_template\": \"from config\"}");
        write(dir, "chat_template.jinja", "from file {{ eos_token }}\n");
        write(dir, "special_tokens_map.json", "{\"eos_token\": {\"content\": \"<|eot|>\", \"special\": true}}");
        try (Tokenizer tok = Tokenizer.load(dir)) {
            assertEquals("<|eot|>", tok.eosToken());
            assertArrayEquals(new long[] {5}, tok.eosTokenIds());
            assertEquals(OptionalLong.empty(), tok.bosTokenId());
            assertEquals(OptionalLong.empty(), tok.padTokenId());
            // no add_*_token flags and no post-processor: nothing is added
            assertArrayEquals(new long[] {3}, tok.encode("hello", true));
            // the file's single trailing newline is dropped, as Jinja2 does
            assertEquals("from file <|eot|>", tok.applyChatTemplate(List.of(), false));
        }
    }

    @Test
    void templateListWithoutDefaultIsAnError(@TempDir Path dir) throws IOException {
        write(dir, "tokenizer_config.json", "{\"chat_template\": [{\"name\": \"rag\", \"template\": \"R\"}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChatTemplate.load(dir));
        assertTrue(e.getMessage().contains("tokenizer_config.json") && e.getMessage().contains("default"), e.getMessage());
    }

    @Test
    void noChatTemplateIsAClearError(@TempDir Path dir) throws IOException {
        write(dir, "tokenizer.json", TOKENIZER_JSON);
        try (Tokenizer tok = Tokenizer.load(dir)) {
            assertTrue(tok.chatTemplate().isEmpty());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> tok.applyChatTemplate(List.of(ChatMessage.user("x")), true));
            assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
            assertThrows(IllegalStateException.class, () -> tok.encodePair("hello", "world", true));
        }
    }
}
