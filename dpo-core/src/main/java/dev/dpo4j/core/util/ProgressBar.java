package dev.dpo4j.core.util;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A small text progress bar with rate and ETA, in the spirit of tqdm.
 *
 * <p>A line reads {@code label [=========>          ] 45% 15.3 MB/34.0 MB 3.1 MB/s ETA 0:07 extra}
 * (bytes) or {@code label [=========>          ] 45% 450/1000 tok 112.5 tok/s ETA 0:05} (counts).
 * With an unknown total ({@code -1}) the bar, percent and ETA are left out:
 * {@code label 12.3 MB 3.1 MB/s extra}. The rate is the amount done divided by the time
 * since construction; the ETA is the remaining amount divided by that rate.
 *
 * <p>The unit {@value #BYTES} selects byte formatting with decimal prefixes (kB, MB, GB,
 * TB; 1 MB = 10<sup>6</sup> B, as {@code huggingface_hub} shows sizes); any other unit
 * name (for example {@code "tok"} or {@code "step"}) prints plain counts and a rate such
 * as {@code 45.2 tok/s}.
 *
 * <p>On a console the line is redrawn in place with a carriage return, at most every
 * {@value #CONSOLE_INTERVAL_MS} ms; on any other stream (a log file, CI output) a full
 * line is printed at most every {@value #PLAIN_INTERVAL_MS} ms. {@link #close()} always
 * prints the final state and ends the line. Methods are thread-safe.
 */
public final class ProgressBar implements AutoCloseable {

    /** The unit name that selects byte formatting. */
    public static final String BYTES = "B";

    /** Width of the bar between the brackets, in characters. */
    static final int BAR_WIDTH = 20;

    /** Minimum time between two redraws on a console. */
    static final long CONSOLE_INTERVAL_MS = 100;

    /** Minimum time between two printed lines on a non-console stream. */
    static final long PLAIN_INTERVAL_MS = 5000;

    private final String label;
    private final long total;
    private final String unit;
    private final boolean byteUnits;
    private final PrintStream out;
    private final LongSupplier nanoClock;
    private final boolean console;
    private final long startNanos;

    private long current;
    private String extra = "";
    private long lastPrintNanos;
    private int lastLineLength;
    private boolean closed;

    /**
     * Creates a progress bar writing to {@code System.err}.
     *
     * @param label text shown first on the line, for example a file name
     * @param total the amount expected when done, or {@code -1} when unknown
     * @param unit the unit name; {@value #BYTES} selects byte formatting
     */
    public ProgressBar(String label, long total, String unit) {
        this(label, total, unit, System.err);
    }

    /**
     * Creates a progress bar writing to the given stream, redrawn in place when the stream
     * is {@code System.err} or {@code System.out} and a console is attached.
     *
     * @param label text shown first on the line, for example a file name
     * @param total the amount expected when done, or {@code -1} when unknown
     * @param unit the unit name; {@value #BYTES} selects byte formatting
     * @param out the stream to write to
     */
    public ProgressBar(String label, long total, String unit, PrintStream out) {
        this(label, total, unit, out, System::nanoTime,
                System.console() != null && (out == System.err || out == System.out));
    }

    /**
     * Creates a progress bar with an explicit clock and console mode (for tests, or to share
     * one clock between several bars).
     *
     * @param label text shown first on the line
     * @param total the amount expected when done, or {@code -1} when unknown
     * @param unit the unit name; {@value #BYTES} selects byte formatting
     * @param out the stream to write to
     * @param nanoClock a monotonic clock in nanoseconds, such as {@code System::nanoTime}
     * @param console {@code true} to redraw in place with {@code \r}, {@code false} to print
     *     whole lines at most every {@value #PLAIN_INTERVAL_MS} ms
     */
    public ProgressBar(String label, long total, String unit, PrintStream out,
            LongSupplier nanoClock, boolean console) {
        this.label = Objects.requireNonNull(label, "label");
        if (total < -1) {
            throw new IllegalArgumentException("total must be >= 0 or -1 (unknown), got " + total);
        }
        this.total = total;
        this.unit = Objects.requireNonNull(unit, "unit");
        this.byteUnits = BYTES.equals(unit);
        this.out = Objects.requireNonNull(out, "out");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.console = console;
        this.startNanos = nanoClock.getAsLong();
        this.lastPrintNanos = startNanos;
    }

    /**
     * Adds {@code n} to the amount done and redraws the line when enough time has passed.
     *
     * @param n the amount just completed, at least 0
     */
    public synchronized void step(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + n);
        }
        current += n;
        maybePrint();
    }

    /**
     * Sets a short free text shown at the end of the line, such as {@code loss=0.69}.
     *
     * @param text the text, or {@code null} to clear it
     */
    public synchronized void setExtra(String text) {
        this.extra = text == null ? "" : text;
    }

    /**
     * Returns the amount done so far.
     *
     * @return the sum of all steps
     */
    public synchronized long current() {
        return current;
    }

    /** Prints the final state and ends the line; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        print(render());
        out.println();
        out.flush();
    }

    /**
     * Renders the current line without printing it.
     *
     * @return the progress line
     */
    synchronized String render() {
        double elapsed = (nanoClock.getAsLong() - startNanos) / 1e9;
        double rate = elapsed > 0 ? current / elapsed : 0.0;
        StringBuilder line = new StringBuilder(label);
        if (total >= 0) {
            double fraction = total == 0 ? 1.0 : Math.min(1.0, (double) current / total);
            line.append(' ').append(bar(fraction))
                    .append(' ').append((int) Math.floor(fraction * 100)).append('%')
                    .append(' ').append(byteUnits
                            ? formatBytes(current) + "/" + formatBytes(total)
                            : current + "/" + total + " " + unit);
        } else {
            line.append(' ').append(byteUnits ? formatBytes(current) : current + " " + unit);
        }
        line.append(' ').append(rate(rate));
        if (total >= 0) {
            line.append(" ETA ").append(eta(total - current, rate));
        }
        if (!extra.isEmpty()) {
            line.append(' ').append(extra);
        }
        return line.toString();
    }

    private void maybePrint() {
        if (closed) {
            return;
        }
        long now = nanoClock.getAsLong();
        long interval = (console ? CONSOLE_INTERVAL_MS : PLAIN_INTERVAL_MS) * 1_000_000L;
        if (now - lastPrintNanos >= interval) {
            lastPrintNanos = now;
            print(render());
            if (!console) {
                out.println();
            }
            out.flush();
        }
    }

    private void print(String line) {
        if (console) {
            // Pad with spaces so a shorter line fully covers the previous one.
            int pad = Math.max(0, lastLineLength - line.length());
            out.print("\r" + line + " ".repeat(pad));
            lastLineLength = line.length();
        } else {
            out.print(line);
        }
    }

    /** {@code [=========>          ]}: '=' for done cells, '>' as the head until full. */
    static String bar(double fraction) {
        int filled = (int) Math.floor(fraction * BAR_WIDTH);
        StringBuilder bar = new StringBuilder("[");
        if (filled >= BAR_WIDTH) {
            bar.append("=".repeat(BAR_WIDTH));
        } else {
            bar.append("=".repeat(filled)).append('>').append(" ".repeat(BAR_WIDTH - filled - 1));
        }
        return bar.append(']').toString();
    }

    private String rate(double perSecond) {
        return byteUnits
                ? formatBytes(Math.round(perSecond)) + "/s"
                : String.format(Locale.ROOT, "%.1f %s/s", perSecond, unit);
    }

    /**
     * Formats a byte count with one decimal and a decimal prefix: {@code 512 B},
     * {@code 12.3 MB}, {@code 1.5 GB}.
     *
     * @param bytes the number of bytes
     * @return the formatted size
     */
    public static String formatBytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] prefixes = {"kB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int index = -1;
        while (value >= 999.95 && index < prefixes.length - 1) {
            value /= 1000.0;
            index++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, prefixes[index]);
    }

    /**
     * Formats the time left as {@code m:ss}, or {@code h:mm:ss} from one hour on;
     * {@code --:--} when the rate is zero.
     *
     * @param remaining the amount still to do
     * @param rate the amount done per second
     * @return the formatted estimate
     */
    static String eta(long remaining, double rate) {
        if (remaining <= 0) {
            return "0:00";
        }
        if (rate <= 0) {
            return "--:--";
        }
        long seconds = (long) Math.ceil(remaining / rate);
        return formatDuration(seconds);
    }

    /**
     * Formats whole seconds as {@code m:ss} or {@code h:mm:ss}.
     *
     * @param seconds the duration in seconds
     * @return the formatted duration
     */
    public static String formatDuration(long seconds) {
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        return h > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
                : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
