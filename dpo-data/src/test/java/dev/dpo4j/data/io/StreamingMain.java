package dev.dpo4j.data.io;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Run in a child JVM with a small heap by {@link StreamingTest}: streams a JSON Lines file whose
 * rows are {@code {"id": i, ...}}, checks that the ids run 0, 1, 2, ... and that each row's line
 * is {@code id + 1}, then streams the validation side of a split, and prints
 * {@code rows=N valid=M}. Exits with status 1 on a mismatch.
 */
public final class StreamingMain {

    private StreamingMain() {
    }

    /**
     * Entry point.
     *
     * @param args the file to read
     */
    public static void main(String[] args) {
        Dataset data = Datasets.open(Path.of(args[0]));
        long rows = 0;
        try (Stream<DataRow> stream = data.stream()) {
            for (Iterator<DataRow> it = stream.iterator(); it.hasNext(); rows++) {
                DataRow row = it.next();
                if (row.get("id").asLong() != rows || row.line() != rows + 1) {
                    System.out.println("mismatch at " + row.location() + ": id " + row.get("id") + ", expected " + rows);
                    System.exit(1);
                }
            }
        }
        long valid = data.split(0.1, 5).valid().count();
        System.out.println("rows=" + rows + " valid=" + valid);
    }
}
