package io.s3csi.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.credentials.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientLogTest {
  private static final String SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
  private static final SecretRedactor REDACTOR = SecretRedactor.of(List.of(Secret.of(SECRET)));

  @TempDir Path dir;

  @Test
  void quote_lastLines_areRedactedAndIndented() throws IOException {
    Path log = Files.writeString(dir.resolve("client.log"), "first\n\nsecret " + SECRET + "\nlast");

    assertThat(ClientLog.quote(log, "s3fs", REDACTOR))
        .isEqualTo("last output of s3fs:\n  > first\n  > secret ***\n  > last");
  }

  @Test
  void quote_noLog_saysTheClientPrintedNothing() {
    assertThat(ClientLog.quote(dir.resolve("missing.log"), "rclone", REDACTOR))
        .isEqualTo("rclone printed nothing");
  }

  @Test
  void tail_longLog_readsOnlyTheEndAndDropsTheCutFirstLine() throws IOException {
    StringBuilder text = new StringBuilder();
    // a line that the read window cuts inside the secret, then many short lines
    text.append("x".repeat(10)).append(SECRET).append('\n');
    int filler = ClientLog.READ_BYTES - SECRET.length() / 2;
    for (int written = 0; written < filler; written += 10) {
      text.append("line-" + String.format("%04d", (written / 10) % 10000)).append('\n');
    }
    text.append("the end\n");
    Path log = Files.writeString(dir.resolve("client.log"), text);

    List<String> lines = ClientLog.tail(log, REDACTOR);

    assertThat(lines).hasSize(ClientProcess.TAIL_LINES).endsWith("the end");
    assertThat(String.join("\n", lines)).doesNotContain(SECRET.substring(SECRET.length() / 2));
  }
}
