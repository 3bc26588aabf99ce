package io.s3csi.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.fuse.FuseClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {
  @TempDir Path dir;
  private Path status;
  private Path devFuse;
  private Path bin;

  @BeforeEach
  void host() throws IOException {
    status = dir.resolve("status");
    devFuse = Files.createFile(dir.resolve("fuse"));
    bin = Files.createDirectory(dir.resolve("bin"));
    uids("0\t0\t0\t0");
  }

  @Test
  void check_rootWithFuseAndProgram_returnsTheProgram() throws IOException {
    Path s3fs = program("s3fs");

    assertThat(preflight().check(FuseClient.S3FS)).isEqualTo(s3fs);
  }

  @Test
  void check_notRoot_saysSoAndHowToFixIt() throws IOException {
    program("s3fs");
    uids("1000\t1000\t1000\t1000");

    assertThatThrownBy(() -> preflight().check(FuseClient.S3FS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "this host is not ready for the demo: not running as root (uid 1000); FUSE mounts need root: run it"
                + " with sudo, or as root in a container started with --privileged");
  }

  @Test
  void check_effectiveUidRoot_passes() throws IOException {
    program("s3fs");
    uids("1000\t0\t0\t0");

    assertThat(preflight().check(FuseClient.S3FS)).isEqualTo(bin.resolve("s3fs"));
  }

  @Test
  void check_everythingMissing_listsEveryProblemOnOneLine() throws IOException {
    uids("1000\t1000\t1000\t1000");
    Files.delete(devFuse);

    assertThatThrownBy(() -> preflight().check(FuseClient.S3FS))
        .hasMessageContaining("not running as root (uid 1000)")
        .hasMessageContaining(devFuse + " is missing: load the FUSE kernel module (modprobe fuse)")
        .hasMessageContaining("s3fs is not installed: apt-get install s3fs")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void check_rcloneWithoutFusermount_asksForFuse3() throws IOException {
    program("rclone");

    assertThatThrownBy(() -> preflight().check(FuseClient.RCLONE))
        .hasMessage(
            "this host is not ready for the demo: fusermount3 is not installed (rclone mounts through it):"
                + " apt-get install fuse3");
  }

  @Test
  void check_rcloneWithFusermount3_returnsRclone() throws IOException {
    Path rclone = program("rclone");
    program("fusermount3");

    assertThat(preflight().check(FuseClient.RCLONE)).isEqualTo(rclone);
  }

  @Test
  void find_fileThatIsNotExecutable_isNotAProgram() throws IOException {
    Files.writeString(bin.resolve("s3fs"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(
        bin.resolve("s3fs"), PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(preflight().find("s3fs")).isEmpty();
  }

  @Test
  void effectiveUid_noUidLine_isMinusOneAndReported() throws IOException {
    program("s3fs");
    Files.writeString(status, "Name:\tjava\n");

    assertThat(preflight().effectiveUid()).isEqualTo(-1);
    assertThatThrownBy(() -> preflight().check(FuseClient.S3FS))
        .hasMessageContaining(
            "cannot tell whether this runs as root: " + status + " has no Uid line");
  }

  private Preflight preflight() {
    return new Preflight(status, devFuse, "/nonexistent:" + bin + ":");
  }

  private void uids(String uids) throws IOException {
    Files.writeString(status, "Name:\tjava\nUmask:\t0022\nUid:\t" + uids + "\nGid:\t0\t0\t0\t0\n");
  }

  private Path program(String name) throws IOException {
    Path program = bin.resolve(name);
    Files.writeString(program, "#!/bin/sh\n");
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    return program;
  }
}
