package dev.dpo4j.core.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.dpo4j.core.model.AttentionMask;
import dev.dpo4j.core.model.DecoderModel;
import dev.dpo4j.core.model.KvCache;
import dev.dpo4j.core.model.TokenIds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Autoregressive generation for several prompts at once.
 *
 * <p>Prompts are left-padded to a common length T0 (pad columns are masked out and real tokens keep
 * positions 0, 1, …), so every row's next token is in the last column. With the KV cache, the prompt is
 * run once (prefill) and each further step runs a single position per row against the cached keys;
 * without it, every step recomputes the whole sequence. Both give the same tokens.
 *
 * <p>Letters: B prompts, T0 padded prompt length, V vocab.
 */
public final class Generator {
    private final DecoderModel model;
    private final long[] eosIds;
    private final TokenDecoder decoder;

    /**
     * Creates a generator.
     *
     * @param model the decoder
     * @param eosIds end-of-sequence ids (tokenizer and generation_config), may be empty
     * @param decoder decodes new tokens to check stop strings; may be {@code null} when none are used
     */
    public Generator(DecoderModel model, long[] eosIds, TokenDecoder decoder) {
        this.model = model;
        this.eosIds = eosIds.clone();
        this.decoder = decoder;
    }

    /**
     * Generates a continuation for every prompt.
     *
     * @param prompts token ids of each prompt (non-empty, inside the vocabulary)
     * @param config how to generate
     * @return one result per prompt, in order
     */
    public List<Generation> generate(List<long[]> prompts, GenerationConfig config) {
        if (!config.stopStrings().isEmpty() && decoder == null) {
            throw new IllegalArgumentException("stop strings need a tokenizer to decode the generated text");
        }
        int vocab = model.config().vocabSize();
        for (int i = 0; i < prompts.size(); i++) {
            long[] p = prompts.get(i);
            if (p.length == 0) {
                throw new IllegalArgumentException("prompt " + i + " is empty: give at least one token (e.g. BOS)");
            }
            TokenIds.check(p, vocab, "prompt " + i);
        }
        if (prompts.isEmpty()) {
            return List.of();
        }
        State state = new State(prompts, config);
        if (config.maxNewTokens() == 0) {
            return state.results();
        }
        try (NDManager manager = model.manager().newSubManager()) {
            KvCache cache = config.useCache() ? newCache(manager, state) : null;
            try {
                float[] logits = wholeSequence(manager, state, cache); // prefill: nothing fed back yet
                long regime = model.cacheRegime(state.promptWidth);
                for (int step = 0; ; step++) {
                    long[] next = state.choose(logits, vocab);
                    if (state.allDone() || step + 1 >= config.maxNewTokens()) {
                        break;
                    }
                    long length = state.promptWidth + state.fed.size();
                    if (cache != null && model.cacheRegime(length) != regime) {
                        // LongRoPE passed original_max_position_embeddings: every cached key was rotated with
                        // the short factors, so refill the cache with the long ones (transformers' Phi-3 too).
                        cache.close();
                        cache = newCache(manager, state);
                        regime = model.cacheRegime(length);
                        logits = wholeSequence(manager, state, cache);
                    } else {
                        logits = cache != null ? decodeStep(manager, state, cache, next)
                                : wholeSequence(manager, state, null);
                    }
                }
            } finally {
                if (cache != null) {
                    cache.close();
                }
            }
        }
        return state.results();
    }

    private KvCache newCache(NDManager manager, State s) {
        return new KvCache(manager, model.config(), s.batch, s.promptWidth + s.config.maxNewTokens(), model.dtype());
    }

    /** One cached step: the previous token of each row at its next position. */
    private float[] decodeStep(NDManager manager, State s, KvCache cache, long[] previous) {
        long[] positions = new long[s.batch];
        for (int b = 0; b < s.batch; b++) {
            positions[b] = s.prompts.get(b).length + s.fed.size() - 1L;
        }
        return run(manager, previous, positions, 1, s, cache);
    }

    /**
     * The padded prompts plus every token fed back so far, returning the last column's logits (B·V):
     * the prefill (into the cache, when there is one) and each uncached step.
     */
    private float[] wholeSequence(NDManager manager, State s, KvCache cache) {
        int steps = s.fed.size();
        return run(manager, s.paddedIds(steps), s.positions(steps), s.promptWidth + steps, s, cache);
    }

