package dev.dpo4j.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Tf32} sets and reads the process environment that libtorch reads (through libc), and
 * restores what it found after each test.
 */
class Tf32Test {
    private String original;

    @BeforeEach
    void remember() {
        original = Tf32.value();
    }

    @AfterEach
    void restore() {
        Tf32.set(original);
        assertEquals(original, Tf32.value());
    }

    @Test
    void configureTrueTurnsItOn() {
        Tf32.configure(true);
        assertEquals("1", Tf32.value());
        assertTrue(Tf32.enabled());
    }

    @Test
    void configureFalseTurnsItOff() {
        Tf32.configure(true);
        Tf32.configure(false);
        assertEquals("0", Tf32.value());
        assertFalse(Tf32.enabled());
    }

    @Test
    void configureNullLeavesTheValue() {
        Tf32.configure(false);
        Tf32.configure(null);
        assertEquals("0", Tf32.value());
        Tf32.configure(true);
        Tf32.configure(null);
        assertEquals("1", Tf32.value());
        Tf32.set(null);
        Tf32.configure(null);
        assertEquals(null, Tf32.value());
        assertFalse(Tf32.enabled(), "unset means off, as in libtorch");
    }

    @Test
    void javaSnapshotDoesNotSeeIt() {
        // System.getenv is copied at JVM start; libtorch reads the C library's environment, which
        // is why Tf32 goes through libc and why enabled() does not use System.getenv.
        String snapshot = System.getenv(Tf32.VARIABLE);
        Tf32.configure(!"1".equals(snapshot));
        assertEquals(snapshot, System.getenv(Tf32.VARIABLE));
    }
}
