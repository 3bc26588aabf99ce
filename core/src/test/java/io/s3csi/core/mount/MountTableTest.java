package io.s3csi.core.mount;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MountTableTest {

  private static final String POD = "/var/lib/kubelet/pods/0f9a7c1e/volumes/kubernetes.io~csi";

  private static final String MOUNTINFO =
      String.join(
          "\n",
          "22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro",
          "35 22 259:2 /var/lib/kubelet /var/lib/kubelet rw,relatime shared:14 - ext4"
              + " /dev/nvme0n1p2 rw,errors=remount-ro",
          "410 35 0:58 / "
              + POD
              + "/pv-photos/mount ro,nosuid,nodev,relatime shared:220 - fuse.s3fs s3fs"
              + " ro,user_id=0,group_id=0,allow_other",
          "411 35 0:59 / "
              + POD
              + "/my\\040volume/mount rw,nosuid,nodev,relatime shared:221 master:3 - fuse"
              + " mountpoint-s3 rw,user_id=0,group_id=0,default_permissions,allow_other",
          "412 35 0:60 / /mnt/back\\134slash\\011tab rw - tmpfs tmpfs rw",
          "this line is not mountinfo",
          "413 35 0:61 / /mnt/short rw - fuse",
          "414 35 0:62 / /mnt/no-separator rw shared:2 fuse rclone rw",
          "415 35 0:63 / - tmpfs x rw",
          "",
          "416 35 0:64 / /mnt/over rw,relatime - tmpfs first rw",
          "417 416 0:65 / /mnt/over ro,relatime - fuse.rclone s3csi:bucket/ ro",
          "");

  @Test
  void parse_realMountinfo_keepsWellFormedLinesInOrder() {
    MountTable table = MountTable.parse(MOUNTINFO);

    assertThat(table.entries())
        .extracting(MountEntry::mountPoint)
        .containsExactly(
            Path.of("/"),
            Path.of("/var/lib/kubelet"),
            Path.of(POD + "/pv-photos/mount"),
            Path.of(POD + "/my volume/mount"),
            Path.of("/mnt/back\\slash\ttab"),
            Path.of("/mnt/over"),
            Path.of("/mnt/over"));
  }

  @Test
  void parse_fuseS3fsLine_isReadOnlyFuseWithPerMountOptions() {
    MountEntry entry =
        MountTable.parse(MOUNTINFO).at(Path.of(POD + "/pv-photos/mount")).orElseThrow();

    assertThat(entry)
        .isEqualTo(
            new MountEntry(
                Path.of(POD + "/pv-photos/mount"),
                "fuse.s3fs",
                "s3fs",
                Set.of("ro", "nosuid", "nodev", "relatime")));
    assertThat(entry.readOnly()).isTrue();
    assertThat(entry.fuse()).isTrue();
  }

  @Test
  void parse_lineWithOptionalFieldsAndEscapes_isDecoded() {
    MountEntry entry =
        MountTable.parse(MOUNTINFO).at(Path.of(POD + "/my volume/mount")).orElseThrow();

    assertThat(entry.fsType()).isEqualTo("fuse");
    assertThat(entry.source()).isEqualTo("mountpoint-s3");
    assertThat(entry.readOnly()).isFalse();
    assertThat(entry.fuse()).isTrue();
  }

  @Test
  void at_stackedMounts_returnsTheTopmost() {
    MountEntry entry = MountTable.parse(MOUNTINFO).at(Path.of("/mnt/over")).orElseThrow();

    assertThat(entry.fsType()).isEqualTo("fuse.rclone");
    assertThat(entry.source()).isEqualTo("s3csi:bucket/");
    assertThat(entry.readOnly()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/mnt/short", "/mnt/no-separator", "/mnt", "/var/lib/kubelet/pods"})
  void at_unmountedOrMalformedMountPoint_isEmpty(String path) {
    assertThat(MountTable.parse(MOUNTINFO).at(Path.of(path))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n\n", "garbage", "1 2 3 - a b c"})
  void parse_nothingUsable_isEmpty(String text) {
    assertThat(MountTable.parse(text).entries()).isEmpty();
  }

  @Test
  void parse_windowsLineEnds_areTolerated() {
    MountTable table = MountTable.parse("36 35 98:0 / /mnt/a rw - ext3 /dev/root rw\r\n");

    assertThat(table.entries())
        .containsExactly(new MountEntry(Path.of("/mnt/a"), "ext3", "/dev/root", Set.of("rw")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "plain|plain",
        "a\\040b|a b",
        "a\\134b|a\\b",
        "end\\04|end\\04",
        "bad\\09x|bad\\09x",
        "trailing\\|trailing\\",
        "\\1341|\\1"
      })
  void unescape_octalEscapes_areDecoded(String raw, String decoded) {
    assertThat(MountTable.unescape(raw)).isEqualTo(decoded);
  }

  @Test
  void unescape_newlineAndSpaces_areDecoded() {
    assertThat(MountTable.unescape("a\\012b")).isEqualTo("a\nb");
    assertThat(MountTable.unescape("\\040\\040")).isEqualTo("  ");
  }

  @ParameterizedTest
  @CsvSource({
    "fuse, true",
    "fuse.s3fs, true",
    "fuse.mountpoint-s3, true",
    "fuseblk, false",
    "ext4, false",
    "fusectl, false"
  })
  void mountEntry_fuse_recognizesFuseTypes(String fsType, boolean fuse) {
    assertThat(new MountEntry(Path.of("/m"), fsType, "src", Set.of()).fuse()).isEqualTo(fuse);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "/var/lib/kubelet",
        POD + "/pv-photos/mount",
        POD + "/my volume/mount",
        "/mnt/back\\slash\ttab",
        "/mnt/short",
        "/mnt/no-separator",
        "/mnt/over",
        "/mnt/absent",
        POD
      })
  void find_eachMountPoint_sameAsParsingTheWholeTable(String mountPoint) {
    Path point = Path.of(mountPoint);

    assertThat(MountTable.find(MOUNTINFO, point)).isEqualTo(MountTable.parse(MOUNTINFO).at(point));
  }

  @Test
  void find_stackedMounts_returnsTheTopOne() {
    assertThat(MountTable.find(MOUNTINFO, Path.of("/mnt/over")))
        .hasValueSatisfying(entry -> assertThat(entry.fsType()).isEqualTo("fuse.rclone"));
  }

  @Test
  void find_escapedMountPoint_matchesTheKernelsEncoding() {
    assertThat(MountTable.find(MOUNTINFO, Path.of(POD + "/my volume/mount")))
        .hasValueSatisfying(entry -> assertThat(entry.source()).isEqualTo("mountpoint-s3"));
    assertThat(MountTable.find(MOUNTINFO, Path.of("/mnt/back\\slash\ttab")))
        .hasValueSatisfying(entry -> assertThat(entry.fsType()).isEqualTo("tmpfs"));
  }

  @Test
  void find_lastLineWithoutNewline_isRead() {
    assertThat(MountTable.find("27 1 8:1 / /data rw - ext4 /dev/vda rw", Path.of("/data")))
        .isPresent();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"/plain|/plain", "/a b|/a\\040b", "/t\tx|/t\\011x", "/b\\s|/b\\134s"})
  void escape_specialCharacters_octalAsTheKernelWrites(String path, String escaped) {
    assertThat(MountTable.escape(path.replace("\\t", "\t"))).isEqualTo(escaped);
  }
}
