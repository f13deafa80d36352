package dev.dpo4j.examples.cli;

import ai.djl.Device;
import dev.dpo4j.core.CausalLm;
import dev.dpo4j.core.model.LoadOptions;
import dev.dpo4j.core.chat.ChatModel;
import dev.dpo4j.core.chat.ChatRequest;
import dev.dpo4j.core.chat.ChatResponse;
import dev.dpo4j.core.chat.LocalChatModel;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.tokenizer.ChatMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A contender of {@code dpo4j evaluate} as a {@link ChatModel}: the local or served model a
 * {@link ContenderSpecs.Spec} names, under a model name that tells contenders apart in
 * {@code eval.json} and the report, and owning what it loaded (closing it closes the model, detaches
 * the adapter and frees the weights).
 *
 * <p>An instruction row whose prompt is a message list reaches the evaluator as one text
 * ({@link EvalRows}); this model sends such a prompt as the original messages, so a chat model sees
 * the conversation as the row gave it.
 */
final class ContenderModel implements ChatModel {

    private final String name;
    private final ChatModel delegate;
    /** What this model was built on, closed last to first after the model. */
    private final List<AutoCloseable> owned;
    private final Map<String, List<ChatMessage>> conversations;

    private ContenderModel(String name, ChatModel delegate, List<AutoCloseable> owned,
            Map<String, List<ChatMessage>> conversations) {
        this.name = name;
        this.delegate = delegate;
        this.owned = owned;
        this.conversations = conversations;
    }

    /**
     * Loads or connects the model a contender names.
     *
     * @param spec the contender
     * @param baseModel {@code --model}, the base of an adapter contender
     * @param device where local models run
     * @param options how local models are loaded (dtype, quantization)
     * @param maxTokens the most new tokens per answer
     * @param endpoint the endpoint options (key variable, retries, timeouts) an endpoint contender uses
     * @param concurrency an endpoint contender's requests in flight at most
     * @param conversations message-list prompts by their text ({@link EvalRows#conversations()})
     * @return the contender's model
     * @throws IllegalArgumentException naming the flag when an adapter does not fit the model
     * @throws UncheckedIOException naming the flag when an adapter folder cannot be read
     */
    static ContenderModel open(ContenderSpecs.Spec spec, String baseModel, Device device, LoadOptions options,
            int maxTokens, JudgeEndpoint endpoint, int concurrency, Map<String, List<ChatMessage>> conversations) {
        Objects.requireNonNull(conversations, "conversations");
        return switch (spec.kind()) {
            case BASE, MERGED -> new ContenderModel((spec.kind() == ContenderSpecs.Kind.BASE ? "base " : "merged ")
                    + spec.source(), LocalChatModel.load(spec.source(), device, options, maxTokens), List.of(),
                    conversations);
            case ADAPTER -> withAdapter(spec, baseModel, device, options, maxTokens, conversations);
            case ENDPOINT -> {
                ChatModel client = endpoint.client(List.of(spec.url()), spec.source(), concurrency);
                yield new ContenderModel("endpoint " + client.name() + "@" + spec.url(), client, List.of(), conversations);
            }
        };
    }

    /** Each adapter contender gets its own copy of the base model, so adapters never share weights. */
    private static ContenderModel withAdapter(ContenderSpecs.Spec spec, String baseModel, Device device,
            LoadOptions options, int maxTokens, Map<String, List<ChatMessage>> conversations) {
        CausalLm lm = CausalLm.load(baseModel, device, options);
        LoraModel lora = null;
        try {
            lora = PeftAdapters.load(lm.model(), Path.of(spec.source()));
            String what = "base " + baseModel + " + adapter " + spec.source();
            ChatModel chat = LocalChatModel.of(lm, maxTokens, what);
            return new ContenderModel(what, chat, List.of(lm, lora), conversations);
        } catch (IOException e) {
            release(lora, lm);
            throw new UncheckedIOException("--adapter: contender '" + spec.name() + "': cannot read the adapter "
                    + spec.source() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            release(lora, lm);
            throw new IllegalArgumentException("--adapter: contender '" + spec.name() + "': " + e.getMessage(), e);
        }
    }

    /** Frees what a failed load had built: the adapter (when attached), then the model. */
    private static void release(LoraModel lora, CausalLm lm) {
        if (lora != null) {
            lora.close();
        }
        lm.close();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return delegate.chat(asConversation(request));
    }

    /** A single user message that renders a message-list prompt goes out as that message list. */
    private ChatRequest asConversation(ChatRequest request) {
        if (conversations.isEmpty() || request.messages().size() != 1
                || !"user".equals(request.messages().get(0).role())) {
            return request;
        }
        List<ChatMessage> messages = conversations.get(request.messages().get(0).content());
        if (messages == null) {
            return request;
        }
        return request.withMessages(messages);
    }

    /**
     * The model name recorded in {@code eval.json} and the report: the model folder or Hub id as
     * given, {@code <model>+<adapter dir>} for an adapter, the served model name for an endpoint.
     *
     * @return the name
     */
    @Override
    public String name() {
        return name;
    }

    @Override
    public int maxConcurrency() {
        return delegate.maxConcurrency();
    }

    /**
     * The wrapped model, for its usage counters.
     *
     * @return the model that answers the requests
     */
    ChatModel delegate() {
        return delegate;
    }

    /** Closes the model, then what it was built on (the adapter, then the base weights). */
    @Override
    public void close() {
        RuntimeException failure = null;
        List<AutoCloseable> all = new ArrayList<>();
        all.add(delegate);
        for (int i = owned.size() - 1; i >= 0; i--) {
            all.add(owned.get(i));
        }
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing contender model " + name + ": " + e.getMessage(), e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "ContenderModel[" + name + "]";
    }
}
