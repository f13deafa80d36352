package dev.dpo4j.eval.report;

/** HTML escaping for text and attribute values. */
final class Html {

    private Html() {
    }

    /**
     * Escapes {@code & < > " '} so any text is safe inside an element or a quoted attribute.
     * The slashes of {@code "://"} become {@code &#47;}: the page reads the same, yet its
     * source holds no URL (a model id or endpoint in the settings stays inert text).
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString().replace("://", ":&#47;&#47;");
    }
}
