package io.s3csi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonLineFormatterTest {
  private final JsonLineFormatter formatter = new JsonLineFormatter();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "plain            | abc                 | '\"abc\"'",
        "quote            | say \"hi\"          | '\"say \\\"hi\\\"\"'",
        "backslash        | C:\\dir              | '\"C:\\\\dir\"'",
        "slash unescaped  | a/b                 | '\"a/b\"'",
        "unicode kept     | café ☃              | '\"café ☃\"'"
      })
  void quote_printable_escapesQuotesAndBackslashesOnly(String name, String value, String json) {
    assertThat(quoted(value)).isEqualTo(json);
  }

  @Test
  void quote_controlCharacters_areEscaped() {
    assertThat(quoted("a\nb\rc\td\be\ff")).isEqualTo("\"a\\nb\\rc\\td\\be\\ff\"");
    assertThat(quoted("\u0000\u0001\u001f\u007f")).isEqualTo("\"\\u0000\\u0001\\u001f\\u007f\"");
    assertThat(quoted("x\u2028y\u2029z")).isEqualTo("\"x\\u2028y\\u2029z\"");
  }

  @Test
  void quote_surrogates_keepsPairsAndEscapesLoneOnes() {
    assertThat(quoted("\uD83D\uDE00")).isEqualTo("\"\uD83D\uDE00\"");
    assertThat(quoted("a\uD83Db")).isEqualTo("\"a\\ud83db\"");
    assertThat(quoted("\uDE00")).isEqualTo("\"\\ude00\"");
    assertThat(quoted("end\uD83D")).isEqualTo("\"end\\ud83d\"");
  }

  @Test
  void quote_null_isTheEmptyString() {
    assertThat(quoted(null)).isEqualTo("\"\"");
  }

  @Test
  void format_record_isOneLineOfValidJsonWithEveryField() {
    LogRecord record = new LogRecord(Level.WARNING, "unit {0} said \"{1}\"\nthen stopped");
    record.setParameters(new Object[] {"s3csi-x.service", "bad\tthing"});
    record.setLoggerName("io.s3csi.systemd.SystemdMounter");
    record.setInstant(Instant.parse("2026-01-05T10:00:00.123Z"));
    record.setThrown(new IllegalStateException("boom\u0007"));

    String line = formatter.format(record);

    assertThat(line).endsWith("}\n");
    assertThat(line.strip()).doesNotContain("\n", "\r");
    JsonObject json = JsonParser.parseString(line).getAsJsonObject();
    assertThat(json.get("time").getAsString()).isEqualTo("2026-01-05T10:00:00.123Z");
    assertThat(json.get("level").getAsString()).isEqualTo("WARN");
    assertThat(json.get("logger").getAsString()).isEqualTo("io.s3csi.systemd.SystemdMounter");
    assertThat(json.get("message").getAsString())
        .isEqualTo("unit s3csi-x.service said \"bad\tthing\"\nthen stopped");
    assertThat(json.get("thrown").getAsString())
        .startsWith("java.lang.IllegalStateException: boom\u0007")
        .contains("\tat io.s3csi.launcher.JsonLineFormatterTest");
    assertThat(json.has("volume_id")).isFalse();
  }

  @Test
  void format_levels_useTheLogLevelNames() {
    assertThat(levelOf(Level.SEVERE)).isEqualTo("ERROR");
    assertThat(levelOf(Level.INFO)).isEqualTo("INFO");
    assertThat(levelOf(Level.FINE)).isEqualTo("DEBUG");
    assertThat(levelOf(Level.FINER)).isEqualTo("TRACE");
    assertThat(levelOf(Level.FINEST)).isEqualTo("TRACE");
  }

  private String levelOf(Level level) {
    LogRecord record = new LogRecord(level, "m");
    record.setLoggerName("l");
    return JsonParser.parseString(formatter.format(record))
        .getAsJsonObject()
        .get("level")
        .getAsString();
  }

  private static String quoted(String value) {
    StringBuilder out = new StringBuilder();
    JsonLineFormatter.quote(out, value);
    return out.toString();
  }
}
