/**
 * A real systemd for tests: {@link io.s3csi.testkit.systemd.SystemdNamespace} boots systemd as pid
 * 1 of a private pid, mount and cgroup namespace, on machines whose pid 1 is not systemd, and runs
 * commands and long-lived processes inside it. JUnit 5 users get one per test class from {@link
 * io.s3csi.testkit.junit.SystemdExtension}.
 */
package io.s3csi.testkit.systemd;
