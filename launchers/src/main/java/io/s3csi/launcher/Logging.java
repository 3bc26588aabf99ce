package io.s3csi.launcher;

import io.s3csi.grpc.CallContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes the process's logging (s3csi's {@link System.Logger}s, gRPC's and Netty's
 * java.util.logging, and the AWS SDK's, S3Proxy's and dbus-java's slf4j through slf4j-jdk14) to
 * standard error, one record per line, as text or JSON. Records written while a CSI call is handled
 * carry the call's {@link CallContext} fields: volume id, target path and pod UID. A {@code
 * -Djava.util.logging.config.file} given in {@code JAVA_OPTS} wins over this.
 */
final class Logging {
  /** Held strongly: java.util.logging forgets the level of a logger that is collected. */
  private static final Logger NETTY_BOOTSTRAP =
      Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap");

  private Logging() {}

  /**
   * Sends records of {@code level} and above to standard error as text.
   *
   * @param level the threshold of the root logger
   */
  static synchronized void configure(Level level) {
    configure(level, new OneLine());
  }

  /**
   * Sends records of {@code level} and above to standard error in {@code format}.
   *
   * @param level the threshold ({@code --log-level})
   * @param format text or JSON ({@code --log-format})
   */
  static synchronized void configure(LogLevel level, LogFormat format) {
    configure(level.julLevel(), formatter(format));
  }

  /** Returns the formatter of a format. */
  static Formatter formatter(LogFormat format) {
    return switch (format) {
      case TEXT -> new OneLine();
      case JSON -> new JsonLineFormatter();
    };
  }

  private static void configure(Level level, Formatter formatter) {
    if (System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    StandardError console = new StandardError(System.err);
    console.setLevel(Level.ALL);
    console.setFormatter(formatter);
    root.addHandler(console);
    root.setLevel(level);
    // Netty warns on every unix-socket channel that SO_KEEPALIVE, which gRPC sets for TCP, does
    // not apply to it; that says nothing about the driver.
    NETTY_BOOTSTRAP.setLevel(Level.SEVERE);
  }

  /**
   * Writes each record to a stream (standard error as it is when logging is configured) in one
   * piece, formatted by the thread that logs it. java.util.logging's {@code ConsoleHandler} formats
   * under its lock, so during a storm of publishes every thread that logs waits for every other
   * one's formatting; here the lock covers only the write.
   */
  static final class StandardError extends Handler {
    private final OutputStream out;

    StandardError(OutputStream out) {
      this.out = out;
    }

    @Override
    public void publish(LogRecord record) {
      if (!isLoggable(record)) {
        return;
      }
      byte[] line;
      try {
        line = getFormatter().format(record).getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        reportError(null, e, ErrorManager.FORMAT_FAILURE);
        return;
      }
      synchronized (this) {
        try {
          out.write(line);
        } catch (IOException e) {
          reportError(null, e, ErrorManager.WRITE_FAILURE);
        }
      }
    }

    @Override
    public void flush() {
      // every record is written as it comes
    }

    @Override
    public void close() {
      // standard error stays open
    }
  }

  /**
   * {@code <instant> <LEVEL> <logger>: <message>}, then the call's fields in brackets ({@code
   * [volume_id=... target_path=... pod_uid=...]}) when the record was written while a CSI call was
   * handled, then the stack trace of a thrown, if any.
   */
  static final class OneLine extends Formatter {
    @Override
    public String format(LogRecord record) {
      StringBuilder line =
          new StringBuilder()
              .append(record.getInstant())
              .append(' ')
              .append(LogLevel.nameOf(record.getLevel()))
              .append(' ')
              .append(record.getLoggerName())
              .append(": ")
              .append(formatMessage(record));
      Map<String, String> fields = CallContext.fields();
      if (!fields.isEmpty()) {
        line.append(" [");
        fields.forEach((name, value) -> line.append(name).append('=').append(value).append(' '));
        line.setCharAt(line.length() - 1, ']');
      }
      line.append(System.lineSeparator());
      if (record.getThrown() != null) {
        line.append(stackTrace(record.getThrown()));
      }
      return line.toString();
    }
  }

  /** A throwable's stack trace, as {@link Throwable#printStackTrace()} prints it. */
  static String stackTrace(Throwable thrown) {
    StringWriter trace = new StringWriter();
    thrown.printStackTrace(new PrintWriter(trace));
    return trace.toString();
  }
}
