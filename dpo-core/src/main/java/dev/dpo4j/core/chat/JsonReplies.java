package dev.dpo4j.core.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Finds the JSON object in a model's answer. Servers that honour {@code response_format} answer
 * with bare JSON; others wrap it in a Markdown code fence or add text before or after it. This
 * parser tries, in order: the whole text, the contents of each code fence, and each balanced
 * {@code {…}} span from the first opening brace.
 */
public final class JsonReplies {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();

    private JsonReplies() {
    }

    /**
     * Parses the first JSON object found in {@code text}.
     *
     * @param text the model's answer
     * @return the object
     * @throws ChatException of kind {@link ChatException.Kind#UNPARSEABLE_OUTPUT} naming the
     *     answer's length and start when no object is found
     */
    public static JsonNode parseObject(String text) {
        if (text == null || text.isBlank()) {
            throw new ChatException(ChatException.Kind.UNPARSEABLE_OUTPUT,
                    "no JSON object in the model's answer: the answer is empty");
        }
        JsonNode whole = tryParse(text.strip());
        if (whole != null) {
            return whole;
        }
        int fence = text.indexOf("```");
        while (fence >= 0) {
            int bodyStart = text.indexOf('\n', fence);
            int end = bodyStart < 0 ? -1 : text.indexOf("```", bodyStart);
            if (end < 0) {
                break;
            }
            JsonNode inFence = tryParse(text.substring(bodyStart + 1, end).strip());
            if (inFence != null) {
                return inFence;
            }
            fence = text.indexOf("```", end + 3);
        }
        for (int start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
            int end = matchingBrace(text, start);
            if (end > start) {
                JsonNode span = tryParse(text.substring(start, end + 1));
                if (span != null) {
                    return span;
                }
            }
        }
        String head = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        throw new ChatException(ChatException.Kind.UNPARSEABLE_OUTPUT,
                "no JSON object in the model's answer (" + text.length() + " chars): "
                        + head.replace('\n', ' '));
    }

    private static JsonNode tryParse(String candidate) {
        if (candidate.isEmpty() || candidate.charAt(0) != '{') {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(candidate);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The index of the brace closing the one at {@code start}, skipping strings; -1 if none. */
    private static int matchingBrace(String text, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }
}
