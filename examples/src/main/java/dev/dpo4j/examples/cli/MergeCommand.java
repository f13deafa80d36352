package dev.dpo4j.examples.cli;

import dev.dpo4j.core.hub.HubClient;
import dev.dpo4j.core.hub.HubSettings;
import dev.dpo4j.core.io.DirectoryLock;
import dev.dpo4j.core.lora.MergedExport;
import dev.dpo4j.core.lora.PeftAdapter;
import dev.dpo4j.core.lora.PeftAdapters;
import dev.dpo4j.core.safetensors.SafetensorsCheckpoint;
import dev.dpo4j.core.util.ProgressBar;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dpo4j merge}: folds a PEFT LoRA adapter into its base model and writes a complete Hugging Face
 * model folder (config, tokenizer files, safetensors weights in the base's dtypes, sharded like
 * {@code save_pretrained}), the equivalent of PEFT's {@code merge_and_unload()} + {@code save_pretrained}.
 * The base model is streamed tensor by tensor, never loaded whole.
 */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Merge a LoRA adapter (PEFT layout) into its base model: W' = W + (alpha/r)·B·A.",
            "Writes config.json, tokenizer/generation files and model.safetensors (or shards + index) to --output; "
                + "every tensor keeps the base checkpoint's dtype."})
final class MergeCommand implements Callable<Integer> {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]I?B|B)?", Pattern.CASE_INSENSITIVE);

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|ORG/NAME[@REV]",
            description = "Base model directory (config.json + safetensors) or Hugging Face Hub id.")
    String model;

    @Option(names = "--adapter", required = true, paramLabel = "DIR",
            description = "Adapter directory with adapter_config.json and adapter_model.safetensors.")
    Path adapter;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Output model directory; must not exist or be empty.")
    Path output;

    @Option(names = "--max-shard-size", defaultValue = "5GB", paramLabel = "SIZE",
            description = "Largest safetensors shard, as in save_pretrained: 5GB, 500MB, 2GiB or bytes "
                    + "(default: ${DEFAULT-VALUE}).")
    String maxShardSize;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        config.checkKeys(spec);
        long maxShardBytes = parseSize(maxShardSize);
        requireNewFolder(output);
        // the lock sits beside the output, which must stay empty until the merged model moves in whole
        try (DirectoryLock lock = DirectoryLock.acquire(lockFile(output), "merge")) {
            return merge(maxShardBytes);
        }
    }

    /**
     * Checks, before anything loads, that {@code --output} is a new or empty folder.
     *
     * @param dir the output
     * @throws IllegalArgumentException naming the path and what is there
     */
    static void requireNewFolder(Path dir) throws IOException {
        if (Files.isRegularFile(dir)) {
            throw new IllegalArgumentException("--output " + dir + " is a file; give a new folder for the merged model");
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--output " + dir + " is a folder that is not empty; give a"
                            + " new folder for the merged model");
                }
            }
        }
    }

    /** The lock of a merge into {@code dir}: {@code .<name>.lock} beside it. */
    static Path lockFile(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        Files.createDirectories(absolute.getParent());
        return absolute.resolveSibling("." + absolute.getFileName() + ".lock");
    }

    private int merge(long maxShardBytes) throws IOException {
        PeftAdapter peft = PeftAdapters.read(adapter);
        Path base = new HubClient(HubSettings.fromEnvironment(System.getenv())).resolveModel(model);
        long total;
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(base)) {
            total = 0;
            for (String name : ckpt.names()) {
                total += ckpt.info(name).byteSize();
            }
        }
        long start = System.nanoTime();
        MergedExport.Result result;
        try (ProgressBar bar = new ProgressBar("merge", total, ProgressBar.BYTES)) {
            long[] last = {0};
            result = MergedExport.write(base, peft, output, maxShardBytes, written -> {
                bar.step(written - last[0]);
                last[0] = written;
            });
        }
        double secs = (System.nanoTime() - start) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "merged %d adapted weights (r %d, alpha %s, scaling %s) into %s%n",
                result.mergedTensors(), peft.config().r(), trim(peft.config().loraAlpha()),
                trim(peft.config().scaling()), base);
        out.printf(Locale.ROOT, "%-40s %s%n", "file", "size");
        for (Path file : result.files()) {
            out.printf(Locale.ROOT, "%-40s %s%n", file.getFileName(), ProgressBar.formatBytes(Files.size(file)));
        }
        out.printf(Locale.ROOT, "%d tensors (%d merged, %d copied), %s of weights in %.1f s -> %s%n",
                result.mergedTensors() + result.copiedTensors(), result.mergedTensors(), result.copiedTensors(),
                ProgressBar.formatBytes(result.totalBytes()), secs, result.directory());
        out.flush();
        return 0;
    }

    /**
     * Parses a shard size as {@code save_pretrained}'s {@code max_shard_size} does: a byte count, or a
     * number with a decimal ({@code KB, MB, GB, TB}: powers of 1000) or binary ({@code KiB … TiB}: powers
     * of 1024) unit, case-insensitive.
     *
     * @param text e.g. {@code 5GB}, {@code 500MB}, {@code 2GiB}, {@code 1000000}
     * @return bytes, at least 1
     * @throws IllegalArgumentException if the text is not a size
     */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--max-shard-size: not a size: '" + text
                    + "' (use e.g. 5GB, 500MB, 2GiB or a byte count)");
        }
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        double factor = switch (unit) {
            case "KB" -> 1e3;
            case "MB" -> 1e6;
            case "GB" -> 1e9;
            case "TB" -> 1e12;
            case "KIB" -> 0x1p10;
            case "MIB" -> 0x1p20;
            case "GIB" -> 0x1p30;
            case "TIB" -> 0x1p40;
            default -> 1;
        };
        long bytes = (long) (Double.parseDouble(m.group(1)) * factor);
        if (bytes < 1) {
            throw new IllegalArgumentException("--max-shard-size must be at least 1 byte, got '" + text + "'");
        }
        return bytes;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
