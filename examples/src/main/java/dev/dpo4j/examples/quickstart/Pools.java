package dev.dpo4j.examples.quickstart;

import java.util.List;

/** The names and sentences the quickstart's news templates draw from (all invented). */
final class Pools {
    /** Organisations: one word each. */
    static final List<String> ORGS = List.of("Norvex", "Altira", "Brightwell", "Corvana", "Delmaro", "Eastgate",
            "Fenwick", "Glenmore", "Harlow", "Invicta", "Jorvik", "Kestrel", "Lumora", "Meridian", "Northwind",
            "Orvana", "Pellucid", "Quorra", "Redfern", "Solvay", "Tamsin", "Ulmera", "Veltro", "Westbrook",
            "Xandor", "Yarrow", "Zephyra", "Ashcombe", "Bellmont", "Calder");

    /** Cities: one word each. */
    static final List<String> CITIES = List.of("Arden", "Belmar", "Carrow", "Dunmore", "Elston", "Falkirk",
            "Garrick", "Hollin", "Ivybridge", "Jesmond", "Kelby", "Lowestone", "Marlow", "Newhaven", "Oakham",
            "Penrith", "Quenby", "Rushden", "Selby", "Thornbury", "Upton", "Ventnor", "Whitby", "Yeovil",
            "Alnwick", "Bexley", "Clifton", "Dorking", "Exton", "Fairford");

    /** People: one surname each. */
    static final List<String> PEOPLE = List.of("Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Castillo",
            "Haddad", "Kowalski", "Brennan", "Adeyemi", "Fischer", "Romano", "Petrov", "Sato", "Nielsen",
            "Duarte", "Mensah", "Varga", "Quinlan", "Iversen", "Bakker", "Costa", "Ahmed", "Larsen", "Murphy",
            "Schultz", "Rossi", "Jensen", "Dubois", "Wagner");

    /** Parties: one word each. */
    static final List<String> PARTIES = List.of("Greens", "Liberals", "Unionists", "Progressives", "Reformists",
            "Centrists", "Democrats", "Federalists");

    /** Days of the week. */
    static final List<String> DAYS = List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
            "Sunday");

    /**
     * Sentences that carry no key fact; two go into every article. All have the same number of
     * words, so an article's length, and the distance between a fact and its place in the summary,
     * depends only on the kind of story.
     */
    static final List<String> FILLERS = List.of(
            "Local leaders welcomed the news on the day .",
            "Officials said more details would follow next month .",
            "The announcement had been widely expected for weeks .",
            "Critics said the plan came far too late .",
            "Residents gathered in the square to hear it .",
            "Analysts said it could shape the coming year .",
            "The region has seen strong growth this decade .",
            "A spokesperson declined to comment any further today .");

    /**
     * What a vague reference summary says instead of its second sentence: true of every story and
     * stating none of its facts, so a summary that ends with it answers fewer questions.
     */
    static final String VAGUE = "No other details were given .";

    private Pools() {
    }
}
