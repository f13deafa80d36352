package dev.dpo4j.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class EstimateTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void formatsValueAndIntervalWithFixedDecimals() {
        Estimate e = new Estimate(3.1234, 2.951, 3.2987, 40);
        assertEquals("3.12 [2.95, 3.30]", e.format(2));
        assertEquals("3 [3, 3]", e.format(0));
        assertEquals("3.1 [3.0, 3.3]", e.format(1));
    }

    @Test
    void formatsWithoutIntervalAndMissingValue() {
        assertEquals("0.500", new Estimate(0.5, Double.NaN, Double.NaN, 1).format(3));
        assertEquals("n/a", Estimate.empty().format(2));
    }

    @Test
    void writesSnakeCaseKeysAndNanAsNull() {
        ObjectNode json = new Estimate(0.25, Double.NaN, Double.NaN, 1).toJson();
        assertEquals(0.25, json.get("value").doubleValue());
        assertTrue(json.get("ci_low").isNull());
        assertTrue(json.get("ci_high").isNull());
        assertEquals(1, json.get("n").intValue());
    }

    @Test
    void jsonRoundTripKeepsEveryNumberIncludingNan() throws Exception {
        Estimate full = new Estimate(0.1 + 0.2, 0.123456789012345, 0.9876543210987654, 123);
        Estimate partial = new Estimate(7.0, Double.NaN, Double.NaN, 1);
        for (Estimate e : new Estimate[] {full, partial, Estimate.empty()}) {
            JsonNode parsed = MAPPER.readTree(MAPPER.writeValueAsString(e.toJson()));
            assertEquals(e, Estimate.fromJson(parsed));
        }
    }

    @Test
    void fromJsonNamesTheBadField() throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Estimate.fromJson(MAPPER.readTree("{\"value\":1,\"ci_low\":0,\"n\":3}")));
        assertTrue(missing.getMessage().contains("ci_high"), missing.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> Estimate.fromJson(MAPPER.readTree("{\"value\":\"x\",\"ci_low\":0,\"ci_high\":1,\"n\":3}")));
        assertTrue(text.getMessage().contains("'value'"), text.getMessage());
    }

    @Test
    void rejectsNegativeCount() {
        assertThrows(IllegalArgumentException.class, () -> new Estimate(0, 0, 0, -1));
    }
}
