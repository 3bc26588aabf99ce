package io.s3csi.k8s;

import java.util.Objects;

/**
 * One Kubernetes API call the driver makes: a verb on a core/v1 resource.
 *
 * @param verb the RBAC verb ({@code get}, {@code patch}, {@code create})
 * @param resource the plural resource ({@code nodes}, {@code serviceaccounts}, {@code events})
 * @param namespaced whether the resource lives in namespaces (then the driver needs the verb in
 *     every namespace its workloads run in, which a ClusterRole grants)
 */
public record Permission(String verb, String resource, boolean namespaced) {

  /** Checks for nulls. */
  public Permission {
    Objects.requireNonNull(verb, "verb");
    Objects.requireNonNull(resource, "resource");
  }

  /** Describes the permission as an error message names it: {@code get serviceaccounts}. */
  @Override
  public String toString() {
    return verb + " " + resource;
  }
}
