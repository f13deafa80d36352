package dev.dpo4j.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dpo4j.core.chat.ChatChoice;
import dev.dpo4j.core.chat.ChatException;
import dev.dpo4j.core.chat.ChatModel;
import dev.dpo4j.core.chat.ChatRequest;
import dev.dpo4j.core.chat.ChatResponse;
import dev.dpo4j.core.chat.TokenUsage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A thread-safe, deterministic fake playing a contender (free text: the scripted output of the
 * article named by the {@code [[aNN]]} marker in the prompt) or the judge (answers chosen by the
 * request's {@code response_format} name: {@code question_set}, {@code qa_answers},
 * {@code pairwise_verdict}). Every request is counted under its logical key (see
 * {@link EvalScript}) on arrival; a key in the script's faults fails with a {@link ChatException}
 * as a client does after its retries; a shared countdown throws {@link Crash} to simulate the
 * process dying: the request that spends it and every later one (a negative countdown never crashes).
 */
final class ScriptedModel implements ChatModel {

    /** How the fake judge decides a pairwise comparison. */
    enum Pairwise {
        /** Always the response shown first: pure position bias. */
        FIRST,
        /** The longer response (in characters); a tie when equally long. */
        LONGER
    }

    /** Thrown to simulate the process dying mid-run. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash() {
            super("simulated crash");
        }
    }

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern MARKER = Pattern.compile("\\[\\[(a\\d+)]]");
    private static final Pattern HEAD = Pattern.compile("(?m)^\\s*(\\S+) on \\[\\[a\\d+]]");
    private static final Pattern KNOWS = Pattern.compile("knows=(\\d+)");

    private final String name;
    private final String contender;
    private final IntFunction<String> outputs;
    private final Pairwise mode;
    private final EvalScript script;
    private final AtomicInteger crashCountdown;
    private final int concurrency;
    final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    final List<ChatRequest> requests = Collections.synchronizedList(new ArrayList<>());

    private ScriptedModel(String name, String contender, IntFunction<String> outputs, Pairwise mode,
            EvalScript script, AtomicInteger crashCountdown, int concurrency) {
        this.name = name;
        this.contender = contender;
        this.outputs = outputs;
        this.mode = mode;
        this.script = script;
        this.crashCountdown = crashCountdown;
        this.concurrency = concurrency;
    }

    /** A judge named {@code judge-model}. */
    static ScriptedModel judge(EvalScript script, Pairwise mode, AtomicInteger crashCountdown) {
        return new ScriptedModel("judge-model", null, null, mode, script, crashCountdown, 4);
    }

    /** A contender writing {@link EvalScript#output}, its model named {@code fake/<contender>}. */
    static ScriptedModel contender(String contender, EvalScript script, AtomicInteger crashCountdown) {
        return new ScriptedModel("fake/" + contender, contender, i -> EvalScript.output(contender, i), null, script,
                crashCountdown, 4);
    }

    /** A contender writing whatever {@code outputs} gives for the article number. */
    static ScriptedModel contender(String contender, EvalScript script, IntFunction<String> outputs) {
        return new ScriptedModel("fake/" + contender, contender, outputs, null, script, new AtomicInteger(-1), 4);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        requests.add(request);
        String prompt = request.messages().get(0).content();
        Matcher m = MARKER.matcher(prompt);
        if (!m.find()) {
            throw new IllegalStateException("no article marker in the prompt");
        }
        String id = m.group(1);
        int i = EvalScript.number(id);
        String format = request.responseFormat() == null ? null : request.responseFormat().name();
        String key = key(format, prompt, id);
        asked.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        // Stays at 0 once spent: a request in flight on another thread must not succeed and be journaled
        // after the crash just because the crashing thread has not stopped the run yet.
        if (crashCountdown.getAndUpdate(left -> left > 0 ? left - 1 : left) == 0) {
            throw new Crash();
        }
        if (script.faults.contains(key)) {
            throw new ChatException(ChatException.Kind.HTTP_STATUS, 500, 4, "HTTP 500 after 4 attempts (" + key + ")",
                    null);
        }
        if (format == null) {
            return answer(outputs.apply(i));
        }
        return switch (format) {
            case "question_set" -> answer(questions(i).toString());
            case "qa_answers" -> answer(answers(prompt, i).toString());
            case "pairwise_verdict" -> answer(verdict(prompt).toString());
            default -> throw new IllegalStateException("unexpected response_format " + format);
        };
    }

    private String key(String format, String prompt, String id) {
        if (format == null) {
            return "G|" + contender + "|" + id;
        }
        return switch (format) {
            case "question_set" -> "Q|" + id;
            case "qa_answers" -> "QA|" + head(prompt) + "|" + id;
            case "pairwise_verdict" -> "P|" + head(section(prompt, "A")) + "|" + head(section(prompt, "B")) + "|" + id;
            default -> "?|" + id;
        };
    }

    private static ObjectNode questions(int i) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode qs = root.putArray("questions");
        for (int q = 0; q < EvalScript.QUESTIONS; q++) {
            ObjectNode o = qs.addObject();
            o.put("question", "Question " + q + " about [[" + EvalScript.id(i) + "]]?");
            ArrayNode options = o.putArray("options");
            for (char c : "ABCD".toCharArray()) {
                options.add("option " + c);
            }
            o.put("answer", EvalScript.key(i, q));
        }
        return root;
    }

    /** The first {@code knows} answers right (read from the summary in the prompt), the rest "X". */
    private static ObjectNode answers(String prompt, int i) {
        Matcher k = KNOWS.matcher(prompt);
        int knows = k.find() ? Integer.parseInt(k.group(1)) : 0;
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode answers = root.putArray("answers");
        for (int q = 0; q < EvalScript.QUESTIONS; q++) {
            answers.add(q < knows ? EvalScript.key(i, q) : "X");
        }
        return root;
    }

    private ObjectNode verdict(String prompt) {
        String first = section(prompt, "A");
        String second = section(prompt, "B");
        String winner = switch (mode) {
            case FIRST -> "A";
            case LONGER -> first.length() > second.length() ? "A" : first.length() < second.length() ? "B" : "tie";
        };
        ObjectNode root = MAPPER.createObjectNode();
        root.put("reason", "scripted");
        root.put("winner", winner);
        return root;
    }

    /** The text between {@code [Response X]} and {@code [End of Response X]}. */
    static String section(String prompt, String position) {
        String open = "[Response " + position + "]\n";
        int start = prompt.indexOf(open);
        int end = prompt.indexOf("\n[End of Response " + position + "]");
        if (start < 0 || end < start) {
            throw new IllegalStateException("no Response " + position + " section in the prompt");
        }
        return prompt.substring(start + open.length(), end);
    }

    private static String head(String text) {
        Matcher m = HEAD.matcher(text);
        return m.find() ? m.group(1) : "?";
    }

    private ChatResponse answer(String text) {
        return new ChatResponse(name, List.of(new ChatChoice(text, "stop")), new TokenUsage(10, 5), false);
    }

    /** How many times the logical request was asked. */
    int count(String key) {
        AtomicInteger c = asked.get(key);
        return c == null ? 0 : c.get();
    }

    /** Requests asked in all. */
    int total() {
        return asked.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int maxConcurrency() {
        return concurrency;
    }
}
