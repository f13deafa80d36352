package dev.dpo4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Mask layouts worked by hand: 0 = visible, X = blocked. */
class AttentionMaskTest {
    private static final float X = AttentionMask.BLOCKED;

    @Test
    void leftPaddedCausalMaskWithSlidingWindow() {
        try (NDManager m = NDManager.newBaseManager()) {
            // One row, 4 columns, column 0 is padding, window 2: query c sees real keys in (c-2, c].
            NDArray mask = AttentionMask.causal(m, 4, 4, new int[] {1}, new int[] {4}, 2);
            assertEquals(new Shape(1, 1, 1, 4, 4), mask.getShape());
            assertArrayEquals(new float[] {
                X, X, X, X, // padding query: nothing (uniform softmax, output ignored)
                X, 0, X, X,
                X, 0, 0, X,
                X, X, 0, 0}, mask.toFloatArray());
        }
    }

    @Test
    void cachedStepSeesAllEarlierRealKeys() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Two rows, one new query over 3 keys; row 1 has one padding column.
            NDArray mask = AttentionMask.causal(m, 1, 3, new int[] {0, 1}, new int[] {3, 3}, 0);
            assertArrayEquals(new float[] {0, 0, 0, X, 0, 0}, mask.toFloatArray());
        }
    }

    @Test
    void rightPaddingIsHiddenFromRealQueries() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mask = AttentionMask.causal(m, 3, 3, new int[] {0}, new int[] {2}, 0);
            assertArrayEquals(new float[] {0, X, X, 0, 0, X, 0, 0, X}, mask.toFloatArray());
        }
    }
}
