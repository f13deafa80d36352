package dev.dpo4j.examples.quickstart;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the values back out of a prompt rendered from a {@code {{placeholder}}} template: the
 * inverse of dpo-data's {@code SynthPrompts.render} and of dpo-eval's pairwise prompt.
 *
 * <p>The template becomes a regular expression in which each field to read is a lazy group and
 * every other placeholder (such as {@code {{n}}}) matches any text on one line. Only the
 * template's text between the first and the last field is required in full; of the text before
 * the first field only its last line is required (the {@code Summary:} label), and of the text
 * after the last field only its first non-blank line, so a prompt whose preamble was moved into a
 * system message still reads. A field's value may span lines but cannot contain the template text
 * that follows it.
 */
final class PromptFields {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

    private final Pattern pattern;
    private final List<String> fields;

    private PromptFields(Pattern pattern, List<String> fields) {
        this.pattern = pattern;
        this.fields = fields;
    }

    /**
     * Compiles a template.
     *
     * @param template the template text, with {@code {{name}}} placeholders
     * @param wanted the placeholders whose values {@link #read} returns; each must occur exactly once
     * @return the reader
     * @throws IllegalArgumentException naming a wanted placeholder that is missing or repeated
     */
    static PromptFields of(String template, Set<String> wanted) {
        Objects.requireNonNull(template, "template");
        Matcher m = PLACEHOLDER.matcher(template);
        int firstStart = -1;
        int lastEnd = -1;
        List<String> order = new ArrayList<>();
        while (m.find()) {
            if (wanted.contains(m.group(1))) {
                if (order.contains(m.group(1))) {
                    throw new IllegalArgumentException("the template has {{" + m.group(1) + "}} more than once");
                }
                order.add(m.group(1));
                firstStart = firstStart < 0 ? m.start() : firstStart;
                lastEnd = m.end();
            }
        }
        for (String name : wanted) {
            if (!order.contains(name)) {
                throw new IllegalArgumentException("the template has no {{" + name + "}} placeholder");
            }
        }
        String head = template.substring(0, firstStart);
        head = head.substring(lastContentLineStart(head));
        String tail = template.substring(lastEnd);
        tail = tail.substring(0, firstContentLineEnd(tail));
        String body = template.substring(firstStart, lastEnd);
        String regex = literal(head) + body(body, wanted) + literal(tail);
        return new PromptFields(Pattern.compile(regex, Pattern.DOTALL), List.copyOf(order));
    }

    /**
     * The values of the wanted placeholders in a rendered prompt: the first place where the
     * template's text matches.
     *
     * @param prompt the rendered prompt
     * @return each wanted placeholder's value, or empty when the prompt does not follow the template
     */
    Optional<Map<String, String>> read(String prompt) {
        Matcher m = pattern.matcher(prompt);
        if (!m.find()) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            values.put(fields.get(i), m.group(i + 1));
        }
        return Optional.of(Map.copyOf(values));
    }

    /** The template between the first and last wanted field: wanted fields become lazy groups. */
    private static String body(String text, Set<String> wanted) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder regex = new StringBuilder();
        int at = 0;
        while (m.find()) {
            regex.append(literal(text.substring(at, m.start())));
            regex.append(wanted.contains(m.group(1)) ? "(.*?)" : "[^\\n]*?");
            at = m.end();
        }
        return regex.append(literal(text.substring(at))).toString();
    }

    /** Literal text in which any other placeholder matches any text on one line. */
    private static String literal(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder regex = new StringBuilder();
        int at = 0;
        while (m.find()) {
            regex.append(quote(text.substring(at, m.start()))).append("[^\\n]*?");
            at = m.end();
        }
        return regex.append(quote(text.substring(at))).toString();
    }

    private static String quote(String text) {
        return text.isEmpty() ? "" : Pattern.quote(text);
    }

    /** The start of the last line of {@code text} that holds more than whitespace, or 0. */
    private static int lastContentLineStart(String text) {
        int end = text.length();
        while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.lastIndexOf('\n', end - 1) + 1;
    }

    /** The end of the first line of {@code text} that holds more than whitespace, or its length. */
    private static int firstContentLineEnd(String text) {
        int at = 0;
        while (at < text.length()) {
            int newline = text.indexOf('\n', at);
            int end = newline < 0 ? text.length() : newline;
            if (!text.substring(at, end).isBlank()) {
                return end;
            }
            at = end + 1;
        }
        return text.length();
    }
}
