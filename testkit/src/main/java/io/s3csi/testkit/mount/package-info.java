/** Test doubles of the mount port: {@link io.s3csi.testkit.mount.FakeMounter}. */
package io.s3csi.testkit.mount;
