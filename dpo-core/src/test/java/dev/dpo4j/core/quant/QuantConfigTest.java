package dev.dpo4j.core.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Names, defaults, labels and the validation messages of {@link QuantConfig} and {@link QuantType}. */
class QuantConfigTest {

    @Test
    void factoriesUseBitsandbytesDefaults() {
        QuantConfig nf4 = QuantConfig.nf4(true);
        assertEquals(QuantType.NF4, nf4.type());
        assertTrue(nf4.doubleQuant());
        assertEquals(64, nf4.blockSize());
        assertEquals(4, nf4.bits());
        assertEquals(new QuantConfig(QuantType.FP4, false, 64), QuantConfig.fp4(false));
        QuantConfig int8 = QuantConfig.int8();
        assertEquals(8, int8.bits());
        assertFalse(int8.doubleQuant());
        assertEquals(0, int8.blockSize());
    }

    @Test
    void labels() {
        assertEquals("nf4-dq-b64", QuantConfig.nf4(true).label());
        assertEquals("nf4-b64", QuantConfig.nf4(false).label());
        assertEquals("fp4-b128", new QuantConfig(QuantType.FP4, false, 128).label());
        assertEquals("int8", QuantConfig.int8().label());
    }

    @Test
    void int8IgnoresBlockSize() {
        assertEquals(QuantConfig.int8(), new QuantConfig(QuantType.INT8, false, 64));
    }

    @Test
    void badBlockSizesAreNamed() {
        for (int bad : new int[] {0, -64, 8, 48, 8192}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new QuantConfig(QuantType.NF4, false, bad));
            assertTrue(e.getMessage().contains("block size " + bad) && e.getMessage().contains("power of two"),
                    e.getMessage());
        }
    }

    @Test
    void int8WithDoubleQuantIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new QuantConfig(QuantType.INT8, true, 0));
        assertTrue(e.getMessage().contains("int8") && e.getMessage().contains("doubleQuant=true"), e.getMessage());
    }

    @Test
    void nullTypeListsTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new QuantConfig(null, false, 64));
        assertTrue(e.getMessage().contains("nf4, fp4, int8"), e.getMessage());
    }

    @Test
    void typeNames() {
        assertEquals("nf4", QuantType.NF4.hfName());
        assertEquals("fp4", QuantType.FP4.hfName());
        assertEquals("int8", QuantType.INT8.hfName());
        assertEquals(QuantType.NF4, QuantType.fromName(" NF4 "));
        assertEquals(QuantType.INT8, QuantType.fromName("int8"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuantType.fromName("nf5"));
        assertTrue(e.getMessage().contains("'nf5'") && e.getMessage().contains("nf4, fp4, int8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantType.fromName(null));
    }
}
