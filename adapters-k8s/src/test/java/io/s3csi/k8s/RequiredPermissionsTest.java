package io.s3csi.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequiredPermissionsTest {
  @Test
  void node_listsEveryCallTheAdaptersMake() {
    assertThat(RequiredPermissions.NODE)
        .extracting(Permission::toString)
        .containsExactly("get serviceaccounts", "get nodes", "patch nodes", "create events");
  }

  @Test
  void controller_needsNoApiCalls() {
    assertThat(RequiredPermissions.CONTROLLER).isEmpty();
  }
}
