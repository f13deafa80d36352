package dev.dpo4j.data;

import dev.dpo4j.core.tokenizer.Tokenizer;
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
 * <p>Lengths are counted on each part's {@link Content#flatText()}: tokens from
 * {@link Tokenizer#encode(String, boolean)} without special tokens when a tokenizer is set, Unicode
 * code points otherwise. Dedup remembers a 128-bit hash (the first 16 bytes of SHA-256) of each
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

    private final Tokenizer tokenizer;
    private final int maxPrompt;
    private final int maxResponse;
    private final int maxTotal;
    private final boolean dedup;
    private final boolean dropIdentical;
    private final Set<Key> seen = new HashSet<>();

    /**
     * @param tokenizer counts tokens, or null to count characters
     * @param maxPrompt the prompt limit, or 0 for none
     * @param maxResponse the limit on each response, or 0 for none
     * @param maxTotal the limit on prompt + longer response, or 0 for none
     * @param dedup whether exact duplicates are dropped
     * @param dropIdentical whether rows with chosen equal to rejected are dropped
     */
    PreferenceFilter(Tokenizer tokenizer, int maxPrompt, int maxResponse, int maxTotal, boolean dedup,
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
     * @param example the row
     * @return the verdict
     */
    Verdict check(PreferenceExample example) {
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
        Lengths lengths = new Lengths(length(prompt), length(chosen), length(rejected));
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
     * The length of a text in this filter's unit.
     *
     * @param text the text
     * @return tokens (no special tokens) or Unicode code points
     */
    int length(String text) {
        return tokenizer == null ? text.codePointCount(0, text.length()) : tokenizer.encode(text, false).length;
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
