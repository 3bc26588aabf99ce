package io.s3csi.testkit.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CgroupSandboxTest {

  @Test
  void currentCgroups_hybridHierarchy_findsEveryMountedHierarchy() {
    String cgroup =
        String.join(
            "\n",
            "13:hugetlb:/",
            "9:name=systemd:/",
            "4:memory:/process_api/ab16",
            "2:cpu,cpuacct:/",
            "0::/",
            "");
    String mountinfo =
        String.join(
            "\n",
            "23 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
            "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs ro,size=4096k,mode=755",
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
            "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd",
            "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup"
                + " rw,cpu,cpuacct",
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate",
            "");

    assertThat(CgroupSandbox.currentCgroups(cgroup, mountinfo))
        .containsExactly(
            Path.of("/sys/fs/cgroup/systemd"),
            Path.of("/sys/fs/cgroup/memory/process_api/ab16"),
            Path.of("/sys/fs/cgroup/cpu,cpuacct"),
            Path.of("/sys/fs/cgroup/unified"));
  }

  @Test
  void currentCgroups_unifiedHierarchyOnly_findsTheProcessCgroup() {
    String cgroup = "0::/user.slice/user-0.slice/session-4.scope\n";
    String mountinfo =
        "35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2"
            + " rw,nsdelegate,memory_recursiveprot\n";

    assertThat(CgroupSandbox.currentCgroups(cgroup, mountinfo))
        .containsExactly(Path.of("/sys/fs/cgroup/user.slice/user-0.slice/session-4.scope"));
  }

  @Test
  void currentCgroups_mountRootedBelowTheRoot_resolvesRelativeToTheMountRoot() {
    String cgroup = "0::/ci/job-7/runner\n";
    String mountinfo =
        "35 24 0:30 /ci/job-7 /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw\n"
            + "36 24 0:30 /other /sys/fs/cgroup/elsewhere rw,relatime - cgroup2 cgroup2 rw\n";

    assertThat(CgroupSandbox.currentCgroups(cgroup, mountinfo))
        .containsExactly(Path.of("/sys/fs/cgroup/runner"));
  }

  @Test
  void currentCgroups_hierarchyMountedOutsideSysFsCgroup_isLeftOut() {
    String cgroup = "5:devices:/\n";
    String mountinfo = "50 23 0:40 / /mnt/devices\\040cg rw - cgroup cgroup rw,devices\n";

    assertThat(CgroupSandbox.currentCgroups(cgroup, mountinfo)).isEmpty();
  }

  @Test
  void currentCgroups_escapedMountpoint_isUnescaped() {
    String cgroup = "5:devices:/\n";
    String mountinfo = "50 23 0:40 / /sys/fs/cgroup/dev\\040ices rw - cgroup cgroup rw,devices\n";

    assertThat(CgroupSandbox.currentCgroups(cgroup, mountinfo))
        .containsExactly(Path.of("/sys/fs/cgroup/dev ices"));
  }
}
