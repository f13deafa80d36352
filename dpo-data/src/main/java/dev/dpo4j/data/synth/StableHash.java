package dev.dpo4j.data.synth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hashes that never change between runs, JVMs or machines (unlike {@link String#hashCode()} mixed
 * with a {@code Random}): SHA-256 over the UTF-8 parts, each prefixed by its length so that
 * {@code ("ab", "c")} and {@code ("a", "bc")} differ. Used for sampling seeds, the train/valid
 * split and seeded draws, so a rerun makes the same choices.
 */
public final class StableHash {

    private StableHash() {
    }

    /**
     * A 64-bit hash of the parts.
     *
     * @param parts the strings to hash, in order
     * @return the first 8 bytes of their SHA-256, big-endian
     */
    public static long of(String... parts) {
        return ByteBuffer.wrap(digest("SHA-256", parts)).getLong();
    }

    /**
     * A hash of the parts as a fraction in [0, 1), uniform over 2<sup>53</sup> values.
     *
     * @param parts the strings to hash
     * @return the fraction
     */
    static double unit(String... parts) {
        return (of(parts) >>> 11) * 0x1.0p-53;
    }

    /**
     * The SHA-1 of a text as 40 hex digits (the id scheme of CNN/DailyMail).
     *
     * @param text the text
     * @return the hex digest
     */
    static String sha1Hex(String text) {
        return HexFormat.of().formatHex(messageDigest("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The SHA-256 of the parts as 64 hex digits.
     *
     * @param parts the strings to hash
     * @return the hex digest
     */
    public static String sha256Hex(String... parts) {
        return HexFormat.of().formatHex(digest("SHA-256", parts));
    }

    /** SHA-256 over the parts, each prefixed by its 4-byte length. */
    private static byte[] digest(String algorithm, String... parts) {
        MessageDigest md = messageDigest(algorithm);
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            md.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
            md.update(bytes);
        }
        return md.digest();
    }

    private static MessageDigest messageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }
}
