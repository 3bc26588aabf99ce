package io.s3csi.core.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetPathTest {

  private static final Path ROOT = TargetPath.DEFAULT_KUBELET_ROOT;
  private static final String UID = "0f9a7c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
  private static final String LAYOUT =
      "/var/lib/kubelet/pods/" + UID + "/volumes/kubernetes.io~csi/pv-photos/mount";

  @TempDir Path temp;

  private static void assertInvalid(String raw, String message) {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(() -> TargetPath.parse("target_path", raw, ROOT))
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.field()).isEqualTo("target_path");
              assertThat(e.getMessage()).isEqualTo("target_path: " + message);
            });
  }

  @Test
  void parse_kubeletLayout_yieldsPodUidAndVolumeName() {
    TargetPath target = TargetPath.parse("target_path", LAYOUT, ROOT);

    assertThat(target)
        .isEqualTo(
            new TargetPath(Path.of(LAYOUT), ROOT, Optional.of(UID), Optional.of("pv-photos")));
    assertThat(target).hasToString(LAYOUT);
  }

  @Test
  void parse_trailingSlash_isDropped() {
    TargetPath target = TargetPath.parse("target_path", LAYOUT + "/", ROOT);

    assertThat(target.path()).isEqualTo(Path.of(LAYOUT));
    assertThat(target.podUid()).contains(UID);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/var/lib/kubelet/plugins/kubernetes.io/csi/s3.csi.s3csi.io/abc/globalmount",
        "/var/lib/kubelet/pods/" + UID + "/volumes/kubernetes.io~csi/pv-photos/mount/sub",
        "/var/lib/kubelet/pods/" + UID + "/volumes/kubernetes.io~csi/pv-photos",
        "/var/lib/kubelet/pods/not-a-uid/volumes/kubernetes.io~csi/pv-photos/mount",
        "/var/lib/kubelet/pods/" + UID + "/volumes/kubernetes.io~nfs/pv-photos/mount",
        "/var/lib/kubelet/pods/" + UID + "/volume/kubernetes.io~csi/pv-photos/mount",
        "/var/lib/kubelet/pods/" + UID + "/volumes/kubernetes.io~csi/pv photos/mount",
        "/var/lib/kubelet/pods/" + UID + "/volumes/kubernetes.io~csi/-pv/mount",
        "/var/lib/kubelet/x"
      })
  void parse_pathUnderRootWithoutKubeletLayout_isAcceptedWithoutPodInfo(String raw) {
    TargetPath target = TargetPath.parse("target_path", raw, ROOT);

    assertThat(target.path()).isEqualTo(Path.of(raw));
    assertThat(target.kubeletRoot()).isEqualTo(ROOT);
    assertThat(target.podUid()).isEmpty();
    assertThat(target.volumeName()).isEmpty();
  }

  @Test
  void parse_customKubeletRoot_isHonoured() {
    Path root = Path.of("/data/kubelet");
    TargetPath target =
        TargetPath.parse(
            "target_path",
            "/data/kubelet/pods/" + UID + "/volumes/kubernetes.io~csi/pv-1/mount",
            root);

    assertThat(target.volumeName()).contains("pv-1");
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(() -> TargetPath.parse("target_path", LAYOUT, root))
        .withMessage(
            "target_path: must be a directory under the kubelet root /data/kubelet (was '"
                + LAYOUT
                + "')");
  }

  @ParameterizedTest
  @NullAndEmptySource
  void parse_empty_isRejected(String raw) {
    assertInvalid(raw, "must not be empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"var/lib/kubelet/pods/x", "pods/x/mount", " /var/lib/kubelet/x", "~/x"})
  void parse_relative_isRejected(String raw) {
    assertInvalid(raw, "must be an absolute path (was '" + raw + "')");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/var/lib/kubelet/pods/../../../etc",
        "/var/lib/kubelet/pods/x/..",
        "/var/lib/kubelet/./pods/x",
        "/var/lib/kubelet/pods/.",
        "/var/lib/kubelet//pods/x",
        "/var/lib/kubelet/pods/x//",
        "//var/lib/kubelet/pods/x",
        "/"
      })
  void parse_notNormalized_isRejected(String raw) {
    assertInvalid(raw, "must be normalized: no empty, '.' or '..' segments (was '" + raw + "')");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/var/lib/kubelet/pods/x\n/mount", "/var/lib/kubelet/\u0000x", "/var/lib/\u007f"})
  void parse_controlCharacters_areRejected(String raw) {
    assertInvalid(raw, "must not contain control characters");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/var/lib/kubelet",
        "/var/lib/kubelet/",
        "/var/lib/kubeletx/pods/x",
        "/var/lib",
        "/etc/kubernetes",
        "/tmp/var/lib/kubelet/pods/x"
      })
  void parse_outsideOrEqualToRoot_isRejected(String raw) {
    assertInvalid(
        raw, "must be a directory under the kubelet root /var/lib/kubelet (was '" + raw + "')");
  }

  @Test
  void parse_pathOf4096BytesOrMore_isRejected() {
    assertInvalid("/var/lib/kubelet/" + "a".repeat(4079), "must be shorter than 4096 bytes");
    // 2057 characters, 4097 bytes
    assertInvalid("/var/lib/kubelet/" + "\u00e9".repeat(2040), "must be shorter than 4096 bytes");
  }

  @Test
  void parse_pathOf4095Bytes_isAccepted() {
    String raw = "/var/lib/kubelet/" + "a".repeat(4078);

    assertThat(TargetPath.parse("target_path", raw, ROOT).path()).isEqualTo(Path.of(raw));
  }

  @Test
  void parse_fieldName_isUsedInErrors() {
    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(() -> TargetPath.parse("staging_target_path", "x", ROOT))
        .satisfies(e -> assertThat(e.field()).isEqualTo("staging_target_path"));
  }

  private Path kubeletRoot() throws IOException {
    return Files.createDirectories(temp.resolve("kubelet"));
  }

  private static String layoutUnder(Path root) {
    return root + "/pods/" + UID + "/volumes/kubernetes.io~csi/pv-photos/mount";
  }

  @Test
  void checkNoSymlinkEscape_notYetExistingTarget_isAccepted() throws IOException {
    Path root = kubeletRoot();
    TargetPath target = TargetPath.parse("target_path", layoutUnder(root), root);

    assertThatCode(target::checkNoSymlinkEscape).doesNotThrowAnyException();
  }

  @Test
  void checkNoSymlinkEscape_existingDirectory_isAccepted() throws IOException {
    Path root = kubeletRoot();
    Files.createDirectories(Path.of(layoutUnder(root)));
    TargetPath target = TargetPath.parse("target_path", layoutUnder(root), root);

    assertThatCode(target::checkNoSymlinkEscape).doesNotThrowAnyException();
  }

  @Test
  void checkNoSymlinkEscape_symlinkInsideRoot_isAccepted() throws IOException {
    Path root = kubeletRoot();
    Path realPods = Files.createDirectories(root.resolve("real-pods"));
    Files.createSymbolicLink(root.resolve("pods"), realPods);
    TargetPath target = TargetPath.parse("target_path", layoutUnder(root), root);

    assertThatCode(target::checkNoSymlinkEscape).doesNotThrowAnyException();
  }

  @Test
  void checkNoSymlinkEscape_parentLinkingOutside_isRejected() throws IOException {
    Path root = kubeletRoot();
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.createSymbolicLink(root.resolve("pods"), outside);
    TargetPath target = TargetPath.parse("target_path", layoutUnder(root), root);

    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(target::checkNoSymlinkEscape)
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("target_path");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "target_path: resolves through a symbolic link to "
                          + outside.toRealPath()
                          + ", outside "
                          + root.toRealPath());
            });
  }

  @Test
  void checkNoSymlinkEscape_targetItselfLinkingOutside_isRejected() throws IOException {
    Path root = kubeletRoot();
    Path outside = Files.createDirectories(temp.resolve("etc"));
    Path target = Path.of(layoutUnder(root));
    Files.createDirectories(target.getParent());
    Files.createSymbolicLink(target, outside);

    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(
            () -> TargetPath.parse("target_path", target.toString(), root).checkNoSymlinkEscape())
        .withMessage(
            "target_path: resolves through a symbolic link to "
                + outside.toRealPath()
                + ", outside "
                + root.toRealPath());
  }

  @Test
  void checkNoSymlinkEscape_danglingLink_isRejected() throws IOException {
    Path root = kubeletRoot();
    Path link = Files.createSymbolicLink(root.resolve("pods"), temp.resolve("not-yet-there"));
    TargetPath target = TargetPath.parse("target_path", layoutUnder(root), root);

    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(target::checkNoSymlinkEscape)
        .withMessage(
            "target_path: resolves through a symbolic link " + link + " that leads nowhere");
  }

  @Test
  void checkNoSymlinkEscape_missingKubeletRoot_failsPrecondition() {
    Path root = temp.resolve("missing");
    TargetPath target = TargetPath.parse("target_path", layoutUnder(root), root);

    assertThatExceptionOfType(DriverException.class)
        .isThrownBy(target::checkNoSymlinkEscape)
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);
              assertThat(e.getMessage())
                  .isEqualTo("kubelet root " + root + " is not accessible: " + root);
            });
  }

  @ParameterizedTest
  @CsvSource({"/var/lib/kubelet/pods/x, /var/lib/kubelet/pods/x"})
  void parse_rootGivenUnnormalized_isNormalized(String raw, String expected) {
    TargetPath target = TargetPath.parse("target_path", raw, Path.of("/var/lib/./kubelet/"));

    assertThat(target.path()).isEqualTo(Path.of(expected));
    assertThat(target.kubeletRoot()).isEqualTo(ROOT);
  }
}
