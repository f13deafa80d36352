package dev.dpo4j.data.synth;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A thread-safe, deterministic fake that plays the judge and the base model from a
 * {@link SynthScript}: it writes schema-valid question sets and answers, free-text summaries, and
 * the scripted faults. Every request is counted under its logical key
 * ({@code Q|a03}, {@code S|a03|2}, {@code J|a03|2}) on arrival, and structured answers are kept with
 * the schema that was sent so the tests can check them.
 */
final class FakeChatModel implements ChatModel {

    /** Thrown to simulate the process dying mid-run. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash() {
            super("simulated crash");
        }
    }

    /** A structured answer with the schema it was asked for. */
    record Structured(JsonNode schema, JsonNode answer) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern MARKER = Pattern.compile("\\[\\[(a\\d+)]]");

    private final String name;
    private final int concurrency;
    private final SynthScript script;
    private final Map<Long, Integer> summarySeeds = new HashMap<>();
    private final Map<Long, Integer> judgeSeeds = new HashMap<>();
    final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    final List<ChatRequest> requests = Collections.synchronizedList(new ArrayList<>());
    final List<Structured> structured = Collections.synchronizedList(new ArrayList<>());
    /**
     * Requests (over every fake sharing it) answered before a {@link SimulatedCrash}; once it is spent, that
     * request and every later one crash, as nothing answers after a kill; negative for never.
     */
    private final AtomicInteger crashCountdown;

    FakeChatModel(String name, int concurrency, SynthScript script, AtomicInteger crashCountdown) {
        this.name = name;
        this.concurrency = concurrency;
        this.script = script;
        this.crashCountdown = crashCountdown;
        for (int i = 0; i < script.articles; i++) {
            for (int k = 0; k < script.k; k++) {
                summarySeeds.put(CandidateWriter.seedFor(script.seed, SynthScript.id(i), k), k);
                judgeSeeds.put(QuestionWriter.seed(script.seed, "judgement", SynthScript.id(i), k), k);
            }
        }
    }

    FakeChatModel(String name, int concurrency, SynthScript script) {
        this(name, concurrency, script, new AtomicInteger(-1));
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
        int i = SynthScript.number(id);
        String key;
        if (request.responseFormat() == null) {
            key = "S|" + id + "|" + summarySeeds.get(request.seed());
        } else if (request.responseFormat().name().equals("question_set")) {
            key = "Q|" + id;
        } else {
            key = "J|" + id + "|" + judgeSeeds.get(request.seed());
        }
        asked.computeIfAbsent(key, x -> new AtomicInteger()).incrementAndGet();
        // Stays at 0 once spent: a request in flight on another thread must not succeed and be journaled
        // after the crash just because the crashing thread has not stopped the run yet.
        if (crashCountdown.getAndUpdate(left -> left > 0 ? left - 1 : left) == 0) {
            throw new SimulatedCrash();
        }
        if (request.responseFormat() == null) {
            int k = summarySeeds.get(request.seed());
            if (script.summaryFault(i, k) == SynthScript.Fault.FAIL) {
                throw new ChatException(ChatException.Kind.TIMEOUT, 0, 3, "read timed out after 3 attempts", null);
            }
            return answer(script.summaryText(i, k));
        }
        if (request.responseFormat().name().equals("question_set")) {
            return questions(request, i);
        }
        return answers(request, i, judgeSeeds.get(request.seed()));
    }

    private ChatResponse questions(ChatRequest request, int i) {
        switch (script.questionFault(i)) {
            case FAIL -> throw new ChatException(ChatException.Kind.HTTP_STATUS, 500, 4,
                    "POST /v1/chat/completions: HTTP 500 after 4 attempts", null);
            case GARBAGE -> {
                return answer("Sorry, I cannot help with that.");
            }
            default -> {
            }
        }
        int count = script.questionFault(i) == SynthScript.Fault.SHORT ? script.n - 1 : script.n;
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode qs = root.putArray("questions");
        for (int q = 0; q < count; q++) {
            ObjectNode o = qs.addObject();
            o.put("question", "Question " + q + " about " + SynthScript.id(i) + "?");
            ArrayNode options = o.putArray("options");
            for (char c : "ABCD".toCharArray()) {
                options.add("option " + c);
            }
            o.put("answer", SynthScript.key(i, q));
        }
        // A short set is a deliberate schema violation, so it is not kept for the schema check.
        return count < script.n ? answer(root.toString()) : structured(request, root);
    }

    private ChatResponse answers(ChatRequest request, int i, int k) {
        switch (script.judgeFault(i, k)) {
            case FAIL -> throw new ChatException(ChatException.Kind.CONNECTION, 0, 5, "connection reset", null);
            case GARBAGE -> {
                return answer("{\"answers\": [\"A\"]}");
            }
            default -> {
            }
        }
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode answers = root.putArray("answers");
        int score = script.score(i, k);
        for (int q = 0; q < script.n; q++) {
            String keyLetter = SynthScript.key(i, q);
            // First `score` answers right; the rest alternate between "not in summary" and a wrong letter.
            answers.add(q < score ? keyLetter : q % 2 == 0 ? "X"
                    : String.valueOf("ABCD".charAt(("ABCD".indexOf(keyLetter) + 1) % 4)));
        }
        return structured(request, root);
    }

    private ChatResponse structured(ChatRequest request, JsonNode answer) {
        structured.add(new Structured(request.responseFormat().schema(), answer));
        return answer(answer.toString());
    }

    private ChatResponse answer(String text) {
        return new ChatResponse(name, List.of(new ChatChoice(text, "stop")), new TokenUsage(10, 5), false);
    }

    /** How many times the logical request was asked. */
    int count(String key) {
        AtomicInteger c = asked.get(key);
        return c == null ? 0 : c.get();
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
