package dev.dpo4j.data.tokenize;

import dev.dpo4j.core.io.JsonlException;
import dev.dpo4j.core.io.JsonlRow;
import dev.dpo4j.data.io.DataRow;
import dev.dpo4j.data.io.DatasetException;

/**
 * The token-id fields of pre-tokenized rows ({@code prompt_ids}, {@code chosen_ids}, …), read and checked
 * against the model's vocabulary, failing with a {@link DatasetException} that names the file, line and
 * field.
 */
final class TokenIds {

    private TokenIds() {
    }

    /**
     * Returns whether a row has any of the fields, with a non-null value.
     *
     * @param row the row
     * @param fields field names
     * @return {@code true} if one of them is present
     */
    static boolean hasAny(DataRow row, String... fields) {
        for (String field : fields) {
            if (row.get(field) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads non-empty token ids, each in {@code [0, vocabSize)} when the vocabulary size is known.
     *
     * @param row the row
     * @param field the field name, such as {@code chosen_ids}
     * @param vocabSize the vocabulary size, or 0 when unknown
     * @return the ids
     */
    static long[] read(DataRow row, String field, int vocabSize) {
        long[] ids;
        try {
            ids = new JsonlRow(row.source(), Math.toIntExact(row.line()), row.value()).longArray(field);
        } catch (JsonlException e) {
            throw row.error(e.problem());
        }
        if (ids.length == 0) {
            throw row.error("field '" + field + "' is empty; it needs at least one token id");
        }
        checkVocab(row, field, ids, vocabSize, "");
        return ids;
    }

    /**
     * Checks that every id is in {@code [0, vocabSize)}.
     *
     * @param row the row, for the error location
     * @param field the field the ids came from
     * @param ids the ids
     * @param vocabSize the vocabulary size, or 0 to skip the check
     * @param origin words saying where the ids came from, appended to the message (may be empty)
     */
    static void checkVocab(DataRow row, String field, long[] ids, int vocabSize, String origin) {
        if (vocabSize <= 0) {
            return;
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw row.error("field '" + field + "' token [" + i + "] = " + ids[i]
                        + " is outside the vocabulary [0, " + vocabSize + ")" + origin);
            }
        }
    }
}
