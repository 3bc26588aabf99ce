package io.s3csi.launcher;

import io.s3csi.grpc.CallContext;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per record, on one line: {@code time} (an ISO-8601 instant), {@code level}
 * ({@code ERROR}, {@code WARN}, {@code INFO}, {@code DEBUG} or {@code TRACE}), {@code logger},
 * {@code message}, the {@link CallContext} fields of the CSI call being handled ({@code volume_id},
 * {@code target_path}, {@code pod_uid}) when there is one, and {@code thrown} (the stack trace)
 * when the record carries a throwable.
 *
 * <pre>{@code
 * {"time":"2026-01-05T10:00:00.123Z","level":"INFO","logger":"io.s3csi.core.node.NodeService",
 *  "message":"published volume v1 ...","volume_id":"v1","target_path":"/var/lib/kubelet/...",
 *  "pod_uid":"8d3c..."}
 * }</pre>
 */
final class JsonLineFormatter extends Formatter {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  @Override
  public String format(LogRecord record) {
    StringBuilder json = new StringBuilder(256).append('{');
    field(json, "time", String.valueOf(record.getInstant()));
    json.append(',');
    field(json, "level", LogLevel.nameOf(record.getLevel()));
    json.append(',');
    field(json, "logger", record.getLoggerName());
    json.append(',');
    field(json, "message", formatMessage(record));
    for (Map.Entry<String, String> entry : CallContext.fields().entrySet()) {
      json.append(',');
      field(json, entry.getKey(), entry.getValue());
    }
    if (record.getThrown() != null) {
      json.append(',');
      field(json, "thrown", Logging.stackTrace(record.getThrown()));
    }
    return json.append('}').append('\n').toString();
  }

  private static void field(StringBuilder json, String name, String value) {
    quote(json, name);
    json.append(':');
    quote(json, value);
  }

  /**
   * Appends {@code value} as a JSON string: quotes, backslashes and every control character
   * escaped, line and paragraph separators and lone surrogates too, so that a record is always one
   * valid line. {@code null} is written as the empty string.
   *
   * @param json where to append
   * @param value the text
   */
  static void quote(StringBuilder json, String value) {
    json.append('"');
    String text = value == null ? "" : value;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1))) {
            json.append(c).append(text.charAt(++i));
          } else if (c < 0x20
              || c == 0x7f
              || c == '\u2028'
              || c == '\u2029'
              || Character.isSurrogate(c)) {
            json.append("\\u")
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
