package dev.dpo4j.data.format;

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

/**
 * The one implicit-prompt rule, TRL's {@code extract_prompt}. Expected splits follow TRL's code
 * ({@code trl/data_utils.py}: scan to the first differing element; step back over one space; with no
 * difference inside the shorter side, stop one short of its end), worked by hand for each case.
 */
class ImplicitPromptTest {

    private static ImplicitPrompt text(String prompt, String chosen, String rejected) {
        return new ImplicitPrompt(Content.text(prompt), Content.text(chosen), Content.text(rejected));
    }

    @Test
    void hhRlhfStyleSplitsBeforeTheSpaceOfTheAnswer() {
        // texts differ at 'S' / 'N'; the space before goes to the completions, as in TRL
        assertEquals(text("\n\nHuman: Hi\n\nAssistant:", " Sure thing", " No"), ImplicitPrompt.ofText(
                "\n\nHuman: Hi\n\nAssistant: Sure thing", "\n\nHuman: Hi\n\nAssistant: No"));
    }

    @Test
    void splitsInsideAWordWhereTheTextsDivergeAsTrlDoes() {
        assertEquals(text("I am h", "appy", "ungry"), ImplicitPrompt.ofText("I am happy", "I am hungry"));
        assertEquals(text("Hi", " there", "."), ImplicitPrompt.ofText("Hi there", "Hi."));
    }

    @Test
    void leavesEveryCompletionNonEmptyWhenOneTextIsAPrefixOfTheOther() {
        // no difference within "A: yes": the prompt stops one character short of it
        assertEquals(text("A: ye", "s", "s and more"), ImplicitPrompt.ofText("A: yes", "A: yes and more"));
        assertEquals(text("sam", "e", "e"), ImplicitPrompt.ofText("same", "same"));
    }

    @Test
    void noCommonStartGivesAnEmptyPrompt() {
        assertEquals(text("", "Yes", "No"), ImplicitPrompt.ofText("Yes", "No"));
        // TRL's chosen[-1] would look at the last character here; the prompt stays empty
        assertEquals(text("", "Yes ", "No"), ImplicitPrompt.ofText("Yes ", "No"));
    }

    @Test
    void neverSplitsASurrogatePair() {
        // U+1F600 and U+1F601 share their high surrogate; the prompt must not end with it
        String a = "x \uD83D\uDE00";
        String b = "x \uD83D\uDE01";
        assertEquals(text("x ", "\uD83D\uDE00", "\uD83D\uDE01"), ImplicitPrompt.ofText(a, b));
        assertEquals(2, ImplicitPrompt.commonPrefixLength(a, b));
    }

    @Test
    void messagesSplitAtTheFirstDifferentMessage() {
        ChatMessage user = ChatMessage.user("Q?");
        ImplicitPrompt split = ImplicitPrompt.ofMessages(
                List.of(user, ChatMessage.assistant("A")), List.of(user, ChatMessage.assistant("B")));
        assertEquals(Content.messages(List.of(user)), split.prompt());
        assertEquals(Content.messages(List.of(ChatMessage.assistant("A"))), split.chosen());
        assertEquals(Content.messages(List.of(ChatMessage.assistant("B"))), split.rejected());
    }

    @Test
    void messagesKeepAtLeastOneCompletionMessage() {
        // chosen is a prefix of rejected: TRL stops one message short of the shorter
        ChatMessage user = ChatMessage.user("Q?");
        ChatMessage answer = ChatMessage.assistant("A");
        ImplicitPrompt split = ImplicitPrompt.ofMessages(List.of(user, answer), List.of(user, answer, ChatMessage.user("more")));
        assertEquals(Content.messages(List.of(user)), split.prompt());
        assertEquals(Content.messages(List.of(answer)), split.chosen());
        assertEquals(Content.messages(List.of(answer, ChatMessage.user("more"))), split.rejected());
        assertEquals(Content.messages(List.of()),
                ImplicitPrompt.ofMessages(List.of(ChatMessage.user("x")), List.of(ChatMessage.user("y"))).prompt());
    }

    @Test
    void splitTakesTextsOrConversationsAlike() {
        assertEquals(text("I am h", "appy", "ungry"), ImplicitPrompt.split(Content.text("I am happy"), Content.text("I am hungry")));
        ChatMessage user = ChatMessage.user("Q?");
        assertEquals(Content.messages(List.of(user)), ImplicitPrompt.split(
                Content.messages(List.of(user, ChatMessage.assistant("A"))),
                Content.messages(List.of(user, ChatMessage.assistant("B")))).prompt());
    }

    @Test
    void realHhRlhfRowsSplitWhereTheAnswersDiverge() throws Exception {
        ObjectMapper json = new ObjectMapper();
        int rows = 0;
        int endsAtAssistant = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(
                Fixtures.path("real/datasets/hh-rlhf/harmless-base-test.jsonl.gz"))), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode row = json.readTree(line);
                String chosen = row.get("chosen").asText();
                String rejected = row.get("rejected").asText();
                ImplicitPrompt split = ImplicitPrompt.ofText(chosen, rejected);
                String prompt = split.prompt().flatText();
                assertEquals(chosen, prompt + split.chosen().flatText());
                assertEquals(rejected, prompt + split.rejected().flatText());
                // the completions start where the texts differ, or with the one space before it
                String c = split.chosen().flatText();
                String r = split.rejected().flatText();
                assertTrue(c.isEmpty() || r.isEmpty() || c.charAt(0) != r.charAt(0) || c.charAt(0) == ' '
                        || c.length() == 1 || r.length() == 1, () -> chosen);
                assertTrue(prompt.contains("\n\nAssistant:"));
                endsAtAssistant += prompt.endsWith("\n\nAssistant:") ? 1 : 0;
                rows++;
            }
        }
        assertEquals(2312, rows);
        // most rows split right after the last "Assistant:"; answers that start alike ("I", "I'm sorry") split later
        assertTrue(endsAtAssistant > rows / 2, endsAtAssistant + " of " + rows);
        assertFalse(endsAtAssistant == rows, "some answers start alike");
    }
}
