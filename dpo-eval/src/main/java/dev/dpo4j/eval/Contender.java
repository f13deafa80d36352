package dev.dpo4j.eval;

import dev.dpo4j.core.chat.ChatModel;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One model under evaluation, under a short name that keys its journals and report rows. A local
 * model (the base, the base with an adapter, a merged model) comes in as a
 * {@link dev.dpo4j.core.chat.LocalChatModel}, an endpoint (GPT-4o, a vLLM server) as an
 * {@link dev.dpo4j.core.chat.OpenAiChatClient}; both are {@link ChatModel}s.
 *
 * @param name the contender's name, matching {@code [A-Za-z0-9._-]+} because it is part of file
 *     names ({@code generations/<name>.jsonl}); for example {@code base}, {@code dpo}, {@code gpt-4o}
 * @param model the model that answers the items
 */
public record Contender(String name, ChatModel model) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    /**
     * Validates the name and the model.
     *
     * @throws IllegalArgumentException when the name is not {@code [A-Za-z0-9._-]+} or is {@code .}
     *     or {@code ..}
     */
    public Contender {
        Objects.requireNonNull(name, "Contender.name must not be null");
        Objects.requireNonNull(model, "Contender.model must not be null (contender " + name + ")");
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("Contender.name must match [A-Za-z0-9._-]+ (it names files), got '"
                    + name + "'");
        }
    }
}
