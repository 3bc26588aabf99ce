package io.s3csi.systemd;

import jnr.constants.platform.Errno;

/** Names errno values for messages: {@code ENOTCONN (Transport endpoint is not connected)}. */
final class Errnos {
  static final int EPERM = Errno.EPERM.intValue();
  static final int ENOENT = Errno.ENOENT.intValue();
  static final int EIO = Errno.EIO.intValue();
  static final int EACCES = Errno.EACCES.intValue();
  static final int EBUSY = Errno.EBUSY.intValue();
  static final int EINVAL = Errno.EINVAL.intValue();
  static final int ENOTCONN = Errno.ENOTCONN.intValue();
  static final int ECONNABORTED = Errno.ECONNABORTED.intValue();

  private Errnos() {}

  /**
   * Describes an errno by its symbolic name and the C library's text.
   *
   * @param errno a positive errno value
   * @return for example {@code EIO (Input/output error)}, or {@code errno 4242} when unknown
   */
  static String describe(int errno) {
    Errno known = Errno.valueOf(errno);
    if (known == null || !known.defined() || known.intValue() != errno) {
      return "errno " + errno;
    }
    return known.name() + " (" + known.description() + ")";
  }
}
