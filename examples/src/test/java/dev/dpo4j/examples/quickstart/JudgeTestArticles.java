package dev.dpo4j.examples.quickstart;

import dev.dpo4j.data.synth.Question;
import dev.dpo4j.data.synth.QuestionSet;
import java.util.List;

/**
 * Hand-written articles for the embedded judge's tests, in the corpus's form (words and
 * punctuation separated by single spaces), each with five questions whose correct option occurs
 * in the text and whose wrong options do not.
 */
final class JudgeTestArticles {

    /** Acme buys Globex: company B, day C, date A, price D, city B. */
    static final NewsArticle ACME = new NewsArticle("news-00001",
            "Acme Corp said on Monday , March 3 , that it will buy Globex for 5 billion dollars . "
                    + "The deal was signed in Paris after a year of talks .",
            "Acme Corp will buy Globex for 5 billion dollars .",
            new QuestionSet("news-00001", List.of(
                    new Question("Which company will buy Globex ?",
                            List.of("Initech", "Acme Corp", "Umbrella", "Hooli"), "B"),
                    new Question("On which day did the company speak ?",
                            List.of("Friday", "Tuesday", "Monday", "Sunday"), "C"),
                    new Question("On which date did the company speak ?",
                            List.of("March 3", "March 30", "April 3", "May 3"), "A"),
                    new Question("How much will the company pay ?",
                            List.of("2 billion dollars", "9 billion dollars", "7 billion dollars",
                                    "5 billion dollars"), "D"),
                    new Question("Where was the deal signed ?",
                            List.of("Lyon", "Paris", "Berlin", "Rome"), "B")), "hand"));

    /** A storm in Oslo: city A, count C, month B, agency D, outcome A. */
    static final NewsArticle STORM = new NewsArticle("news-00002",
            "A storm hit Oslo in October and closed 12 schools , the weather agency Met Norway said . "
                    + "All schools opened again two days later .",
            "A storm closed 12 schools in Oslo .",
            new QuestionSet("news-00002", List.of(
                    new Question("Which city did the storm hit ?",
                            List.of("Oslo", "Bergen", "Stockholm", "Helsinki"), "A"),
                    new Question("How many schools closed ?",
                            List.of("10", "20", "12", "2"), "C"),
                    new Question("In which month did the storm hit ?",
                            List.of("September", "October", "November", "December"), "B"),
                    new Question("Who reported the storm ?",
                            List.of("the police", "the mayor", "a school", "Met Norway"), "D"),
                    new Question("What happened two days later ?",
                            List.of("opened again", "stayed shut", "were sold", "moved"), "A")), "hand"));

    /** Both articles. */
    static final List<NewsArticle> ALL = List.of(ACME, STORM);

    private JudgeTestArticles() {
    }
}
