package dev.dpo4j.examples.quickstart;

import dev.dpo4j.data.synth.Question;
import dev.dpo4j.data.synth.QuestionSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The quickstart's synthetic news corpus: short articles generated from templates, each with five
 * key facts (who, where, how much, how many, when), one sentence about a distracting entity of the
 * same kinds, a few sentences of filler, a reference summary (highlights) that states the five
 * facts, and one multiple-choice question per fact. The wrong options of a question include the
 * article's distracting entity where there is one, so a summary that copies the wrong name fails it.
 *
 * <p>Every word comes from {@link #vocabulary()}, so a word-level tokenizer covers the corpus, and
 * the same seed gives the same corpus on every machine.
 */
public final class NewsCorpus {

    /** The id prefix: {@code news-00042}. */
    public static final String ID_PREFIX = "news-";

    private NewsCorpus() {
    }

    /**
     * Generates articles.
     *
     * @param count how many
     * @param seed the generator's seed
     * @param firstIndex the index of the first article, so that disjoint splits get distinct ids
     * @return the articles, ids {@code news-<firstIndex>} onwards
     */
    public static List<NewsArticle> generate(int count, long seed, int firstIndex) {
        return generate(count, seed, firstIndex, 0.0);
    }

    /**
     * Generates articles whose highlights are vague at the given rate: a vague highlight keeps its
     * first sentence and replaces the second, which states two or three of the five facts, with
     * {@value Pools#VAGUE} — a lazy reference, as real reference summaries sometimes are. A model
     * trained on them ends its summaries that way at about that rate, whatever the article, so the
     * summaries it samples for one article differ in how many facts they state; that is what a QA
     * judge rewards and DPO learns from. The articles and questions are those of
     * {@link #generate(int, long, int)}.
     *
     * @param count how many
     * @param seed the generator's seed
     * @param firstIndex the index of the first article
     * @param faultyRate the share of vague highlights, in [0, 1]
     * @return the articles
     */
    public static List<NewsArticle> generate(int count, long seed, int firstIndex, double faultyRate) {
        if (!(faultyRate >= 0 && faultyRate <= 1)) {
            throw new IllegalArgumentException("faultyRate must be in [0, 1], got " + faultyRate);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        Random random = new Random(seed * 1_000_003L + firstIndex);
        Random faults = new Random(seed * 7_919L + firstIndex);
        List<NewsArticle> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = String.format("%s%05d", ID_PREFIX, firstIndex + i);
            StoryKind kind = StoryKind.values()[random.nextInt(StoryKind.values().length)];
            out.add(kind.write(id, random, faults.nextDouble() < faultyRate));
        }
        return out;
    }

    /**
     * Every word a generated article, highlight or question can contain, in a fixed order.
     *
     * @return the words
     */
    public static List<String> vocabulary() {
        Set<String> words = new LinkedHashSet<>();
        for (List<String> pool : List.of(Pools.ORGS, Pools.CITIES, Pools.PEOPLE, Pools.PARTIES, Pools.DAYS)) {
            words.addAll(pool);
        }
        for (StoryKind kind : StoryKind.values()) {
            for (int[] range : kind.numberRanges()) {
                for (int v = range[0]; v <= range[1]; v += range[2]) {
                    words.add(Integer.toString(v));
                }
            }
            for (String text : kind.templateTexts()) {
                Collections.addAll(words, text.split(" "));
            }
        }
        for (String text : Pools.FILLERS) {
            Collections.addAll(words, text.split(" "));
        }
        Collections.addAll(words, Pools.VAGUE.split(" "));
        words.removeIf(w -> w.isEmpty() || w.startsWith("{"));
        return List.copyOf(words);
    }

    /** Builds one article from a filled template. */
    static NewsArticle assemble(String id, Random random, String lead, List<String> body, String distractor,
                                String highlights, List<Question> questions) {
        List<String> fillers = new ArrayList<>(Pools.FILLERS);
        Collections.shuffle(fillers, random);
        List<String> sentences = new ArrayList<>();
        sentences.add(lead);
        sentences.addAll(body);
        sentences.add(fillers.get(0));
        sentences.add(distractor);
        sentences.add(fillers.get(1));
        return new NewsArticle(id, String.join(" ", sentences), highlights, new QuestionSet(id, questions, "templates"));
    }

    /**
     * A question whose options are the answer, the article's distracting value (when not null) and
     * random others from the pool, in random order.
     */
    static Question question(Random random, String text, String answer, String distractor, List<String> pool) {
        List<String> options = new ArrayList<>();
        options.add(answer);
        if (distractor != null && !distractor.equals(answer)) {
            options.add(distractor);
        }
        while (options.size() < Question.OPTIONS) {
            String other = pool.get(random.nextInt(pool.size()));
            if (!options.contains(other)) {
                options.add(other);
            }
        }
        Collections.shuffle(options, random);
        String letter = String.valueOf(Question.LETTERS.charAt(options.indexOf(answer)));
        return new Question(text, options, letter);
    }
}
