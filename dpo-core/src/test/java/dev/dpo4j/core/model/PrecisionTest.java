package dev.dpo4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.dpo4j.core.quant.QuantConfig;
import org.junit.jupiter.api.Test;

/** The dtype names a user may write, auto's choice per device, and the load label. */
class PrecisionTest {
    @Test
    void namesResolveAsTransformersUsersWriteThem() {
        for (String name : new String[] {"float32", "fp32", "float", "F32", "torch.float32"}) {
            assertEquals(Precision.FLOAT32, Precision.resolve(name, Device.cpu()).precision(), name);
        }
        for (String name : new String[] {"float16", "fp16", "half", "torch.float16", " Float16 "}) {
            assertEquals(Precision.FLOAT16, Precision.resolve(name, Device.cpu()).precision(), name);
            assertNull(Precision.resolve(name, Device.cpu()).note());
        }
        Precision.Choice bf16 = Precision.resolve("torch.bfloat16", Device.cpu());
        assertEquals(Precision.FLOAT16, bf16.precision(), "DJL has no bfloat16");
        assertTrue(bf16.note().contains("bfloat16") && bf16.note().contains("float16"), bf16.note());
    }

    @Test
    void autoIsFloat16OnCudaAndFloat32OnCpu() {
        assertEquals(Precision.FLOAT32, Precision.resolve(null, Device.cpu()).precision());
        assertEquals(Precision.FLOAT32, Precision.resolve("auto", Device.cpu()).precision());
        assertEquals(Precision.FLOAT16, Precision.resolve("auto", Device.gpu()).precision());
        assertEquals(Precision.FLOAT16, Precision.resolve("AUTO", Device.gpu(1)).precision());
    }

    @Test
    void unknownNamesListTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Precision.resolve("float64", Device.cpu()));
        assertTrue(e.getMessage().contains("float64") && e.getMessage().contains(Precision.NAMES), e.getMessage());
        assertEquals(Precision.FLOAT16, Precision.of(DataType.FLOAT16));
        assertThrows(IllegalArgumentException.class, () -> Precision.of(DataType.INT8));
    }

    @Test
    void loadOptionsLabelNamesDtypeQuantizationAndComputeDtype() {
        assertEquals("float32", LoadOptions.FLOAT32.label());
        assertEquals("float16+nf4-dq-b64", LoadOptions.of(Precision.FLOAT16).withQuantization(QuantConfig.nf4(true)).label());
        assertEquals("float16+int8@float32",
                new LoadOptions(Precision.FLOAT16, QuantConfig.int8(), Precision.FLOAT32).label());
        assertEquals(Precision.FLOAT16, LoadOptions.of(Precision.FLOAT16).withQuantization(QuantConfig.int8())
                .quantizedComputeDtype());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LoadOptions(Precision.FLOAT32, null, Precision.FLOAT16));
        assertTrue(e.getMessage().contains("bnb_4bit_compute_dtype"), e.getMessage());
    }
}
