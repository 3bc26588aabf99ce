package io.s3csi.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.fuse.FuseCommand;
import io.s3csi.core.fuse.MountSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransientServiceTest {
  private static final String SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
  private static final String TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN/with+and=";
  private static final Path DIR = Path.of("/var/lib/s3csi/mounts/0123456789abcdef");
  private static final Path TARGET =
      Path.of("/var/lib/kubelet/pods/p/volumes/kubernetes.io~csi/v/mount");

  @ParameterizedTest
  @EnumSource(names = {"S3FS", "RCLONE", "MOUNT_S3"})
  void properties_ofARealCommandWithKeys_carryNoSecret(FuseClient client) {
    // s3fs takes long-lived keys only
    Optional<Secret> token =
        client == FuseClient.S3FS ? Optional.empty() : Optional.of(Secret.of(TOKEN));
    Credentials credentials = new StaticCredentials("AKIDEXAMPLE", Secret.of(SECRET), token);
    TransientService service = service(FuseCommand.forSpec(spec(client, credentials), DIR));

    service.requireNoSecret(SecretRedactor.forCredentials(credentials));

    assertThat(texts(service.properties()))
        .isNotEmpty()
        .noneMatch(text -> text.contains(SECRET) || text.contains(TOKEN))
        .noneMatch(text -> text.contains(SECRET.substring(0, 20)));
  }

  @Test
  void properties_allSettings_areWhatSystemdIsGiven() {
    TransientService service =
        new TransientService(
            "s3csi-0123456789abcdef.service",
            "s3csi: s3fs mount of bkt/ at /t (volume v)",
            List.of("/usr/bin/s3fs", "bkt", "/t", "-f"),
            Map.of("PATH", "/usr/bin", "HOME", DIR.toString()),
            DIR,
            DIR.resolve("client.log"),
            Path.of("/bin/sh"),
            Duration.ofSeconds(7));

    Map<String, Object> properties = new LinkedHashMap<>();
    for (SystemdManager.Property property : service.properties()) {
      properties.put(property.name, value(property.value));
    }

    assertThat(properties)
        .containsExactly(
            Map.entry("Description", "s3csi: s3fs mount of bkt/ at /t (volume v)"),
            Map.entry("Type", "exec"),
            Map.entry(
                "ExecStart",
                List.of(
                    List.of("/usr/bin/s3fs", List.of("/usr/bin/s3fs", "bkt", "/t", "-f"), false))),
            Map.entry(
                "ExecStopPost",
                List.of(
                    List.of(
                        "/bin/sh",
                        List.of(
                            "/bin/sh",
                            "-c",
                            "echo \"s3csi: $$0 stopped: $${SERVICE_RESULT:-?}, $${EXIT_CODE:-?}"
                                + " $${EXIT_STATUS:-?}\"",
                            "s3fs"),
                        false))),
            Map.entry("Environment", List.of("HOME=" + DIR, "PATH=/usr/bin")),
            Map.entry("WorkingDirectory", DIR.toString()),
            Map.entry("StandardInput", "null"),
            Map.entry("StandardOutputFileToAppend", DIR.resolve("client.log").toString()),
            Map.entry("StandardErrorFileToAppend", DIR.resolve("client.log").toString()),
            Map.entry("CollectMode", "inactive-or-failed"),
            Map.entry("KillMode", "mixed"),
            Map.entry("Restart", "no"),
            Map.entry("TimeoutStopUSec", new UInt64(7_000_000L)));
    assertThat(service.properties().stream().filter(p -> p.name.startsWith("Exec")))
        .allSatisfy(p -> assertThat(p.value.getSig()).isEqualTo("a(sasb)"));
  }

  @Test
  void properties_dollarInAnArgument_isEscapedForSystemd() {
    TransientService service =
        new TransientService(
            "u.service",
            "d",
            List.of("/usr/bin/s3fs", "bkt", "/mnt/a$HOME${x}"),
            Map.of(),
            DIR,
            DIR.resolve("client.log"),
            Path.of("/bin/sh"),
            Duration.ofSeconds(1));

    Object execStart = value(service.properties().get(2).value);

    assertThat(execStart)
        .isEqualTo(
            List.of(
                List.of(
                    "/usr/bin/s3fs", List.of("/usr/bin/s3fs", "bkt", "/mnt/a$$HOME$${x}"), false)));
  }

  @Test
  void requireNoSecret_secretInTheEnvironment_refusesNamingThePropertyNotTheValue() {
    TransientService service =
        new TransientService(
            "s3csi-0123456789abcdef.service",
            "d",
            List.of("/usr/bin/s3fs", "bkt", "/t"),
            Map.of("AWS_SECRET_ACCESS_KEY", SECRET),
            DIR,
            DIR.resolve("client.log"),
            Path.of("/bin/sh"),
            Duration.ofSeconds(1));

    assertThatThrownBy(() -> service.requireNoSecret(SecretRedactor.of(List.of(Secret.of(SECRET)))))
        .isInstanceOf(DriverException.class)
        .hasMessage(
            "refusing to start unit s3csi-0123456789abcdef.service: its Environment would show a"
                + " secret to every user of the host; the s3fs command builder must put secrets in"
                + " private files")
        .extracting(e -> ((DriverException) e).kind())
        .isEqualTo(ErrorKind.INTERNAL);
  }

  @Test
  void requireNoSecret_secretInAnArgument_refuses() {
    TransientService service =
        new TransientService(
            "u.service",
            "d",
            List.of("/usr/bin/rclone", "mount", "--s3-secret-access-key=" + SECRET),
            Map.of(),
            DIR,
            DIR.resolve("client.log"),
            Path.of("/bin/sh"),
            Duration.ofSeconds(1));

    assertThatThrownBy(() -> service.requireNoSecret(SecretRedactor.of(List.of(Secret.of(SECRET)))))
        .hasMessageStartingWith("refusing to start unit u.service: its ExecStart would show");
  }

  @Test
  void description_controlCharactersInTheVolumeId_areReplaced() {
    MountSpec spec =
        Specs.spec(
            FuseClient.S3FS,
            "vol\n1",
            TARGET,
            URI.create("http://127.0.0.1:9"),
            "bkt",
            Optional.of("a/b/"),
            true,
            Specs.keys("AKID", SECRET));

    assertThat(TransientService.description(spec))
        .isEqualTo("s3csi: s3fs mount of bkt/a/b/ at " + TARGET + " (volume vol?1, read-only)");
  }

  @Test
  void constructor_relativeProgram_isRejected() {
    assertThatThrownBy(
            () ->
                new TransientService(
                    "u.service",
                    "d",
                    List.of("s3fs"),
                    Map.of(),
                    DIR,
                    DIR.resolve("l"),
                    Path.of("/bin/sh"),
                    Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("argv[0] must be an absolute program path: [s3fs]");
  }

  private static TransientService service(FuseCommand command) {
    List<String> argv = new ArrayList<>(command.argv());
    argv.set(0, "/usr/bin/" + command.program());
    return new TransientService(
        "s3csi-0123456789abcdef.service",
        "s3csi: mount",
        argv,
        command.environment(),
        DIR,
        DIR.resolve("client.log"),
        Path.of("/bin/sh"),
        Duration.ofSeconds(10));
  }

  private static MountSpec spec(FuseClient client, Credentials credentials) {
    return Specs.spec(
        client,
        "vol-1",
        TARGET,
        URI.create("http://127.0.0.1:9"),
        "bkt",
        Optional.of("team/"),
        false,
        credentials);
  }

  /** Every text in a list of properties, however deep in structures and lists. */
  static List<String> texts(List<SystemdManager.Property> properties) {
    List<String> texts = new ArrayList<>();
    for (SystemdManager.Property property : properties) {
      texts.add(property.name);
      collect(value(property.value), texts);
    }
    return texts;
  }

  private static void collect(Object value, List<String> texts) {
    if (value instanceof List<?> list) {
      list.forEach(item -> collect(item, texts));
    } else if (value != null) {
      texts.add(value.toString());
    }
  }

  /** A variant's value with structures turned into lists of their fields. */
  private static Object value(Variant<?> variant) {
    return plain(variant.getValue());
  }

  private static Object plain(Object value) {
    if (value instanceof SystemdManager.ExecCommand command) {
      return List.of(command.path, command.argv, command.ignoreFailure);
    }
    if (value instanceof Struct struct) {
      return List.of(struct.getParameters());
    }
    if (value instanceof List<?> list) {
      return list.stream().map(TransientServiceTest::plain).toList();
    }
    return value;
  }
}
