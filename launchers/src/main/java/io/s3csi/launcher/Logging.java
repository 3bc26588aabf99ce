package io.s3csi.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes the process's logging (s3csi's {@link System.Logger}s, and S3Proxy's and Jetty's slf4j
 * through slf4j-jdk14) to standard error, one line per record. A {@code
 * -Djava.util.logging.config.file} given in {@code JAVA_OPTS} wins over this.
 */
final class Logging {
  /** Held strongly: java.util.logging forgets the level of a logger that is collected. */
  private static final Logger NETTY_BOOTSTRAP =
      Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap");

  private Logging() {}

  /**
   * Sends records of {@code level} and above to standard error.
   *
   * @param level the threshold of the root logger
   */
  static synchronized void configure(Level level) {
    if (System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    ConsoleHandler console = new ConsoleHandler();
    console.setLevel(Level.ALL);
    console.setFormatter(new OneLine());
    root.addHandler(console);
    root.setLevel(level);
    // Netty warns on every unix-socket channel that SO_KEEPALIVE, which gRPC sets for TCP, does
    // not apply to it; that says nothing about the driver.
    NETTY_BOOTSTRAP.setLevel(Level.SEVERE);
  }

  /** {@code <instant> <LEVEL> <logger>: <message>}, then the stack trace of a thrown, if any. */
  static final class OneLine extends Formatter {
    @Override
    public String format(LogRecord record) {
      StringBuilder line =
          new StringBuilder()
              .append(record.getInstant())
              .append(' ')
              .append(record.getLevel().getName())
              .append(' ')
              .append(record.getLoggerName())
              .append(": ")
              .append(formatMessage(record))
              .append(System.lineSeparator());
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        line.append(trace);
      }
      return line.toString();
    }
  }
}