    private float[] run(NDManager manager, long[] ids, long[] positions, int tokens, State s, KvCache cache) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            int keys = (cache == null ? 0 : cache.length()) + tokens;
            int[] end = new int[s.batch];
            Arrays.fill(end, keys);
            NDArray input = manager.create(ids, new Shape(s.batch, tokens));
            NDArray hidden = model.forward(input, positions,
                    window -> AttentionMask.causal(manager, tokens, keys, s.padding, end, window), cache); // (B, T, H)
            NDArray last = hidden.get(new NDIndex(":, -1, :")); // (B, H)
            return model.logits(last).toFloatArray(); // (B, V)
        }
    }

    /** Per-row progress of one call. */
    private final class State {
        final List<long[]> prompts;
        final GenerationConfig config;
        final int batch;
        final int promptWidth;
        final int[] padding;
        final List<List<Long>> generated = new ArrayList<>();
        /** The token fed back per row at each step (a finished row repeats its last token). */
        final List<long[]> fed = new ArrayList<>();
        final FinishReason[] finished;
        final SplittableRandom[] randoms;

        State(List<long[]> prompts, GenerationConfig config) {
            this.prompts = prompts;
            this.config = config;
            this.batch = prompts.size();
            this.promptWidth = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
            this.padding = new int[batch];
            this.finished = new FinishReason[batch];
            this.randoms = new SplittableRandom[batch];
            for (int b = 0; b < batch; b++) {
                padding[b] = promptWidth - prompts.get(b).length;
                generated.add(new ArrayList<>());
                randoms[b] = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + b);
            }
        }

        /** Left-padded prompt plus the first {@code steps} generated tokens, (B, T0 + steps). */
        long[] paddedIds(int steps) {
            int width = promptWidth + steps;
            long[] ids = new long[batch * width];
            for (int b = 0; b < batch; b++) {
                long[] p = prompts.get(b);
                System.arraycopy(p, 0, ids, b * width + padding[b], p.length);
                for (int i = 0; i < steps; i++) {
                    ids[b * width + promptWidth + i] = fed.get(i)[b];
                }
            }
            return ids;
        }

        /** Positions matching {@link #paddedIds}: 0 for padding, then 0, 1, … for real tokens. */
        long[] positions(int steps) {
            int width = promptWidth + steps;
            long[] pos = new long[batch * width];
            for (int b = 0; b < batch; b++) {
                for (int c = padding[b]; c < width; c++) {
                    pos[b * width + c] = c - padding[b];
                }
            }
            return pos;
        }

        /** Picks each row's next token from (B·V) logits and records finished rows. */
        long[] choose(float[] logits, int vocab) {
            long[] next = new long[batch];
            for (int b = 0; b < batch; b++) {
                List<Long> out = generated.get(b);
                if (finished[b] != null) {
                    next[b] = out.get(out.size() - 1);
                    continue;
                }
                int token = config.isGreedy()
                        ? Sampler.argmax(logits, b * vocab, vocab)
                        : Sampler.sample(logits, b * vocab, vocab, config, randoms[b]);
                next[b] = token;
                out.add((long) token);
                if (config.stopOnEos() && isEos(token)) {
                    finished[b] = FinishReason.EOS;
                } else if (hitsStopString(out)) {
                    finished[b] = FinishReason.STOP_STRING;
                } else if (out.size() >= config.maxNewTokens()) {
                    finished[b] = FinishReason.LENGTH;
                }
            }
            fed.add(next);
            return next;
        }

        boolean allDone() {
            return Arrays.stream(finished).allMatch(f -> f != null);
        }

        private boolean isEos(long token) {
            for (long e : eosIds) {
                if (e == token) {
                    return true;
                }
            }
            return false;
        }

        private boolean hitsStopString(List<Long> out) {
            if (config.stopStrings().isEmpty()) {
                return false;
            }
            String text = decoder.decode(out.stream().mapToLong(Long::longValue).toArray());
            return config.stopStrings().stream().anyMatch(text::contains);
        }

        List<Generation> results() {
            List<Generation> list = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                long[] tokens = generated.get(b).stream().mapToLong(Long::longValue).toArray();
                list.add(new Generation(tokens, finished[b] == null ? FinishReason.LENGTH : finished[b]));
            }
            return list;
        }
    }
}
