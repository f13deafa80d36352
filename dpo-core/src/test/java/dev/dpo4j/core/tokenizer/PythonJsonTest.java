package dev.dpo4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected strings are what CPython's json.dumps(..., ensure_ascii=False) prints. */
class PythonJsonTest {

    @Test
    void compactLayoutUsesCommaSpaceAndColonSpace() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", List.of(1L, 2.5, true));
        m.put("a", null);
        assertEquals("{\"b\": [1, 2.5, true], \"a\": null}", PythonJson.dumps(m, null, false));
        assertEquals("{\"a\": null, \"b\": [1, 2.5, true]}", PythonJson.dumps(m, null, true));
    }

    @Test
    void indentPutsOneItemPerLine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x", List.of(1L));
        m.put("y", Map.of());
        assertEquals("{\n    \"x\": [\n        1\n    ],\n    \"y\": {}\n}", PythonJson.dumps(m, 4, false));
    }

    @Test
    void stringEscapes() {
        // ensure_ascii=False keeps non-ASCII; control characters use a lower-case six-character escape (backslash, u, 4 hex digits)
        assertEquals("\"ü\\\"\\\\\\t\\u001f\"", PythonJson.dumps("ü\"\\\t\u001f", null, false));
    }

    @Test
    void floatsFollowPythonRepr() {
        // repr(1.0)='1.0', repr(1e-05)='1e-05', repr(1e16)='1e+16', repr(123456789.0)='123456789.0'
        assertEquals(Arrays.asList("1.0", "1e-05", "1e+16", "123456789.0", "0.0001", "-2.5e-07"),
                Arrays.asList(PythonJson.pythonFloat(1.0), PythonJson.pythonFloat(1e-5),
                        PythonJson.pythonFloat(1e16), PythonJson.pythonFloat(123456789.0),
                        PythonJson.pythonFloat(1e-4), PythonJson.pythonFloat(-2.5e-7)));
    }
}
