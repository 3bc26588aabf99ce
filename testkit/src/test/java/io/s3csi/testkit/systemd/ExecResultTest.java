package io.s3csi.testkit.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecResultTest {

  @Test
  void requireSuccess_nonZeroExit_reportsCommandAndOutputs() {
    ExecResult result = new ExecResult(List.of("systemctl", "start", "x"), 5, "out", "err");

    assertThat(result.succeeded()).isFalse();
    assertThatThrownBy(result::requireSuccess)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "command [systemctl, start, x] exited with 5\n--- stdout ---\nout\n--- stderr ---\nerr");
    assertThat(new ExecResult(List.of("true"), 0, "", "").requireSuccess().succeeded()).isTrue();
  }

  @Test
  void new_mutableCommand_isCopied() {
    List<String> command = new ArrayList<>(List.of("true"));
    ExecResult result = new ExecResult(command, 0, "", "");

    command.add("changed");

    assertThat(result.command()).containsExactly("true");
  }
}
