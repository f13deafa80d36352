package dev.dpo4j.core.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dpo4j.core.tokenizer.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatRequestTest {

    @Test
    void withMessagesReplacesOnlyTheMessages() {
        ChatRequest request = ChatRequest.user("the rendered prompt").optModel("m").optTemperature(0.7).optTopP(0.9)
                .optMaxTokens(12).optN(2).optSeed(5).optStop(List.of("\n"))
                .optResponseFormat(ResponseFormat.jsonSchema("s", JsonNodeFactory.instance.objectNode())).build();
        List<ChatMessage> conversation = List.of(ChatMessage.system("be brief"), ChatMessage.user("hi"));
        ChatRequest other = request.withMessages(conversation);
        assertEquals(conversation, other.messages());
        assertEquals(new ChatRequest("m", conversation, 0.7, 0.9, 12, 2, 5L, List.of("\n"),
                request.responseFormat()), other);
    }
}
