package dev.dpo4j.data;

import dev.dpo4j.core.train.PreferencePair;
import dev.dpo4j.data.format.Content;
import dev.dpo4j.data.format.PreferenceExample;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.tokenize.ExampleTokenizer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.Set;

/**
 * The row filters of one {@link PreferenceDataset} pass, applied in {@link DropReason} order:
 * empty, identical, duplicate, then the length limits. Stateful (it remembers what it has kept
 * for dedup), so a pass makes a new one.
 *
 * <p>With a tokenizer, lengths are the token counts training feeds: the row tokenized by
 * {@link ExampleTokenizer} exactly as {@code train} tokenizes it (chat template, BOS, the EOS that ends
 * each completion, the prompt/completion boundary), so a row kept with {@code maxTotal N} is never cut by
 * {@code max_length N}. Without one, they are Unicode code points of each part's
 * {@link Content#flatText()}. Dedup remembers a 128-bit hash (the first 16 bytes of SHA-256) of each
 * kept row's prompt, chosen and rejected JSON, never the row itself.
 */
final class PreferenceFilter {

    /**
     * A row's lengths.
     *
     * @param prompt prompt length
     * @param chosen chosen length
     * @param rejected rejected length
     */
    record Lengths(int prompt, int chosen, int rejected) {
    }

    /**
     * The outcome for one row.
     *
     * @param reason why it is dropped, or null when kept
     * @param detail the specifics, for messages (empty when kept)
     * @param lengths its lengths, or null when dropped before they were measured
     */
    record Verdict(DropReason reason, String detail, Lengths lengths) {
        boolean kept() {
            return reason == null;
        }
    }

    /** A 128-bit hash. */
    private record Key(long high, long low) {
    }

    private final ExampleTokenizer tokenizer;
    private final int maxPrompt;
    private final int maxResponse;
    private final int maxTotal;
    private final boolean dedup;
    private final boolean dropIdentical;
    private final Set<Key> seen = new HashSet<>();

    /**
     * @param tokenizer counts the tokens training feeds, or null to count characters
     * @param maxPrompt the prompt limit, or 0 for none
     * @param maxResponse the limit on each response, or 0 for none
     * @param maxTotal the limit on prompt + longer response, or 0 for none
     * @param dedup whether exact duplicates are dropped
     * @param dropIdentical whether rows with chosen equal to rejected are dropped
     */
    PreferenceFilter(ExampleTokenizer tokenizer, int maxPrompt, int maxResponse, int maxTotal, boolean dedup,
            boolean dropIdentical) {
        this.tokenizer = tokenizer;
        this.maxPrompt = maxPrompt;
        this.maxResponse = maxResponse;
        this.maxTotal = maxTotal;
        this.dedup = dedup;
        this.dropIdentical = dropIdentical;
    }

    /**
     * Decides whether to keep a row; a kept row counts as seen for dedup.
     *
     * @param row the row, for tokenization errors
     * @param example the row's example
     * @return the verdict
     * @throws dev.dpo4j.data.io.DatasetException naming the row when the tokenizer cannot tokenize it as
     *     training would (a chat template that rejects it, conversational rows without a template)
     */
    Verdict check(DataRow row, PreferenceExample example) {
        String prompt = example.prompt().flatText();
        String chosen = example.chosen().flatText();
        String rejected = example.rejected().flatText();
        if (prompt.isBlank() || chosen.isBlank() || rejected.isBlank()) {
            String which = prompt.isBlank() ? "prompt" : chosen.isBlank() ? "chosen" : "rejected";
            return new Verdict(DropReason.EMPTY, "'" + which + "' is empty", null);
        }
        if (dropIdentical && example.chosen().equals(example.rejected())) {
            return new Verdict(DropReason.IDENTICAL, "'chosen' equals 'rejected'", null);
        }
        Key key = null;
        if (dedup) {
            long[] h = hash128(example.prompt().toJson().toString(), example.chosen().toJson().toString(),
                    example.rejected().toJson().toString());
            key = new Key(h[0], h[1]);
            if (seen.contains(key)) {
                return new Verdict(DropReason.DUPLICATE, "same prompt, chosen and rejected as an earlier row", null);
            }
        }
        Lengths lengths = lengths(row, example);
        String unit = tokenizer == null ? " characters" : " tokens";
        int response = Math.max(lengths.chosen(), lengths.rejected());
        if (maxPrompt > 0 && lengths.prompt() > maxPrompt) {
            return new Verdict(DropReason.PROMPT_TOO_LONG, "prompt has " + lengths.prompt() + unit + " > " + maxPrompt,
                    lengths);
        }
        if (maxResponse > 0 && response > maxResponse) {
            String which = lengths.chosen() >= lengths.rejected() ? "chosen" : "rejected";
            return new Verdict(DropReason.RESPONSE_TOO_LONG, which + " has " + response + unit + " > " + maxResponse,
                    lengths);
        }
        if (maxTotal > 0 && lengths.prompt() + response > maxTotal) {
            return new Verdict(DropReason.TOTAL_TOO_LONG, "prompt + longer response has "
                    + (lengths.prompt() + response) + unit + " > " + maxTotal, lengths);
        }
        if (key != null) {
            seen.add(key);
        }
        return new Verdict(null, "", lengths);
    }

    /**
     * A row's lengths in this filter's unit: the tokens training feeds, or code points.
     *
     * @param row the row, for errors
     * @param example the example
     * @return the lengths
     */
    Lengths lengths(DataRow row, PreferenceExample example) {
        if (tokenizer == null) {
            return new Lengths(codePoints(example.prompt().flatText()), codePoints(example.chosen().flatText()),
                    codePoints(example.rejected().flatText()));
        }
        PreferencePair pair = tokenizer.pair(row, example);
        return new Lengths(pair.promptIds().length, pair.chosenIds().length, pair.rejectedIds().length);
    }

    private static int codePoints(String text) {
        return text.codePointCount(0, text.length());
    }

    /**
     * The first 128 bits of the SHA-256 of the parts, each as UTF-8 followed by a 0 byte.
     *
     * @param parts the strings
     * @return two longs, high then low
     */
    static long[] hash128(String... parts) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        for (String part : parts) {
            sha.update(part.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        ByteBuffer digest = ByteBuffer.wrap(sha.digest());
        return new long[] {digest.getLong(), digest.getLong()};
    }
}
