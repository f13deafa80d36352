package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing of the contender flags of {@code dpo4j evaluate}: order, splitting and the one-line errors. */
class ContenderSpecsTest {

    @Test
    void contendersComeBaseAdaptersMergedEndpointsAndEndpointsSplitAtTheFirstAt() {
        ContenderSpecs specs = ContenderSpecs.parse("org/base", false, List.of("dpo=out/dpo", "sft=out/sft"),
                List.of("merged=out/merged"), List.of("gpt=gpt-4o@https://api.openai.com/v1"), List.of("dpo:gpt"));
        assertEquals(List.of("base", "dpo", "sft", "merged", "gpt"), specs.names());
        assertEquals(new ContenderSpecs.Spec(ContenderSpecs.Kind.BASE, "base", "org/base", null),
                specs.contenders().get(0));
        assertEquals(new ContenderSpecs.Spec(ContenderSpecs.Kind.ADAPTER, "sft", "out/sft", null),
                specs.contenders().get(2));
        assertEquals(new ContenderSpecs.Spec(ContenderSpecs.Kind.ENDPOINT, "gpt", "gpt-4o",
                "https://api.openai.com/v1"), specs.contenders().get(4));
        assertEquals(List.of(new ContenderSpecs.Pair("dpo", "gpt")), specs.pairs());
    }

    @Test
    void noBaseLeavesTheBaseOutAndNeedsNoModelWithoutAdapters() {
        ContenderSpecs specs = ContenderSpecs.parse(null, true, List.of(), List.of("m=dir"), List.of(), List.of());
        assertEquals(List.of("m"), specs.names());
    }

    @Test
    void errorsNameTheFlagAndTheValue() {
        assertError("--model: required unless --no-base", () -> ContenderSpecs.parse(null, false, List.of(),
                List.of(), List.of(), List.of()));
        assertError("--adapter: contender 'dpo' needs --model", () -> ContenderSpecs.parse(null, true,
                List.of("dpo=out"), List.of(), List.of(), List.of()));
        assertError("--adapter: expected NAME=DIR, got '=out'", () -> ContenderSpecs.parse("m", false,
                List.of("=out"), List.of(), List.of(), List.of()));
        assertError("--endpoint: the URL of contender 'gpt' must start with http:// or https://, got 'api.openai.com'",
                () -> ContenderSpecs.parse("m", false, List.of(), List.of(), List.of("gpt=gpt-4o@api.openai.com"),
                        List.of()));
        assertError("--endpoint: contender name 'base' is already taken (contenders: base)",
                () -> ContenderSpecs.parse("m", false, List.of(), List.of(), List.of("base=x@http://h/v1"), List.of()));
        assertError("--pairwise: contender 'base' cannot be compared with itself", () -> ContenderSpecs.parse("m",
                false, List.of(), List.of(), List.of(), List.of("base:base")));
        assertError("--pairwise: the pair dpo:base is given twice", () -> ContenderSpecs.parse("m", false,
                List.of("dpo=d"), List.of(), List.of(), List.of("base:dpo", "dpo:base")));
        assertError("--pairwise: expected A:B (two contender names), got 'a:b:c'", () -> ContenderSpecs.parse("m",
                false, List.of(), List.of(), List.of(), List.of("a:b:c")));
    }

    private static void assertError(String expected, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertEquals(true, e.getMessage().startsWith(expected), e.getMessage());
    }
}
