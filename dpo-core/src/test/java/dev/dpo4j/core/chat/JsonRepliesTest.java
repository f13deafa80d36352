package dev.dpo4j.core.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The tolerant parser finds the JSON object in an answer that ignored response_format. */
class JsonRepliesTest {

    @Test
    void bareJson() {
        assertEquals(3, JsonReplies.parseObject("  {\"score\": 3}\n").get("score").asInt());
    }

    @Test
    void jsonInsideACodeFence() {
        JsonNode node = JsonReplies.parseObject("Here you go:\n```json\n{\"score\": 5, \"why\": \"good\"}\n```\nThanks!");
        assertEquals(5, node.get("score").asInt());
        assertEquals("good", node.get("why").asText());
    }

    @Test
    void plainFenceAfterAFenceWithoutJson() {
        String text = "```python\nprint('hi')\n```\nand\n```\n{\"a\": [1, 2]}\n```";
        assertEquals(2, JsonReplies.parseObject(text).get("a").size());
    }

    @Test
    void textBeforeAndAfterAndBracesInsideStrings() {
        String text = "Sure. Note {this} is prose. {\"answer\": \"use } and { and \\\" inside\", \"n\": 1} Done.";
        JsonNode node = JsonReplies.parseObject(text);
        assertEquals("use } and { and \" inside", node.get("answer").asText());
        assertEquals(1, node.get("n").asInt());
    }

    @Test
    void unclosedFenceFallsBackToTheBraceScan() {
        assertEquals(true, JsonReplies.parseObject("```json\n{\"ok\": true}").get("ok").asBoolean());
    }

    @Test
    void trailingCommaIsTolerated() {
        assertEquals(2, JsonReplies.parseObject("{\"a\": 1, \"b\": 2,}").get("b").asInt());
    }

    @Test
    void noJsonAtAllIsUnparseableOutput() {
        ChatException e = assertThrows(ChatException.class, () -> JsonReplies.parseObject("I think it is a 4."));
        assertEquals(ChatException.Kind.UNPARSEABLE_OUTPUT, e.kind());
        assertTrue(e.getMessage().contains("I think it is a 4."), e.getMessage());
        assertEquals(ChatException.Kind.UNPARSEABLE_OUTPUT,
                assertThrows(ChatException.class, () -> JsonReplies.parseObject("[1, 2]")).kind());
        assertEquals(ChatException.Kind.UNPARSEABLE_OUTPUT,
                assertThrows(ChatException.class, () -> JsonReplies.parseObject("{\"broken\": ")).kind());
        assertEquals(ChatException.Kind.UNPARSEABLE_OUTPUT,
                assertThrows(ChatException.class, () -> JsonReplies.parseObject("")).kind());
    }
}
