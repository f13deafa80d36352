package dev.dpo4j.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    private ProgressBar bar(String label, long total, String unit, boolean console) {
        return new ProgressBar(label, total, unit, out, clock::get, console);
    }

    private String output() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void byteModeShowsPercentSizesRateAndEta() {
        ProgressBar bar = bar("model.safetensors", 34_000_000, ProgressBar.BYTES, false);
        clock.addAndGet(5 * SECOND);
        bar.step(15_300_000);

        // 15.3 MB of 34.0 MB = 45%, bar 0.45 * 20 = 9 cells; rate 15.3 MB / 5 s = 3.06 MB/s;
        // ETA = ceil(18.7 MB / 3.06 MB/s) = ceil(6.11) = 7 s.
        assertEquals("model.safetensors [=========>          ] 45% 15.3 MB/34.0 MB 3.1 MB/s ETA 0:07", bar.render());
    }

    @Test
    void countModeShowsUnitsPerSecond() {
        ProgressBar bar = bar("generate", 1000, "tok", false);
        clock.addAndGet(4 * SECOND);
        bar.step(450);
        bar.setExtra("loss=0.69");

        // rate 450 / 4 s = 112.5 tok/s; ETA = ceil(550 / 112.5) = ceil(4.89) = 5 s.
        assertEquals("generate [=========>          ] 45% 450/1000 tok 112.5 tok/s ETA 0:05 loss=0.69", bar.render());
    }

    @Test
    void unknownTotalLeavesOutBarAndEta() {
        ProgressBar bar = bar("dl", -1, ProgressBar.BYTES, false);
        clock.addAndGet(2 * SECOND);
        bar.step(2_000_000);

        assertEquals("dl 2.0 MB 1.0 MB/s", bar.render());
    }

    @Test
    void completeBarIsFullAndNoProgressHasNoEta() {
        ProgressBar done = bar("a", 10, "step", false);
        ProgressBar idle = bar("b", 10, "step", false);
        clock.addAndGet(SECOND);
        done.step(10);

        assertEquals("a [====================] 100% 10/10 step 10.0 step/s ETA 0:00", done.render());
        assertEquals("b [>                   ] 0% 0/10 step 0.0 step/s ETA --:--", idle.render());
    }

    @Test
    void formatsBytesAndDurations() {
        assertEquals("999 B", ProgressBar.formatBytes(999));
        assertEquals("1.0 kB", ProgressBar.formatBytes(1000));
        assertEquals("1.0 MB", ProgressBar.formatBytes(999_950));
        assertEquals("1.5 GB", ProgressBar.formatBytes(1_500_000_000L));
        assertEquals("0:59", ProgressBar.formatDuration(59));
        assertEquals("12:00", ProgressBar.formatDuration(720));
        assertEquals("1:02:05", ProgressBar.formatDuration(3725));
    }

    @Test
    void plainStreamGetsAtMostOneLinePerIntervalPlusTheFinalLine() {
        ProgressBar bar = bar("x", 100, "it", false);
        for (int i = 0; i < 10; i++) {
            clock.addAndGet(SECOND);
            bar.step(5);
        }
        bar.close();
        bar.close();

        // 10 s of steps with a 5 s interval: lines at 5 s and 10 s, then the final line.
        String[] lines = output().split("\n");
        assertEquals(3, lines.length, output());
        assertTrue(lines[2].startsWith("x [==========>         ] 50% 50/100 it 5.0 it/s ETA 0:10"), lines[2]);
        assertFalse(output().contains("\r"));
    }

    @Test
    void consoleRedrawsInPlace() {
        ProgressBar bar = bar("x", 100, "it", true);
        clock.addAndGet(SECOND / 20);
        bar.step(1);
        assertEquals("", output(), "no redraw within 100 ms");
        clock.addAndGet(SECOND / 5);
        bar.step(1);
        bar.close();

        assertTrue(output().startsWith("\rx [>"), output());
        assertTrue(output().endsWith(System.lineSeparator()), output());
        assertEquals(2, output().chars().filter(c -> c == '\r').count());
    }

    @Test
    void rejectsNegativeSteps() {
        ProgressBar bar = bar("x", 10, "it", false);
        assertThrows(IllegalArgumentException.class, () -> bar.step(-1));
        assertThrows(IllegalArgumentException.class, () -> bar("x", -2, "it", false));
    }
}
