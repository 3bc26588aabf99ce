package io.s3csi.launcher.bench;

import io.s3csi.core.fuse.FuseClient;
import io.s3csi.core.fuse.MountOptions;
import io.s3csi.core.target.TargetPath;
import io.s3csi.core.volume.VolumeContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pure parsing that every NodePublish runs before it touches a mount: the volume context as
 * kubelet sends it (attributes plus pod info), the mount options of a PersistentVolume, and the
 * target path under the kubelet root.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ParsingBenchmark {
  private final Map<String, String> context =
      Map.of(
          "bucketName", "team-a-data",
          "prefix", "datasets/2025/",
          "authenticationSource", "secret",
          "region", "eu-west-1",
          "csi.storage.k8s.io/pod.name", "trainer-7f9c6d5b8-x2x9q",
          "csi.storage.k8s.io/pod.namespace", "ml",
          "csi.storage.k8s.io/pod.uid", "0c5b5d5e-8f0a-4b8e-9a51-3f1f2f3c4d5e",
          "csi.storage.k8s.io/serviceAccount.name", "trainer",
          "csi.storage.k8s.io/ephemeral", "false");
  private final List<String> s3fsOptions =
      List.of("-o allow_other,uid=1000,gid=2000,nonempty", "use_sse=kmsid");
  private final List<String> mountS3Options =
      List.of("allow-delete", "uid=1000", "gid=2000", "region=eu-west-1");
  private final Path kubeletRoot = Path.of("/var/lib/kubelet");
  private final String target =
      "/var/lib/kubelet/pods/0c5b5d5e-8f0a-4b8e-9a51-3f1f2f3c4d5e/volumes/kubernetes.io~csi/"
          + "pv-team-a-data/mount";

  @Benchmark
  public VolumeContext volumeContext() {
    return VolumeContext.parse("pv-team-a-data", context);
  }

  @Benchmark
  public MountOptions mountOptionsS3fs() {
    return MountOptions.parse(FuseClient.S3FS, s3fsOptions);
  }

  @Benchmark
  public MountOptions mountOptionsMountS3() {
    return MountOptions.parse(FuseClient.MOUNT_S3, mountS3Options);
  }

  @Benchmark
  public TargetPath targetPath() {
    return TargetPath.parse("target_path", target, kubeletRoot);
  }
}
