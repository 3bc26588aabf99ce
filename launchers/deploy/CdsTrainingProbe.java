// The image build's CSI client: sends one Probe to the node plugin that trains the class-data
// sharing archive, so that the archive holds the classes of the first RPC too (the protobuf
// messages, gRPC's server call path), as the footprint benchmark's training does
// (docs/performance.md). Exits 0 once the driver answers, ready or not: the image build cannot
// reach systemd, so a node plugin there answers not ready, and that is the same call path.
//
//   javac -cp 'launchers/target/lib/*' -d /opt/cds-training launchers/deploy/CdsTrainingProbe.java
//   java -cp '/opt/s3csi/lib/*:/opt/cds-training' CdsTrainingProbe /tmp/train/csi.sock

import io.s3csi.grpc.CsiClient;
import io.s3csi.grpc.Endpoint;
import io.s3csi.grpc.csi.v1.ProbeRequest;
import java.nio.file.Path;
import java.time.Duration;

public final class CdsTrainingProbe {
  private CdsTrainingProbe() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: CdsTrainingProbe SOCKET");
    }
    boolean ready;
    try (CsiClient csi = CsiClient.connect(new Endpoint(Path.of(args[0])), Duration.ofSeconds(30))) {
      ready = csi.identity().probe(ProbeRequest.getDefaultInstance()).getReady().getValue();
    }
    System.out.println("Probe answered: ready=" + ready);
  }
}
