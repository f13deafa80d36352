package dev.dpo4j.examples.quickstart;

import dev.dpo4j.data.synth.Question;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The three kinds of story in the quickstart corpus. Each fills a lead sentence, two fact sentences,
 * a sentence about a distracting entity, the highlights and five questions from the {@link Pools}.
 * The highlights are two sentences: the first states two or three of the facts, the second the rest;
 * a vague highlight replaces the second with {@link Pools#VAGUE}.
 */
enum StoryKind {
    /** A company opens a factory: company, city, cost, jobs, day; another company's plant distracts. */
    FACTORY {
        @Override
        NewsArticle write(String id, Random r, boolean vague) {
            String org = pick(r, Pools.ORGS);
            String org2 = other(r, Pools.ORGS, org);
            String city = pick(r, Pools.CITIES);
            String city2 = other(r, Pools.CITIES, city);
            String cost = number(r, 0);
            String jobs = number(r, 1);
            String day = pick(r, Pools.DAYS);
            List<Question> qs = new ArrayList<>();
            qs.add(NewsCorpus.question(r, "Which company will open the new factory ?", org, org2, Pools.ORGS));
            qs.add(NewsCorpus.question(r, "Where will the factory be built ?", city, city2, Pools.CITIES));
            qs.add(NewsCorpus.question(r, "How many million dollars will the factory cost ?", cost, null, range(0)));
            qs.add(NewsCorpus.question(r, "How many jobs will the factory create ?", jobs, null, range(1)));
            qs.add(NewsCorpus.question(r, "On which day was the factory announced ?", day, null, Pools.DAYS));
            return NewsCorpus.assemble(id, r,
                    org + " will open a new factory in " + city + " , the company said on " + day + " .",
                    List.of("The factory will cost " + cost + " million dollars .",
                            "It is expected to create " + jobs + " jobs in the area ."),
                    "Last year " + org2 + " closed a plant in " + city2 + " .",
                    highlights(org + " will open a factory in " + city + " .", "It will cost " + cost
                            + " million dollars and create " + jobs + " jobs , the company said on " + day + " .", vague),
                    qs);
        }
    },
    /** An election: winner, city, party, share of the vote, day; the runner-up distracts. */
    ELECTION {
        @Override
        NewsArticle write(String id, Random r, boolean vague) {
            String person = pick(r, Pools.PEOPLE);
            String rival = other(r, Pools.PEOPLE, person);
            String city = pick(r, Pools.CITIES);
            String party = pick(r, Pools.PARTIES);
            String party2 = other(r, Pools.PARTIES, party);
            String share = number(r, 2);
            String day = pick(r, Pools.DAYS);
            List<Question> qs = new ArrayList<>();
            qs.add(NewsCorpus.question(r, "Who won the election ?", person, rival, Pools.PEOPLE));
            qs.add(NewsCorpus.question(r, "In which city was the election held ?", city, null, Pools.CITIES));
            qs.add(NewsCorpus.question(r, "Which party does the winner lead ?", party, party2, Pools.PARTIES));
            qs.add(NewsCorpus.question(r, "What percent of the vote did the winner get ?", share, null, range(2)));
            qs.add(NewsCorpus.question(r, "On which day was the result announced ?", day, null, Pools.DAYS));
            return NewsCorpus.assemble(id, r,
                    person + " has been elected mayor of " + city + " , officials said on " + day + " .",
                    List.of(person + " won " + share + " percent of the vote .",
                            person + " leads the " + party + " in the city council ."),
                    "The rival candidate " + rival + " of the " + party2 + " conceded defeat .",
                    highlights(person + " of the " + party + " was elected mayor of " + city + " .", "The winner took "
                            + share + " percent of the vote , officials said on " + day + " .", vague),
                    qs);
        }
    },
    /** A storm: city, wind speed, homes without power, the mayor, day; another town's mayor distracts. */
    STORM {
        @Override
        NewsArticle write(String id, Random r, boolean vague) {
            String city = pick(r, Pools.CITIES);
            String city2 = other(r, Pools.CITIES, city);
            String wind = number(r, 3);
            String homes = number(r, 4);
            String person = pick(r, Pools.PEOPLE);
            String person2 = other(r, Pools.PEOPLE, person);
            String day = pick(r, Pools.DAYS);
            List<Question> qs = new ArrayList<>();
            qs.add(NewsCorpus.question(r, "Which city did the storm hit ?", city, city2, Pools.CITIES));
            qs.add(NewsCorpus.question(r, "How fast were the winds , in km per hour ?", wind, null, range(3)));
            qs.add(NewsCorpus.question(r, "How many homes lost power ?", homes, null, range(4)));
            qs.add(NewsCorpus.question(r, "Who leads the city response ?", person, person2, Pools.PEOPLE));
            qs.add(NewsCorpus.question(r, "On which day did the storm hit ?", day, null, Pools.DAYS));
            return NewsCorpus.assemble(id, r,
                    "A storm hit " + city + " on " + day + " with winds of " + wind + " km per hour .",
                    List.of("About " + homes + " homes lost power , said mayor " + person + " .",
                            "Mayor " + person + " said crews would work through the night ."),
                    "Mayor " + person2 + " of " + city2 + " said the storm would weaken before it arrived .",
                    highlights("A storm with winds of " + wind + " km per hour hit " + city + " on " + day + " .", "About "
                            + homes + " homes lost power , mayor " + person + " said .", vague),
                    qs);
        }
    };

    /** Number ranges {from, to, step}: cost, jobs, vote share, wind speed, homes. */
    private static final int[][] NUMBERS = {{10, 95, 5}, {100, 950, 50}, {51, 79, 1}, {80, 190, 10}, {1000, 9500, 500}};

    /**
     * Writes one article of this kind.
     *
     * @param id the article id
     * @param random the corpus generator's random source
     * @param vague whether the highlights' second sentence is {@link Pools#VAGUE} instead of the facts
     *     it should state (a lazy reference, as real reference summaries sometimes are)
     * @return the article
     */
    abstract NewsArticle write(String id, Random random, boolean vague);

    /** The number ranges any kind uses (all kinds share the table). */
    int[][] numberRanges() {
        return NUMBERS;
    }

    /** A sample article's sentences and questions, from which the fixed words are collected. */
    List<String> templateTexts() {
        NewsArticle a = write("vocabulary", new Random(0), false);
        List<String> texts = new ArrayList<>(List.of(a.text(), a.highlights()));
        a.questions().questions().forEach(q -> texts.add(q.question()));
        return texts;
    }

    /** The two highlight sentences, or the first and {@link Pools#VAGUE}. */
    private static String highlights(String first, String second, boolean vague) {
        return first + " " + (vague ? Pools.VAGUE : second);
    }

    private static String pick(Random r, List<String> pool) {
        return pool.get(r.nextInt(pool.size()));
    }

    private static String other(Random r, List<String> pool, String not) {
        String v;
        do {
            v = pick(r, pool);
        } while (v.equals(not));
        return v;
    }

    private static List<String> range(int range) {
        int[] s = NUMBERS[range];
        return IntStream.iterate(s[0], v -> v <= s[1], v -> v + s[2]).mapToObj(Integer::toString).toList();
    }

    private static String number(Random r, int range) {
        List<String> all = range(range);
        return all.get(r.nextInt(all.size()));
    }
}
