package io.s3csi.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramResolverTest {
  @TempDir Path dir;
  private Path first;
  private Path second;

  @BeforeEach
  void setUp() throws IOException {
    first = Files.createDirectory(dir.resolve("first"));
    second = Files.createDirectory(dir.resolve("second"));
  }

  @Test
  void resolve_inSecondDirectory_returnsItsAbsolutePath() throws IOException {
    Path program = file(second.resolve("s3fs"), "rwxr-xr-x");

    assertThat(new ProgramResolver(List.of(first, second)).resolve("s3fs")).isEqualTo(program);
  }

  @Test
  void resolve_inBothDirectories_returnsTheFirstOne() throws IOException {
    Path winner = file(first.resolve("rclone"), "rwx------");
    file(second.resolve("rclone"), "rwxr-xr-x");

    assertThat(new ProgramResolver(List.of(first, second)).resolve("rclone")).isEqualTo(winner);
  }

  @Test
  void resolve_notExecutableFirst_skipsItForAnExecutableOne() throws IOException {
    file(first.resolve("s3fs"), "rw-r--r--");
    Path program = file(second.resolve("s3fs"), "rwxr-xr-x");

    assertThat(new ProgramResolver(List.of(first, second)).resolve("s3fs")).isEqualTo(program);
  }

  @Test
  void resolve_missing_failsPreconditionNamingProgramAndDirectories() {
    assertThatThrownBy(() -> new ProgramResolver(List.of(first, second)).resolve("mount-s3"))
        .isInstanceOf(DriverException.class)
        .hasMessage("mount-s3 is not installed (looked in " + first + ", " + second + ")")
        .extracting(e -> ((DriverException) e).kind())
        .isEqualTo(ErrorKind.FAILED_PRECONDITION);
  }

  @Test
  void resolve_onlyADirectoryOfThatName_isNotInstalled() throws IOException {
    Files.createDirectory(first.resolve("s3fs"));

    assertThatThrownBy(() -> new ProgramResolver(List.of(first)).resolve("s3fs"))
        .hasMessage("s3fs is not installed (looked in " + first + ")");
  }

  @Test
  void resolve_onlyNotExecutable_saysWhichFileIsNotExecutable() throws IOException {
    Path plain = file(second.resolve("s3fs"), "rw-r--r--");

    assertThatThrownBy(() -> new ProgramResolver(List.of(first, second)).resolve("s3fs"))
        .isInstanceOf(DriverException.class)
        .hasMessage(
            "s3fs is not installed (looked in "
                + first
                + ", "
                + second
                + "; "
                + plain
                + " is not executable)");
  }

  @Test
  void resolve_pathInsteadOfName_isRejected() {
    assertThatThrownBy(() -> new ProgramResolver(List.of(first)).resolve("../s3fs"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("program must be a bare name: ../s3fs");
  }

  @Test
  void constructor_relativeDirectory_isRejected() {
    assertThatThrownBy(() -> new ProgramResolver(List.of(Path.of("bin"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("searchPath: bin is not absolute");
  }

  @Test
  void defaultSearchPath_matchesThePathTheClientsGet() {
    assertThat(ProgramResolver.DEFAULT_SEARCH_PATH)
        .extracting(Path::toString)
        .containsExactly(
            "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");
  }

  private static Path file(Path path, String mode) throws IOException {
    Files.writeString(path, "#!/bin/sh\n");
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    return path;
  }
}
