package dev.dpo4j.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** select, limit, filter, map, sample, shuffle and split, checked against independent expectations. */
class DatasetOpsTest {

    private static final int N = 1000;

    /** Rows {id: i} for i in [0, n), at lines i + 1; counts how often the source is opened and closed. */
    private static final class Counting {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        Dataset dataset(int n) {
            return Dataset.of("numbers", () -> {
                opened.incrementAndGet();
                return IntStream.range(0, n).mapToObj(i -> new DataRow("numbers.jsonl", i + 1,
                        JsonNodeFactory.instance.objectNode().put("id", i))).onClose(closed::incrementAndGet);
            });
        }
    }

    private static List<Integer> ids(Dataset dataset) {
        try (Stream<DataRow> rows = dataset.stream()) {
            return rows.map(r -> r.get("id").asInt()).toList();
        }
    }

    @Test
    void selectAndLimitAreLazyRanges() {
        Counting source = new Counting();
        Dataset data = source.dataset(N);
        Dataset range = data.select(10, 15);
        assertEquals(0, source.opened.get(), "nothing is read before streaming");
        assertEquals(List.of(10, 11, 12, 13, 14), ids(range));
        assertEquals(List.of(998, 999), ids(data.select(998, 2000)));
        assertEquals(List.of(), ids(data.select(5, 5)));
        assertEquals(List.of(0, 1, 2), ids(data.limit(3)));
        assertEquals(11, range.toList().get(0).line(), "rows keep their source line");
        assertEquals(source.opened.get(), source.closed.get(), "every stream was closed");
        assertThrows(IllegalArgumentException.class, () -> data.select(5, 4));
        assertEquals(N, data.count());
    }

    @Test
    void filterAndMapKeepLocations() {
        Dataset data = new Counting().dataset(20);
        Dataset even = data.filter(r -> r.get("id").asInt() % 2 == 0)
                .map(r -> new DataRow(r.source(), r.line(), r.value().deepCopy().put("twice", 2 * r.get("id").asInt())));
        List<DataRow> rows = even.toList();
        assertEquals(10, rows.size());
        assertEquals(36, rows.get(9).get("twice").asInt());
        assertEquals("numbers.jsonl:19", rows.get(9).location());
    }

    @Test
    void sampleIsSeededUniformInSourceOrderAndRepeatable() {
        Dataset data = new Counting().dataset(N);
        List<Integer> sample = ids(data.sample(50, 7));
        assertEquals(50, sample.size());
        assertEquals(50, new HashSet<>(sample).size(), "without replacement");
        List<Integer> sorted = new ArrayList<>(sample);
        sorted.sort(null);
        assertEquals(sorted, sample, "source order");
        assertEquals(sample, ids(data.sample(50, 7)), "same seed, same sample");
        assertNotEquals(sample, ids(data.sample(50, 8)));
        assertEquals(ids(data), ids(data.sample(N + 5, 1)), "asking for more rows than exist gives them all");
        assertEquals(List.of(), ids(data.sample(0, 1)));
    }

    @Test
    void sampleIsRoughlyUniform() {
        // Each of 100 rows should be picked with probability 10/100; over 2000 seeds a row is
        // picked Binomial(2000, 0.1) times: mean 200, sd sqrt(2000 * 0.1 * 0.9) ~ 13.4. Six sd
        // either side (120..280) is a bound a correct sampler essentially never breaks.
        Dataset data = new Counting().dataset(100);
        int[] hits = new int[100];
        for (long seed = 0; seed < 2000; seed++) {
            ids(data.sample(10, seed)).forEach(id -> hits[id]++);
        }
        for (int id = 0; id < 100; id++) {
            assertTrue(hits[id] > 120 && hits[id] < 280, "row " + id + " picked " + hits[id] + " times");
        }
    }

    @Test
    void shuffleIsASeededPermutation() {
        Dataset data = new Counting().dataset(N);
        List<Integer> shuffled = ids(data.shuffle(42));
        assertEquals(N, shuffled.size());
        assertEquals(new HashSet<>(ids(data)), new HashSet<>(shuffled), "a permutation");
        assertNotEquals(ids(data), shuffled);
        assertEquals(shuffled, ids(data.shuffle(42)), "reproducible");
        assertNotEquals(shuffled, ids(data.shuffle(43)));
        DataRow first = data.shuffle(42).toList().get(0);
        assertEquals(first.get("id").asInt() + 1, first.line(), "rows keep their source line");
    }

    @Test
    void splitIsDisjointCompleteDeterministicAndNearTheFraction() {
        Counting source = new Counting();
        Dataset data = source.dataset(N);
        Dataset.Split split = data.split(0.2, 3);
        List<Integer> train = ids(split.train());
        List<Integer> valid = ids(split.valid());

        Set<Integer> both = new HashSet<>(train);
        both.retainAll(new HashSet<>(valid));
        assertTrue(both.isEmpty(), "no row on both sides: " + both);
        Set<Integer> all = new HashSet<>(train);
        all.addAll(valid);
        assertEquals(N, all.size(), "every row on one side");
        assertEquals(N, train.size() + valid.size());
        // Binomial(1000, 0.2): mean 200, sd ~12.6; 140..260 is more than four sd.
        assertTrue(valid.size() > 140 && valid.size() < 260, "valid size " + valid.size());
        assertEquals(valid, ids(split.valid()), "the same rows on every pass");
        assertEquals(valid, ids(data.split(0.2, 3).valid()), "the same rows for the same seed");
        assertNotEquals(valid, ids(data.split(0.2, 4).valid()));
        assertEquals(List.of(), ids(data.split(0.0, 3).valid()));
        assertEquals(N, ids(data.split(1.0, 3).valid()).size());
        assertEquals(source.opened.get(), source.closed.get(), "every stream was closed");
        assertThrows(IllegalArgumentException.class, () -> data.split(1.5, 3));
    }

    @Test
    void splitOfARangeUsesPositionsWithinTheRange() {
        // Splitting is by position in the dataset being split, so a range splits like any dataset.
        Dataset range = new Counting().dataset(N).select(100, 300);
        Dataset.Split split = range.split(0.5, 9);
        assertEquals(200, split.train().count() + split.valid().count());
    }
}
