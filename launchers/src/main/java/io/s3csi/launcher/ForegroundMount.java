package io.s3csi.launcher;

import io.s3csi.core.mount.MountState;
import io.s3csi.core.mount.Mounter;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code s3csi mount --foreground} after the mount: serves until SIGINT or SIGTERM, or until the
 * client stops serving, then unmounts.
 */
final class ForegroundMount {
  private static final long CHECK_MILLIS = 1000;

  private ForegroundMount() {}

  /**
   * Waits for a signal while the mount serves, then unmounts.
   *
   * @return {@link S3csi#EXIT_OK} after a signal, {@link S3csi#EXIT_FAILURE} if the mount broke
   */
  static int serve(Mounter mounter, Path target, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    try (ShutdownSignals signals = ShutdownSignals.install()) {
      while (!signals.await(CHECK_MILLIS)) {
        MountState state = mounter.state(target);
        if (!(state instanceof MountState.Mounted)) {
          mounter.unmount(target);
          err.println(
              "s3csi mount: "
                  + target
                  + " stopped serving ("
                  + (state instanceof MountState.Corrupted c ? c.reason() : "it was unmounted")
                  + "); cleaned up");
          return S3csi.EXIT_FAILURE;
        }
      }
      mounter.unmount(target);
      out.println("unmounted " + target + " (SIG" + signals.signalName() + ")");
      return S3csi.EXIT_OK;
    }
  }
}
