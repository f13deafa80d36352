package dev.dpo4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.model.AttentionMask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A training batch laid out for one forward pass: rows of token ids with their positions, the
 * attention structure, and which hidden state predicts which completion token.
 *
 * <p>Letters: R rows, T columns (the longest row; shorter rows are padded), N completion tokens in
 * the whole batch, S segments (completions whose log-probs are summed: chosen of pair i is segment
 * 2i, rejected 2i + 1; for SFT, example i is segment i).
 *
 * <p>Each row holds one or more <em>blocks</em>. A block never sees another block (packing: several
 * blocks in one row with a block-diagonal mask). Within a block every column has a <em>branch</em>:
 * 0 for the prompt, 1 and 2 for the completions. A query sees the keys of its own block at or before
 * its column whose branch is 0 or its own. With {@link Layout#SHARED_PROMPT} a pair is one block
 * {@code [prompt, chosen, rejected]}: rejected tokens see the prompt but not the chosen tokens, and
 * their positions restart after the prompt, so every completion token sees exactly what it would in
 * its own sequence while the prompt is computed once. {@link Layout#SEPARATE} is TRL's layout: the
 * two blocks {@code [prompt, chosen]} and {@code [prompt, rejected]}.
 */
public final class PackedBatch {
    /** How a pair's two sequences are laid out. */
    public enum Layout {
        /** One block {@code [prompt, chosen, rejected]}: the prompt is computed once. */
        SHARED_PROMPT,
        /** Two blocks {@code [prompt, chosen]} and {@code [prompt, rejected]} (TRL's layout). */
        SEPARATE
    }

    private final int rows;
    private final int width;
    private final long[] ids; // (R·T) token ids, 0 in padding
    private final long[] positions; // (R·T)
    private final int[] block; // (R·T) block id, -1 in padding
    private final int[] branch; // (R·T)
    private final long[] predictor; // (N) row·T + column of the hidden state predicting the token
    private final long[] targets; // (N) the completion token ids
    private final int[] segmentOf; // (N)
    private final int segments;
    private final int realTokens;

    private PackedBatch(int rows, int width, long[] ids, long[] positions, int[] block, int[] branch,
                        long[] predictor, long[] targets, int[] segmentOf, int segments, int realTokens) {
        this.rows = rows;
        this.width = width;
        this.ids = ids;
        this.positions = positions;
        this.block = block;
        this.branch = branch;
        this.predictor = predictor;
        this.targets = targets;
        this.segmentOf = segmentOf;
        this.segments = segments;
        this.realTokens = realTokens;
    }

    /**
     * A run of tokens of one branch.
     *
     * @param tokens the token ids
     * @param branch 0 prompt, 1 or 2 a completion
     * @param segment the completion segment whose log-prob sums these tokens, or -1 for a prompt
     * @param startPosition the position id of the first token
     * @param continues the index, in its block, of the run this one follows (its first token is predicted
     *     by that run's last state), or -1
     */
    private record Run(long[] tokens, int branch, int segment, int startPosition, int continues) {
    }

    /** One block before placement: its runs in column order. */
    private static final class Unit {
        final List<Run> runs = new ArrayList<>();

        void add(long[] tokens, int branch, int segment, int startPosition, int continues) {
            runs.add(new Run(tokens, branch, segment, startPosition, continues));
        }

        int length() {
            int n = 0;
            for (Run run : runs) {
                n += run.tokens().length;
            }
            return n;
        }

        int completionTokens() {
            int n = 0;
            for (Run run : runs) {
                n += run.segment() >= 0 ? run.tokens().length : 0;
            }
            return n;
        }
    }

    /**
     * Lays out preference pairs.
     *
     * @param pairs the pairs; pair i gives segments 2i (chosen) and 2i + 1 (rejected)
     * @param layout shared prompt or separate sequences
     * @param packLength pack blocks into rows of at most this many columns (first fit, in order);
     *     0 puts each block in its own row
     * @return the batch
     */
    public static PackedBatch ofPairs(List<PreferencePair> pairs, Layout layout, int packLength) {
        List<Unit> units = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            PreferencePair p = pairs.get(i);
            int promptLength = p.promptIds().length;
            if (layout == Layout.SHARED_PROMPT) {
                Unit u = new Unit();
                u.add(p.promptIds(), 0, -1, 0, -1);
                u.add(p.chosenIds(), 1, 2 * i, promptLength, 0);
                u.add(p.rejectedIds(), 2, 2 * i + 1, promptLength, 0);
                units.add(u);
            } else {
                Unit chosen = new Unit();
                chosen.add(p.promptIds(), 0, -1, 0, -1);
                chosen.add(p.chosenIds(), 1, 2 * i, promptLength, 0);
                Unit rejected = new Unit();
                rejected.add(p.promptIds(), 0, -1, 0, -1);
                rejected.add(p.rejectedIds(), 1, 2 * i + 1, promptLength, 0);
                units.add(chosen);
                units.add(rejected);
            }
        }
        return place(units, 2 * pairs.size(), packLength);
    }

    /**
     * Lays out SFT examples: one block {@code [prompt, completion]} each; example i is segment i.
     *
     * @param examples the examples
     * @param packLength as in {@link #ofPairs}
     * @return the batch
     */
    public static PackedBatch ofExamples(List<SftExample> examples, int packLength) {
        List<Unit> units = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            SftExample e = examples.get(i);
            Unit u = new Unit();
            u.add(e.promptIds(), 0, -1, 0, -1);
            u.add(e.completionIds(), 1, i, e.promptIds().length, 0);
            units.add(u);
        }
        return place(units, examples.size(), packLength);
    }

    private static PackedBatch place(List<Unit> units, int segments, int packLength) {
        // 1. Rows: first fit in order, a unit goes into the current row while it fits, else opens a new one.
        List<List<Unit>> rowUnits = new ArrayList<>();
        List<Integer> fill = new ArrayList<>(); // (R) columns used per row
        for (Unit u : units) {
            int len = u.length();
            int last = rowUnits.size() - 1;
            if (packLength > 0 && last >= 0 && fill.get(last) + len <= packLength) {
                rowUnits.get(last).add(u);
                fill.set(last, fill.get(last) + len);
            } else {
                List<Unit> row = new ArrayList<>();
                row.add(u);
                rowUnits.add(row);
                fill.add(len);
            }
        }
        int rows = rowUnits.size(); // R
        int width = fill.stream().mapToInt(Integer::intValue).max().orElse(0); // T
        int n = units.stream().mapToInt(Unit::completionTokens).sum(); // N

        // 2. Columns, (R·T) row-major: token, position, block and branch; padding keeps block -1.
        long[] ids = new long[rows * width];
        long[] positions = new long[rows * width];
        int[] block = new int[rows * width];
        int[] branch = new int[rows * width];
        Arrays.fill(block, -1);
        // 3. Completion tokens, (N): the flat column whose hidden state predicts each, its id and segment.
        long[] predictor = new long[n];
        long[] targets = new long[n];
        int[] segmentOf = new int[n];
        int next = 0;
        int blockId = 0;
        for (int r = 0; r < rows; r++) {
            int col = 0;
            for (Unit u : rowUnits.get(r)) {
                int[] runEnd = new int[u.runs.size()]; // flat index of each run's last column
                for (int k = 0; k < u.runs.size(); k++) {
                    Run run = u.runs.get(k);
                    long[] tokens = run.tokens();
                    for (int j = 0; j < tokens.length; j++) {
                        int flat = r * width + col;
                        ids[flat] = tokens[j];
                        positions[flat] = run.startPosition() + j;
                        block[flat] = blockId;
                        branch[flat] = run.branch();
                        if (run.segment() >= 0) {
                            // Token j is predicted by the state before it: the previous token of this run,
                            // or for j = 0 the last token of the run it continues (the prompt).
                            predictor[next] = j == 0 ? runEnd[run.continues()] : flat - 1;
                            targets[next] = tokens[j];
                            segmentOf[next] = run.segment();
                            next++;
                        }
                        col++;
                    }
                    runEnd[k] = r * width + col - 1;
                }
                blockId++;
            }
        }
        int real = fill.stream().mapToInt(Integer::intValue).sum();
        return new PackedBatch(rows, width, ids, positions, block, branch, predictor, targets, segmentOf,
                segments, real);
    }

    /** R, the number of rows. */
    public int rows() {
        return rows;
    }

    /** T, the row width. */
    public int width() {
        return width;
    }

    /** S, the number of segments. */
    public int segments() {
        return segments;
    }

    /** N, the number of completion tokens. */
    public int completionTokens() {
        return targets.length;
    }

    /** Columns holding real tokens (not padding): the work a forward does. */
    public int realTokens() {
        return realTokens;
    }

    /** Every column including padding: R·T. */
    public int paddedTokens() {
        return rows * width;
    }

    /** Token counts per segment (completion lengths). */
    public int[] segmentLengths() {
        int[] lengths = new int[segments];
        for (int s : segmentOf) {
            lengths[s]++;
        }
        return lengths;
    }

    /** Position ids, (R·T) row-major. */
    public long[] positions() {
        return positions.clone();
    }

    /** Flat hidden-state index predicting each completion token, (N). */
    public long[] predictors() {
        return predictor.clone();
    }

    /** The completion token ids, (N). */
    public long[] targets() {
        return targets.clone();
    }

    /** The segment of each completion token, (N). */
    public int[] segmentOf() {
        return segmentOf.clone();
    }

    /**
     * The token ids as an array.
     *
     * @param manager where to allocate
     * @return (R, T) int64
     */
    public NDArray inputIds(NDManager manager) {
        return manager.create(ids, new Shape(rows, width));
    }

    /**
     * The additive attention mask of the layout, built with engine ops from per-column vectors (no
     * R·T·T array on the Java heap): same block, key column at or before the query's, key branch 0 or
     * the query's own, and with a sliding window only keys fewer than {@code window} positions back.
     *
     * @param manager where to allocate
     * @param window sliding window in tokens, 0 for none
     * @return (R, 1, 1, T, T)
     */
    public NDArray mask(NDManager manager, int window) {
        NDArray blk = manager.create(block, new Shape(rows, width)); // (R, T)
        NDArray br = manager.create(branch, new Shape(rows, width)); // (R, T)
        NDArray col = manager.arange(0, width, 1, DataType.INT32); // (T)
        NDArray blkQ = blk.reshape(rows, width, 1); // (R, T, 1): the query's block
        NDArray blkK = blk.reshape(rows, 1, width); // (R, 1, T): the key's block
        NDArray brQ = br.reshape(rows, width, 1);
        NDArray brK = br.reshape(rows, 1, width);
        NDArray allowed = blkQ.eq(blkK).logicalAnd(blkK.gte(0)) // (R, T, T) same block, not padding
                .logicalAnd(col.reshape(1, 1, width).lte(col.reshape(1, width, 1))) // key at or before the query
                .logicalAnd(brK.eq(0).logicalOr(brK.eq(brQ))); // key in the prompt or the query's own branch
        if (window > 0) {
            NDArray pos = manager.create(positions, new Shape(rows, width)); // (R, T)
            allowed = allowed.logicalAnd(pos.reshape(rows, width, 1).sub(pos.reshape(rows, 1, width)).lt(window));
        }
        return AttentionMask.additive(allowed).reshape(rows, 1, 1, width, width); // (R, 1, 1, T, T) for (B, Nkv, G, T, S)
    }
}
