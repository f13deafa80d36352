package dev.dpo4j.eval;

import dev.dpo4j.core.chat.ChatChoice;
import dev.dpo4j.core.chat.ChatModel;
import dev.dpo4j.core.chat.ChatRequest;
import dev.dpo4j.core.chat.ChatResponse;
import dev.dpo4j.core.io.JsonlJournal;
import dev.dpo4j.data.synth.QuestionWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stage 2: each contender answers every item, one request per item: the item's prompt as the
 * single user message, the evaluator's temperature and max tokens, and a seed derived from the
 * run seed and the item id alone, so every contender (and every rerun) gets the same seed for an
 * item. Answers go to {@code generations/<name>.jsonl}.
 */
final class GenerationStage {

    private final EvalSettings settings;

    /** @param settings the evaluator's settings */
    GenerationStage(EvalSettings settings) {
        this.settings = settings;
    }

    /**
     * The request a contender gets for an item.
     *
     * @param item the item
     * @return the request
     */
    ChatRequest request(EvalItem item) {
        return ChatRequest.user(item.prompt())
                .optTemperature(settings.temperature())
                .optMaxTokens(settings.maxTokens())
                .optSeed(seed(settings.config().seed(), item.id()))
                .build();
    }

    /**
     * The sampling seed of an item, the same for every contender.
     *
     * @param runSeed the run seed
     * @param itemId the item's id
     * @return a seed in {@code [0, 2^31)}
     */
    static long seed(long runSeed, String itemId) {
        return QuestionWriter.seed(runSeed, "eval", itemId, 0);
    }

    /**
     * Asks the contender for every item its journal lacks.
     *
     * @param contender the contender
     * @param items the items
     * @return every item's output or failure (journaled earlier or now), by item id
     * @throws IllegalStateException when the journal holds an output for an item whose prompt
     *     has changed since
     */
    Map<String, Journaled<Generation>> run(Contender contender, List<EvalItem> items) {
        Path file = settings.files().generations(contender.name());
        Map<String, Journaled<Generation>> all = Journaled.load(file, "item_id", Generation::fromJson,
                !settings.retryFailures());
        List<StageRunner.Task<Generation>> tasks = new ArrayList<>();
        int reused = 0;
        for (EvalItem item : items) {
            String digest = Generation.promptDigest(item.prompt());
            Journaled<Generation> known = all.get(item.id());
            if (known == null) {
                tasks.add(new StageRunner.Task<>(item.id(), () -> generate(contender.model(), item, digest)));
                continue;
            }
            if (known.ok() && !known.value().promptSha256().equals(digest)) {
                throw new IllegalStateException(file + " holds an output of item '" + item.id()
                        + "' for another prompt; an item id must keep its prompt (use a new output directory)");
            }
            reused++;
        }
        all.putAll(new StageRunner<Generation>("generate " + contender.name(), "req", "item_id", Generation::toJson,
                settings.progress()).run(tasks, JsonlJournal.open(file), settings.threads(contender.model()), reused));
        return all;
    }

    private Generation generate(ChatModel model, EvalItem item, String digest) {
        ChatResponse response = model.chat(request(item));
        ChatChoice choice = response.choices().get(0);
        return new Generation(choice.content(), choice.finishReason(), digest);
    }
}
