package io.s3csi.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.mount.PrivateDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountRecordTest {
  @TempDir Path dir;

  @Test
  void writeThenRead_givesTheSameRecordInAPrivateFile() throws IOException {
    PrivateDirectories directories = new PrivateDirectories(dir.resolve("mounts"));
    Path target = Path.of("/mnt/with space/é=:#!");
    MountRecord record =
        new MountRecord(
            target,
            "bkt/team a",
            "bkt",
            Optional.of("team a/"),
            FuseClient.RCLONE,
            true,
            "s3csi-0123456789abcdef.service",
            Instant.parse("2026-11-21T03:00:00.123Z"));

    record.write(directories);

    Path file = directories.directoryFor(target).resolve(MountRecord.FILE_NAME);
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(MountRecord.read(directories.directoryFor(target))).contains(record);
  }

  @Test
  void read_noRecord_isEmpty() {
    assertThat(MountRecord.read(dir)).isEmpty();
  }

  @Test
  void read_malformedRecord_isEmpty() throws IOException {
    Files.writeString(dir.resolve(MountRecord.FILE_NAME), "target=/mnt\nclient=goofys\n");

    assertThat(MountRecord.read(dir)).isEmpty();
  }
}
