package io.s3csi.core.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.s3csi.core.credentials.Secret;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.fuse.FuseCommand;
import io.s3csi.core.fuse.PrivateFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrivateDirectoriesTest {

  private static final Path TARGET =
      Path.of("/var/lib/kubelet/pods/0f9a7c1e/volumes/kubernetes.io~csi/pv-photos/mount");
  private static final Path OTHER_TARGET =
      Path.of("/var/lib/kubelet/pods/0f9a7c1e/volumes/kubernetes.io~csi/pv-other/mount");

  @TempDir Path temp;

  private PrivateDirectories store;
  private Path root;

  @BeforeEach
  void setUp() {
    root = temp.resolve("private");
    store = new PrivateDirectories(root);
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private FuseCommand command(Path target, PrivateFile... files) {
    return new FuseCommand(
        List.of("mount-s3"), Map.of(), List.of(files), store.directoryFor(target));
  }

  private List<String> names(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void keyOf_isTheFirst16HexDigitsOfTheSha256OfThePath() throws NoSuchAlgorithmException {
    String expected =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(TARGET.toString().getBytes(StandardCharsets.UTF_8)))
            .substring(0, 16);

    assertThat(PrivateDirectories.keyOf(TARGET)).isEqualTo(expected).hasSize(16);
    assertThat(PrivateDirectories.keyOf(Path.of(TARGET.toString()))).isEqualTo(expected);
    assertThat(PrivateDirectories.keyOf(OTHER_TARGET)).isNotEqualTo(expected);
  }

  @Test
  void directoryFor_isUnderTheRootNamedByTheKey() {
    assertThat(store.directoryFor(TARGET))
        .isEqualTo(root.resolve(PrivateDirectories.keyOf(TARGET)));
    assertThat(store.root()).isEqualTo(root);
  }

  @Test
  void constructor_relativeRoot_isMadeAbsolute() {
    assertThat(new PrivateDirectories(Path.of("a/../b")).root())
        .isEqualTo(Path.of("b").toAbsolutePath());
  }

  @Test
  void write_createsPrivateDirectoriesAndFilesWithExactContent() throws IOException {
    Path dir = store.directoryFor(TARGET);
    FuseCommand command =
        command(
            TARGET,
            new PrivateFile(dir.resolve("passwd-s3fs"), Secret.of("AKIA:secret\n")),
            new PrivateFile(dir.resolve("aws-config"), Secret.of("")),
            new PrivateFile(dir.resolve(".aws/credentials"), Secret.of("[default]\n")));

    store.write(command);

    assertThat(mode(root)).isEqualTo("rwx------");
    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(dir.resolve(".aws"))).isEqualTo("rwx------");
    assertThat(Files.readString(dir.resolve("passwd-s3fs"))).isEqualTo("AKIA:secret\n");
    assertThat(Files.readString(dir.resolve("aws-config"))).isEmpty();
    assertThat(Files.readString(dir.resolve(".aws/credentials"))).isEqualTo("[default]\n");
    assertThat(mode(dir.resolve("passwd-s3fs"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("aws-config"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve(".aws/credentials"))).isEqualTo("rw-------");
    assertThat(names(dir)).containsExactly(".aws", "aws-config", "passwd-s3fs");
  }

  @Test
  void write_tightensAnExistingLooseDirectory() throws IOException {
    Path dir = store.directoryFor(TARGET);
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

    store.write(command(TARGET));

    assertThat(mode(root)).isEqualTo("rwx------");
    assertThat(mode(dir)).isEqualTo("rwx------");
  }

  @Test
  void writeFile_twice_replacesTheContentAtomicallyAndLeavesNoTemporaryFile() throws IOException {
    Path file = store.directoryFor(TARGET).resolve("web-identity-token");

    store.writeFile(new PrivateFile(file, Secret.of("first-token-which-is-longer")));
    store.writeFile(new PrivateFile(file, Secret.of("second")));

    assertThat(Files.readString(file)).isEqualTo("second");
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(names(file.getParent())).containsExactly("web-identity-token");
  }

  @Test
  void rewrite_liveMount_replacesOnlyTheGivenFiles() throws IOException {
    Path dir = store.directoryFor(TARGET);
    PrivateFile token = new PrivateFile(dir.resolve("web-identity-token"), Secret.of("old"));
    PrivateFile config = new PrivateFile(dir.resolve("aws-config"), Secret.of("[default]"));
    store.write(command(TARGET, token, config));

    PrivateFile rotated = new PrivateFile(token.path(), Secret.of("new"));
    PrivateFile changedConfig = new PrivateFile(config.path(), Secret.of("changed"));
    int rewritten = store.rewrite(command(TARGET, rotated, changedConfig), List.of(rotated));

    assertThat(rewritten).isEqualTo(1);
    assertThat(Files.readString(token.path())).isEqualTo("new");
    assertThat(Files.readString(config.path())).isEqualTo("[default]");
    assertThat(mode(token.path())).isEqualTo("rw-------");
    assertThat(names(dir)).containsExactly("aws-config", "web-identity-token");
  }

  @Test
  void rewrite_directoryGone_failsPreconditionAndCreatesNothing() {
    Path dir = store.directoryFor(TARGET);
    PrivateFile token = new PrivateFile(dir.resolve("web-identity-token"), Secret.of("new"));

    assertThatExceptionOfType(DriverException.class)
        .isThrownBy(() -> store.rewrite(command(TARGET, token), List.of(token)))
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "the private directory "
                          + dir
                          + " of the mount is gone; unpublish and publish the volume again");
            });
    assertThat(dir).doesNotExist();
  }

  @Test
  void rewrite_noFiles_isZeroEvenWithoutADirectory() {
    assertThat(store.rewrite(command(TARGET), List.of())).isZero();
  }

  @Test
  void writeFile_overLooseExistingFile_leavesItPrivate() throws IOException {
    Path dir = Files.createDirectories(store.directoryFor(TARGET));
    Path file = Files.writeString(dir.resolve("rclone.conf"), "old");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    store.writeFile(new PrivateFile(file, Secret.of("[s3csi]\n")));

    assertThat(Files.readString(file)).isEqualTo("[s3csi]\n");
    assertThat(mode(file)).isEqualTo("rw-------");
  }

  @Test
  void write_rootIsAFile_isInternalErrorNamingTheDirectory() throws IOException {
    Files.writeString(root, "not a directory");
    FuseCommand command = command(TARGET);

    assertThatExceptionOfType(DriverException.class)
        .isThrownBy(() -> store.write(command))
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL);
              assertThat(e.getMessage())
                  .startsWith(
                      "cannot write private files under " + store.directoryFor(TARGET) + ": ");
            });
  }

  @Test
  void writeFile_parentIsAFile_isInternalErrorNamingTheFile() throws IOException {
    Files.createDirectories(root);
    Path blocker = Files.writeString(root.resolve("blocker"), "x");
    Path file = blocker.resolve("token");

    assertThatExceptionOfType(DriverException.class)
        .isThrownBy(() -> store.writeFile(new PrivateFile(file, Secret.of("secret-value"))))
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL);
              assertThat(e.getMessage()).startsWith("cannot write " + file + ": ");
              assertThat(e.getMessage()).doesNotContain("secret-value");
            });
  }

  @Test
  void remove_deletesTheDirectoryAndEverythingInIt() throws IOException {
    Path dir = store.directoryFor(TARGET);
    store.write(
        command(
            TARGET,
            new PrivateFile(dir.resolve("a"), Secret.of("1")),
            new PrivateFile(dir.resolve("cache/deep/b"), Secret.of("2"))));
    Files.createSymbolicLink(dir.resolve("link-out"), temp);
    store.write(command(OTHER_TARGET));

    store.remove(TARGET);

    assertThat(dir).doesNotExist();
    assertThat(temp).isDirectory();
    assertThat(store.directoryFor(OTHER_TARGET)).isDirectory();
  }

  @Test
  void remove_twiceOrNeverWritten_succeeds() {
    store.write(command(TARGET));

    store.remove(TARGET);
    store.remove(TARGET);
    store.remove(OTHER_TARGET);

    assertThat(store.directoryFor(TARGET)).doesNotExist();
    assertThat(store.keys()).isEmpty();
  }

  @Test
  void keys_listsEveryDirectorySorted() throws IOException {
    assertThat(store.keys()).isEmpty();

    store.write(command(TARGET));
    store.write(command(OTHER_TARGET));
    Files.writeString(root.resolve("stray-file"), "x");

    assertThat(store.keys())
        .containsExactlyElementsOf(
            Stream.of(PrivateDirectories.keyOf(TARGET), PrivateDirectories.keyOf(OTHER_TARGET))
                .sorted()
                .toList());
  }

  @Test
  void removeKey_deletesThatKeysDirectoryOnly() {
    store.write(command(TARGET));
    store.write(command(OTHER_TARGET));

    store.removeKey(PrivateDirectories.keyOf(TARGET));
    store.removeKey(PrivateDirectories.keyOf(TARGET));

    assertThat(store.keys()).containsExactly(PrivateDirectories.keyOf(OTHER_TARGET));
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "../../etc", "0123456789ABCDEF", "0123", ""})
  void removeKey_notAKey_isRejectedAndRemovesNothing(String key) {
    store.write(command(TARGET));

    assertThatIllegalArgumentException()
        .isThrownBy(() -> store.removeKey(key))
        .withMessage("not a private directory key: '" + key + "'");
    assertThat(store.keys()).hasSize(1);
  }

  @Test
  void modified_existingAndMissingKey() {
    String key = PrivateDirectories.keyOf(TARGET);
    assertThat(store.modified(key)).isEmpty();

    store.write(command(TARGET));

    assertThat(store.modified(key)).isPresent();
  }
}
