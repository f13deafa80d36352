package dev.dpo4j.core.quant;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A 4-bit code book: the 16 values, in [-1, 1], that a 4-bit index stands for once the block's absmax
 * has been divided out, and the nearest-value encoder.
 *
 * <p>Both tables are bitsandbytes' ({@code bitsandbytes/functional.py}, {@code get_4bit_type}; the CUDA
 * decoders {@code dDequantizeNF4} / {@code dDequantizeFP4Tree} in {@code csrc/kernels.cu} agree):
 * <ul>
 *   <li>NF4 (Dettmers et al. 2023, "QLoRA", Appendix E): the 16 values listed in {@link #NF4}, in
 *       ascending order, index 7 being 0. They are {@code create_normal_map(offset=0.9677083)}: 8
 *       quantiles of N(0, 1) at equal steps of probability from 0.5 to 0.9677083 for the positive
 *       half, 7 for the negative half, and 0, divided by the largest.
 *   <li>FP4: 1 sign bit (0b1000), 2 exponent bits and 1 mantissa bit, exponent bias 3. The magnitudes
 *       by the low three bits are 0, 0.0625, 8, 12, 4, 6, 2, 3, divided by 12 so the largest is 1:
 *       {@code 0b000} 0, {@code 0b001} 1/192, {@code 0b010} 2/3, {@code 0b011} 1, {@code 0b100} 1/3,
 *       {@code 0b101} 1/2, {@code 0b110} 1/6, {@code 0b111} 1/4; the sign bit negates.
 * </ul>
 *
 * <p>Encoding picks the nearest value; a value exactly halfway between two goes to the smaller one, as
 * in bitsandbytes' decision trees, which take the larger only when {@code x > threshold}. FP4 has a +0
 * and a −0; this encoder always writes +0 ({@code 0b0000}) where bitsandbytes writes −0
 * ({@code 0b1000}) for small negatives: both decode to zero.
 */
final class FourBitCode {

    /** bitsandbytes' NF4 table, index 0 to 15. */
    static final FourBitCode NF4 = new FourBitCode(QuantType.NF4, new float[] {
        -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
        -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
        0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
        0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f});

    /** bitsandbytes' FP4 table, index 0 to 15, divided by its absmax 12 in float32 as bitsandbytes does. */
    static final FourBitCode FP4 = new FourBitCode(QuantType.FP4, fp4Values());

    private final QuantType type;
    /** value by index, (16) */
    private final float[] values;
    /** the distinct values ascending, and the index each is encoded as */
    private final float[] sortedValues;
    private final int[] sortedIndex;
    /** midpoints between neighbours of sortedValues: x above midpoints[k] is nearer sortedValues[k+1] */
    private final float[] midpoints;
    /** bins of [-1, 1] for {@link #encode}'s first guess */
    private static final int BINS = 4096;
    /** per bin, how many midpoints lie below its start */
    private final int[] countBelow;

    private FourBitCode(QuantType type, float[] values) {
        if (values.length != 16) {
            throw new IllegalStateException(type + " code book has " + values.length + " values, not 16");
        }
        this.type = type;
        this.values = values.clone();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            order.add(i);
        }
        // ascending by value, -0 counted as 0; of equal values (FP4's +0 and -0) only the lower index is kept
        order.sort(Comparator.<Integer>comparingDouble(i -> values[i] == 0f ? 0.0 : values[i])
                .thenComparingInt(i -> i));
        List<Integer> distinct = new ArrayList<>();
        for (int i : order) {
            if (distinct.isEmpty() || values[distinct.get(distinct.size() - 1)] != values[i]) {
                distinct.add(i);
            }
        }
        sortedValues = new float[distinct.size()];
        sortedIndex = new int[distinct.size()];
        for (int k = 0; k < distinct.size(); k++) {
            sortedIndex[k] = distinct.get(k);
            sortedValues[k] = values[sortedIndex[k]];
        }
        midpoints = new float[sortedValues.length - 1];
        for (int k = 0; k < midpoints.length; k++) {
            midpoints[k] = (float) (((double) sortedValues[k] + sortedValues[k + 1]) / 2);
        }
        countBelow = new int[BINS];
        for (int bin = 0; bin < BINS; bin++) {
            double start = -1.0 + 2.0 * bin / BINS;
            int count = 0;
            while (count < midpoints.length && midpoints[count] < start) {
                count++;
            }
            countBelow[bin] = count;
        }
    }

    private static float[] fp4Values() {
        float[] raw = {0f, 0.0625f, 8f, 12f, 4f, 6f, 2f, 3f, -0f, -0.0625f, -8f, -12f, -4f, -6f, -2f, -3f};
        float[] out = new float[16];
        for (int i = 0; i < 16; i++) {
            out[i] = raw[i] / 12f;
        }
        return out;
    }

    /**
     * The code book of a 4-bit type.
     *
     * @param type NF4 or FP4
     * @return its code book
     * @throws IllegalArgumentException for INT8
     */
    static FourBitCode of(QuantType type) {
        return switch (type) {
            case NF4 -> NF4;
            case FP4 -> FP4;
            case INT8 -> throw new IllegalArgumentException("int8 has no 4-bit code book");
        };
    }

    /** @return the type this code book belongs to */
    QuantType type() {
        return type;
    }

    /**
     * @param index a 4-bit index in [0, 16)
     * @return the value it stands for, in [-1, 1]
     */
    float value(int index) {
        return values[index];
    }

    /** @return the 16 values by index (a copy) */
    float[] values() {
        return values.clone();
    }

    /**
     * The index of the value nearest x (ties to the smaller value).
     *
     * @param x a value divided by its block's absmax, in [-1, 1]
     * @return the 4-bit index in [0, 16)
     */
    int encode(float x) {
        // The number of midpoints strictly below x is the position of the nearest value. A table over
        // BINS equal bins of [-1, 1] gives the count below each bin's start (bins are far narrower than
        // the gaps between midpoints, so a bin holds at most one); the two loops correct the guess exactly,
        // and run only when x sits next to a midpoint or outside [-1, 1].
        int bin = (int) ((x + 1f) * (BINS / 2f));
        int k = bin < 0 ? 0 : bin >= BINS ? midpoints.length : countBelow[bin];
        while (k < midpoints.length && midpoints[k] < x) {
            k++;
        }
        while (k > 0 && !(midpoints[k - 1] < x)) {
            k--;
        }
        return sortedIndex[k];
    }

    /** @return the index that encodes 0 (NF4 7, FP4 0) */
    int zeroIndex() {
        return encode(0f);
    }

    /**
     * The decode table for whole bytes: entry {@code 2b} is the value of byte b's high nibble (the first
     * of its two values), entry {@code 2b + 1} that of its low nibble.
     *
     * @return (256·2) floats, to be shaped (256, 2)
     */
    float[] pairTable() {
        float[] table = new float[512];
        for (int b = 0; b < 256; b++) {
            table[2 * b] = values[b >>> 4];
            table[2 * b + 1] = values[b & 0xF];
        }
        return table;
    }
}
