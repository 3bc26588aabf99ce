package io.s3csi.systemd;

import io.s3csi.testkit.systemd.SystemdNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MounterHarness} JVM inside a {@link SystemdNamespace}, and the test's end of its
 * protocol: {@link #call} sends one command and returns its answer.
 */
final class MounterProcess implements AutoCloseable {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final PrintStream in;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final Path log;

  private MounterProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith("OK\t") || line.startsWith("ERR\t")) {
                    answers.add(line);
                  }
                }
              } catch (IOException e) {
                answers.add("ERR\tIO\t" + e);
              }
              answers.add("ERR\tEXIT\tthe harness exited");
            },
            "mounter-harness-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts a harness inside the namespace and waits until it is ready.
   *
   * @param systemd the namespace
   * @param privateRoot the mounter's private root
   * @param address the D-Bus address
   * @param log where the harness's standard error (its log) goes
   */
  static MounterProcess start(
      SystemdNamespace systemd, Path privateRoot, String address, Path log) {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                // the namespace's pids collide with the host's in the shared /tmp/hsperfdata_root
                "-XX:-UsePerfData",
                "-cp",
                System.getProperty("java.class.path"),
                MounterHarness.class.getName(),
                privateRoot.toString(),
                address)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    MounterProcess harness = new MounterProcess(systemd.start(builder), log);
    String ready = harness.next();
    if (!ready.equals("OK\tready")) {
      throw new IllegalStateException("the harness did not start: " + ready + "\n" + harness.log());
    }
    return harness;
  }

  /**
   * Sends a command and returns its answer, with {@code \n} unescaped.
   *
   * @param fields the command and its arguments
   * @return {@code OK<tab>text} or {@code ERR<tab>KIND<tab>message}
   */
  String call(String... fields) {
    in.println(String.join("\t", List.of(fields)));
    return next();
  }

  /** Returns what the harness logged so far. */
  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** Kills the harness JVM with SIGKILL, as a crashed driver. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    in.close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
  }

  private String next() {
    try {
      String answer = answers.poll(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (answer == null) {
        throw new IllegalStateException("no answer within " + ANSWER_TIMEOUT + "\n" + log());
      }
      return answer.replace("\\n", "\n").replace("\\\\", "\\");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
