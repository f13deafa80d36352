package dev.dpo4j.data.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;

/**
 * Reads Apache Parquet files with parquet-java (<a href="https://parquet.apache.org/">parquet.apache.org</a>),
 * one row group in memory at a time, any codec parquet-java supports (Snappy, the Hub's usual
 * one, ZSTD, GZIP, LZ4, uncompressed). Each record becomes a JSON object through
 * {@link ParquetValues}; a row's line is its 1-based row number in the file. No Hadoop
 * configuration or file system is used: the file is read through {@link LocalInputFile} with a
 * {@link PlainParquetConfiguration}.
 */
final class ParquetRows {

    private ParquetRows() {
    }

    /**
     * Streams the rows of a Parquet file.
     *
     * @param file the file
     * @return the rows; closing the stream closes the file
     * @throws DatasetException when the file is not Parquet or cannot be opened
     */
    static Stream<DataRow> read(Path file) {
        String source = file.toString();
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
            throw new DatasetException(source, "gzipped Parquet is not supported; Parquet compresses its own pages", null);
        }
        ParquetReader<Group> reader;
        try {
            reader = new GroupReaderBuilder(new LocalInputFile(file), new PlainParquetConfiguration()).build();
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(source, "cannot read as Parquet: " + e.getMessage(), e);
        }
        return RowStreams.stream(new Rows(reader, source), reader, source);
    }

    /** Builds a reader that materialises each record as a parquet-java example {@link Group}. */
    private static final class GroupReaderBuilder extends ParquetReader.Builder<Group> {

        GroupReaderBuilder(InputFile file, ParquetConfiguration conf) {
            super(file, conf);
        }

        @Override
        protected ReadSupport<Group> getReadSupport() {
            return new GroupReadSupport();
        }
    }

    /** Pulls records from the reader and converts them. */
    private static final class Rows extends RowIterator {

        private final ParquetReader<Group> reader;
        private final String source;
        private long row;

        Rows(ParquetReader<Group> reader, String source) {
            super(source);
            this.reader = reader;
            this.source = source;
        }

        @Override
        DataRow read() {
            long number = row + 1;
            Group record;
            try {
                record = reader.read();
            } catch (IOException | RuntimeException e) {
                if (row == 0) {
                    // parquet-java opens the file at the first read: a bad footer shows up here.
                    throw new DatasetException(source, "cannot read as Parquet: " + detail(e), e);
                }
                throw new DatasetException(source, number, "cannot decode Parquet record: " + detail(e), e);
            }
            if (record == null) {
                return null;
            }
            row = number;
            return new DataRow(source, number, ParquetValues.toObject(record));
        }

        /** The failure's message without parquet-java's object names ({@code LocalInputFile@1a2b}). */
        private static String detail(Exception e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return message.replaceAll("org\\.apache\\.parquet\\.io\\.LocalInputFile@[0-9a-f]+ is ", "");
        }
    }
}
