package dev.dpo4j.core.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpo4j.core.Fixtures;
import dev.dpo4j.core.tokenizer.ChatMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** TRL's {@code extract_prompt}: the implicit prompt is the common start of chosen and rejected. */
class ImplicitPromptTest {

    @Test
    void hhRlhfStyleSplitsBeforeTheSpaceOfTheAnswer() {
        // texts differ at 'S' / 'N'; the space before goes to the completions, as in TRL
        ImplicitPrompt<String> split = ImplicitPrompt.ofText(
                "\n\nHuman: Hi\n\nAssistant: Sure thing", "\n\nHuman: Hi\n\nAssistant: No");
        assertEquals(new ImplicitPrompt<>("\n\nHuman: Hi\n\nAssistant:", " Sure thing", " No"), split);
    }

    @Test
    void neverEndsThePromptInsideAWord() {
        // common prefix "I am h" ends mid-word: back to before the last whitespace
        assertEquals(new ImplicitPrompt<>("I am", " happy", " hungry"), ImplicitPrompt.ofText("I am happy", "I am hungry"));
        // "Hi" is followed by a space in one text: already a boundary
        assertEquals(new ImplicitPrompt<>("Hi", " there", "."), ImplicitPrompt.ofText("Hi there", "Hi."));
    }

    @Test
    void leavesEveryCompletionNonEmptyWhenOneTextIsAPrefixOfTheOther() {
        assertEquals(new ImplicitPrompt<>("A:", " yes", " yes and more"), ImplicitPrompt.ofText("A: yes", "A: yes and more"));
        assertEquals(new ImplicitPrompt<>("", "same", "same"), ImplicitPrompt.ofText("same", "same"));
    }

    @Test
    void noCommonStartGivesAnEmptyPrompt() {
        assertEquals(new ImplicitPrompt<>("", "Yes", "No"), ImplicitPrompt.ofText("Yes", "No"));
    }

    @Test
    void neverSplitsASurrogatePair() {
        // U+1F600 and U+1F601 share their high surrogate; the prompt must not end with it
        String a = "x \uD83D\uDE00";
        String b = "x \uD83D\uDE01";
        assertEquals(new ImplicitPrompt<>("x", " \uD83D\uDE00", " \uD83D\uDE01"), ImplicitPrompt.ofText(a, b));
        assertEquals(2, ImplicitPrompt.commonPrefixLength(a, b));
    }

    @Test
    void messagesSplitAtTheFirstDifferentMessage() {
        ChatMessage user = ChatMessage.user("Q?");
        ImplicitPrompt<List<ChatMessage>> split = ImplicitPrompt.ofMessages(
                List.of(user, ChatMessage.assistant("A")), List.of(user, ChatMessage.assistant("B")));
        assertEquals(List.of(user), split.prompt());
        assertEquals(List.of(ChatMessage.assistant("A")), split.chosen());
        assertEquals(List.of(ChatMessage.assistant("B")), split.rejected());
    }

    @Test
    void messagesKeepAtLeastOneCompletionMessage() {
        // chosen is a prefix of rejected: TRL stops one message short of the shorter
        ChatMessage user = ChatMessage.user("Q?");
        ChatMessage answer = ChatMessage.assistant("A");
        ImplicitPrompt<List<ChatMessage>> split = ImplicitPrompt.ofMessages(
                List.of(user, answer), List.of(user, answer, ChatMessage.user("more")));
        assertEquals(List.of(user), split.prompt());
        assertEquals(List.of(answer), split.chosen());
        assertEquals(List.of(answer, ChatMessage.user("more")), split.rejected());
        assertTrue(ImplicitPrompt.ofMessages(List.of(ChatMessage.user("x")), List.of(ChatMessage.user("y"))).prompt().isEmpty());
    }

    @Test
    void realHhRlhfRowsSplitIntoDialogueAndAnswer() throws Exception {
        ObjectMapper json = new ObjectMapper();
        int rows = 0;
        int endsAtAssistant = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(
                Fixtures.path("real/datasets/hh-rlhf/harmless-base-test.jsonl.gz"))), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode row = json.readTree(line);
                String chosen = row.get("chosen").asText();
                String rejected = row.get("rejected").asText();
                ImplicitPrompt<String> split = ImplicitPrompt.ofText(chosen, rejected);
                assertEquals(chosen, split.prompt() + split.chosen());
                assertEquals(rejected, split.prompt() + split.rejected());
                assertFalse(split.prompt().isEmpty() || Character.isWhitespace(split.prompt().charAt(split.prompt().length() - 1)),
                        () -> chosen);
                assertTrue(split.prompt().contains("\n\nAssistant:"));
                endsAtAssistant += split.prompt().endsWith("\n\nAssistant:") ? 1 : 0;
                rows++;
            }
        }
        assertEquals(2312, rows);
        // answers that start with the same words ("I", "I'm sorry") keep those words in the prompt, as in TRL;
        // most rows split right after the last "Assistant:"
        assertTrue(endsAtAssistant > rows / 2, endsAtAssistant + " of " + rows);
    }
}
