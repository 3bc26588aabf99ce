package io.s3csi.systemd;

import io.s3csi.core.fuse.FuseClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Whether a FUSE client can run here: root, {@code /dev/fuse}, and the client's program, which is
 * installed with apt-get when it is missing. The answer is computed once per client and JVM.
 */
final class FuseClients {
  private static final Map<FuseClient, Optional<String>> UNAVAILABLE = new ConcurrentHashMap<>();

  private FuseClients() {}

  /**
   * Returns why a client cannot run here, or empty when it can.
   *
   * @param client the client
   * @return the reason, printed by the tests that skip
   */
  static Optional<String> unavailable(FuseClient client) {
    return UNAVAILABLE.computeIfAbsent(client, FuseClients::check);
  }

  private static Optional<String> check(FuseClient client) {
    if (!Files.exists(Path.of("/dev/fuse"))) {
      return Optional.of("/dev/fuse is missing: this machine or container has no FUSE");
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.of("the FUSE ITs mount file systems and must run as root");
    }
    if (installed(client.id())) {
      return Optional.empty();
    }
    List<String> packages =
        switch (client) {
          case S3FS -> List.of("s3fs", "fuse3");
          case RCLONE -> List.of("rclone", "fuse3");
          case MOUNT_S3 -> List.of();
        };
    if (packages.isEmpty()) {
      return Optional.of(client.id() + " is not installed and has no Debian package");
    }
    String output = aptInstall(packages);
    if (installed(client.id())) {
      System.out.println("[FuseClients] installed " + packages + " with apt-get");
      return Optional.empty();
    }
    return Optional.of(
        client.id() + " is not installed and apt-get could not install it: " + output);
  }

  private static boolean installed(String program) {
    return ProgramResolver.DEFAULT_SEARCH_PATH.stream()
        .map(dir -> dir.resolve(program))
        .anyMatch(Files::isExecutable);
  }

  private static String aptInstall(List<String> packages) {
    if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      return "no /usr/bin/apt-get";
    }
    String install = run(List.of("apt-get", "install", "-y", "--no-install-recommends"), packages);
    if (install.startsWith("exit 0")) {
      return install;
    }
    run(List.of("apt-get", "update"), List.of());
    return run(List.of("apt-get", "install", "-y", "--no-install-recommends"), packages);
  }

  private static String run(List<String> command, List<String> arguments) {
    List<String> argv = new java.util.ArrayList<>(command);
    argv.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        return "timed out: " + String.join(" ", argv);
      }
      String text = new String(out, StandardCharsets.UTF_8).strip();
      String tail = text.length() > 500 ? text.substring(text.length() - 500) : text;
      return "exit " + process.exitValue() + ": " + tail;
    } catch (IOException e) {
      return "cannot run " + String.join(" ", argv) + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
