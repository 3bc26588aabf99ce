package io.s3csi.systemd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.credentials.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutputTailTest {
  private static final String SECRET = "S3cr3tK3yV4lu3xyz";
  private static final SecretRedactor REDACTOR = SecretRedactor.of(List.of(Secret.of(SECRET)));

  @Test
  void drain_manyLines_keepsTheLastOnes() throws IOException {
    OutputTail tail = new OutputTail(3, 100, REDACTOR);
    String text = IntStream.rangeClosed(1, 10).mapToObj(i -> "line " + i).collect(joining());

    tail.drain(stream(text), line -> {});

    assertThat(tail.lines()).containsExactly("line 8", "line 9", "line 10");
  }

  @Test
  void drain_mixedLineBreaksAndBlankLines_splitsAndSkipsBlanks() throws IOException {
    OutputTail tail = new OutputTail(10, 100, REDACTOR);

    tail.drain(stream("a\r\nb\rc\n\n   \nd-without-newline"), line -> {});

    assertThat(tail.lines()).containsExactly("a", "b", "c", "d-without-newline");
  }

  @Test
  void drain_secretInOutput_isMaskedInTheTailAndTheSink() throws IOException {
    OutputTail tail = new OutputTail(10, 100, REDACTOR);
    List<String> logged = new ArrayList<>();

    tail.drain(stream("auth with " + SECRET + " failed\n"), logged::add);

    assertThat(tail.lines()).containsExactly("auth with *** failed");
    assertThat(logged).containsExactly("auth with *** failed");
  }

  @Test
  void add_secretAcrossTheDisplayLimit_isMaskedBeforeTheLineIsShortened() {
    OutputTail tail = new OutputTail(10, 12, REDACTOR);

    tail.add("0123456789" + SECRET + " tail", false);

    assertThat(tail.lines()).containsExactly("0123456789**" + " [...]");
    assertThat(String.join("", tail.lines())).doesNotContain(SECRET.substring(0, 2));
  }

  @Test
  void drain_lineLongerThanTheReadLimit_dropsAnyPartOfASecretAtTheCut() throws IOException {
    OutputTail tail = new OutputTail(10, OutputTail.READ_LIMIT + 100, REDACTOR);
    String head = "x".repeat(OutputTail.READ_LIMIT - 5);
    // the read limit falls inside the secret: the first 5 of its characters are read, the rest not
    tail.drain(stream(head + SECRET + " and more\nnext\n"), line -> {});

    List<String> lines = tail.lines();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .doesNotContain(SECRET.substring(0, 5))
        .isEqualTo("x".repeat(OutputTail.READ_LIMIT - SECRET.length()) + " [...]");
    assertThat(lines.get(1)).isEqualTo("next");
  }

  @Test
  void drain_utf8_decodesCharacters() throws IOException {
    OutputTail tail = new OutputTail(10, 100, REDACTOR);

    tail.drain(stream("größe ✓\n"), line -> {});

    assertThat(tail.lines()).containsExactly("größe ✓");
  }

  private static ByteArrayInputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(UTF_8));
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joining() {
    return Collectors.joining("\n", "", "\n");
  }
}
