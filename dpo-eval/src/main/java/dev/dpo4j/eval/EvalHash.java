package dev.dpo4j.eval;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hashes that never change between runs, JVMs or machines: SHA-256 over the UTF-8 parts, each
 * prefixed by its 4-byte length. The scheme is the one of dpo-data's {@code StableHash} (package
 * private there), so {@link #seed(long, String, String, int)} gives the seed that
 * {@code QuestionWriter.seed} would give for the same arguments.
 */
final class EvalHash {

    private EvalHash() {
    }

    /**
     * A request seed that depends only on the run seed, the stage, a key and {@code k}, kept to 31
     * bits because some servers (llama.cpp) take a 32-bit seed.
     *
     * @param runSeed the run seed
     * @param stage the stage name
     * @param key the item or content key
     * @param k an index, or -1
     * @return a seed in {@code [0, 2^31)}
     */
    static long seed(long runSeed, String stage, String key, int k) {
        byte[] digest = digest(Long.toString(runSeed), stage, key, Integer.toString(k));
        return ByteBuffer.wrap(digest).getLong() & 0x7fff_ffffL;
    }

    /**
     * The SHA-256 of the parts as 64 hex digits.
     *
     * @param parts the strings to hash, in order
     * @return the hex digest
     */
    static String sha256Hex(String... parts) {
        return HexFormat.of().formatHex(digest(parts));
    }

    private static byte[] digest(String... parts) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            md.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
            md.update(bytes);
        }
        return md.digest();
    }
}
