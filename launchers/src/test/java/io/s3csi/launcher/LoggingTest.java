package io.s3csi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LoggingTest {
  @Test
  void standardError_record_writesItsFormattedLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Logging.StandardError handler = new Logging.StandardError(out);
    handler.setFormatter(new Logging.OneLine());

    LogRecord record = new LogRecord(Level.INFO, "mounted {0}");
    record.setParameters(new Object[] {"b/"});
    record.setLoggerName("io.s3csi.systemd.ProcessMounter");
    handler.publish(record);

    assertThat(out.toString(StandardCharsets.UTF_8))
        .endsWith(" INFO io.s3csi.systemd.ProcessMounter: mounted b/" + System.lineSeparator());
  }

  @Test
  void standardError_belowItsLevel_writesNothing() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Logging.StandardError handler = new Logging.StandardError(out);
    handler.setFormatter(new Logging.OneLine());
    handler.setLevel(Level.INFO);

    handler.publish(new LogRecord(Level.FINE, "routine"));

    assertThat(out.size()).isZero();
  }

  @Test
  void standardError_formatterFails_reportsItAndWritesNothing() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Logging.StandardError handler = new Logging.StandardError(out);
    handler.setFormatter(
        new Formatter() {
          @Override
          public String format(LogRecord record) {
            throw new IllegalStateException("broken formatter");
          }
        });
    List<Integer> codes = new ArrayList<>();
    handler.setErrorManager(
        new ErrorManager() {
          @Override
          public synchronized void error(String msg, Exception ex, int code) {
            codes.add(code);
          }
        });

    handler.publish(new LogRecord(Level.INFO, "x"));

    assertThat(codes).containsExactly(ErrorManager.FORMAT_FAILURE);
    assertThat(out.size()).isZero();
  }

  @Test
  void standardError_manyThreads_eachLineWrittenWhole() throws Exception {
    // a stream that writes byte by byte: interleaved writes would split lines
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStream slow =
        new OutputStream() {
          @Override
          public void write(int b) {
            synchronized (bytes) {
              bytes.write(b);
            }
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
              write(b[i]);
              Thread.yield();
            }
          }
        };
    Logging.StandardError handler = new Logging.StandardError(slow);
    handler.setFormatter(new Logging.OneLine());
    ExecutorService threads = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    for (int t = 0; t < 8; t++) {
      String name = "thread-" + t;
      threads.execute(
          () -> {
            try {
              go.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 20; i++) {
              handler.publish(new LogRecord(Level.INFO, name + " line " + i + " end"));
            }
          });
    }
    go.countDown();
    threads.shutdown();
    assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    String[] lines = bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
    assertThat(lines).hasSize(160);
    assertThat(lines).allMatch(line -> line.matches(".* INFO null: thread-\\d line \\d+ end"));
  }
}
