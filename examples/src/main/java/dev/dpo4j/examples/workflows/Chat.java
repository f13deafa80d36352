package dev.dpo4j.examples.workflows;

import dev.dpo4j.core.CausalLm;
import dev.dpo4j.core.chat.ChatRequest;
import dev.dpo4j.core.chat.ChatResponse;
import dev.dpo4j.core.chat.LocalChatModel;
import dev.dpo4j.core.lora.LoraModel;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.tokenizer.ChatMessage;
import dev.dpo4j.core.tokenizer.Tokenizer;
import dev.dpo4j.examples.cli.Devices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Talk to a model, with or without a trained adapter (seed 2's inference script): one-shot with
 * {@code --prompt}, or a loop reading prompts from standard input ({@code /reset} starts a new
 * conversation, {@code /exit} or the end of input quits). A model with a chat template keeps the
 * conversation (each prompt sees the earlier turns, rendered by the template); a model without one (a
 * base model) continues each prompt on its own, as plain text.
 *
 * <pre>
 *   java … Chat --config examples/configs/chat.yaml [--model DIR|ID] [--adapter DIR] [--prompt TEXT]
 *       [--max-new-tokens N] [--temperature T] [--top-p P] [--seed N] [--system TEXT] [--device DEV]
 * </pre>
 */
public final class Chat {
    private static final String USAGE = "usage: " + Chat.class.getName() + " [--config FILE] [--model DIR|ID] "
            + "[--adapter DIR] [--prompt TEXT] [--max-new-tokens N] [--temperature T] [--top-p P] [--seed N] "
            + "[--system TEXT] [--device DEV]";

    private Chat() {
    }

    /**
     * Runs a chat from the command line.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        ChatConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException | IOException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            System.exit(2);
            return;
        }
        if (config == null) {
            out.println(USAGE);
            return;
        }
        try {
            run(config, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out);
        } catch (IOException | RuntimeException e) {
            err.println("error: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    /**
     * Reads the command line into settings: {@code --config FILE} first, flags over it.
     *
     * @param args the arguments
     * @return the settings, or null when {@code --help} was asked for
     * @throws IOException if the config file cannot be read
     * @throws IllegalArgumentException naming the flag or key when one is unknown or bad
     */
    public static ChatConfig parse(String[] args) throws IOException {
        ChatConfig.Builder b = ChatConfig.builder();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                b = ChatConfig.read(Path.of(args[i + 1]));
            }
        }
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = args[++i];
            try {
                switch (flag) {
                    case "--config" -> { }
                    case "--model", "--model-id" -> b.setModel(v);
                    case "--adapter" -> b.optAdapter(Path.of(v));
                    case "--prompt" -> b.optPrompt(v);
                    case "--max-new-tokens" -> b.optMaxNewTokens(Integer.parseInt(v));
                    case "--temperature" -> b.optTemperature(Double.parseDouble(v));
                    case "--top-p" -> b.optTopP(Double.parseDouble(v));
                    case "--seed" -> b.optSeed(Long.parseLong(v));
                    case "--system" -> b.optSystemPrompt(v);
                    case "--device" -> b.optDevice(v);
                    default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + ": not a number: '" + v + "'", e);
            }
        }
        return b.build();
    }

    /**
     * Answers one prompt ({@link ChatConfig#prompt()} set) or every line of {@code in}.
     *
     * @param config the settings
     * @param in the prompts, one per line (unused in one-shot mode)
     * @param out where the replies (and, in the loop, the prompt marks) go
     * @return the prompts and replies
     * @throws IOException if the adapter or the input cannot be read
     */
    public static ChatResult run(ChatConfig config, BufferedReader in, PrintWriter out) throws IOException {
        try (CausalLm lm = CausalLm.load(config.model(), Devices.parse(config.device()));
             LoraModel adapter = config.adapter() == null ? null : PeftAdapters.load(lm.model(), config.adapter());
             LocalChatModel model = LocalChatModel.of(lm, config.maxNewTokens())) {
            boolean keepsHistory = lm.tokenizer().flatMap(Tokenizer::chatTemplate).isPresent();
            Session session = new Session(model, config, keepsHistory);
            if (config.prompt() != null) {
                out.println(session.ask(config.prompt()));
                out.flush();
                return session.result();
            }
            out.println("chat with " + config.model() + (config.adapter() == null ? "" : " + adapter " + config.adapter())
                    + (keepsHistory ? "" : " (no chat template: each prompt is continued on its own)")
                    + "; /reset starts over, /exit quits");
            while (true) {
                out.print("> ");
                out.flush();
                String line = in.readLine();
                if (line == null || line.strip().equals("/exit")) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                if (line.strip().equals("/reset")) {
                    session.reset();
                    out.println("(new conversation)");
                    continue;
                }
                out.println(session.ask(line));
            }
            out.println();
            out.flush();
            return session.result();
        }
    }

    /** A conversation: the messages so far and what was exchanged. */
    private static final class Session {
        private final LocalChatModel model;
        private final ChatConfig config;
        private final boolean keepsHistory;
        private final List<ChatMessage> history = new ArrayList<>();
        private final List<String> prompts = new ArrayList<>();
        private final List<String> replies = new ArrayList<>();
        private long tokens;

        Session(LocalChatModel model, ChatConfig config, boolean keepsHistory) {
            this.model = model;
            this.config = config;
            this.keepsHistory = keepsHistory;
        }

        String ask(String prompt) {
            if (!keepsHistory) {
                history.clear();
            }
            if (history.isEmpty() && config.systemPrompt() != null) {
                history.add(ChatMessage.system(config.systemPrompt()));
            }
            history.add(ChatMessage.user(prompt));
            ChatResponse response = model.chat(ChatRequest.builder(List.copyOf(history))
                    .optMaxTokens(config.maxNewTokens())
                    .optTemperature(config.temperature())
                    .optTopP(config.topP())
                    .optSeed(config.seed() + prompts.size())
                    .build());
            String reply = response.text();
            history.add(ChatMessage.assistant(reply));
            prompts.add(prompt);
            replies.add(reply);
            tokens += response.usage().completionTokens();
            return reply;
        }

        void reset() {
            history.clear();
        }

        ChatResult result() {
            return new ChatResult(prompts, replies, tokens);
        }
    }
}
