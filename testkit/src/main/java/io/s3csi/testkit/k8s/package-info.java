/**
 * A stateful fake of the Kubernetes API over HTTP on loopback, {@link
 * io.s3csi.testkit.k8s.FakeKubernetesApi}, for tests that use the official Kubernetes Java client
 * without a cluster.
 */
package io.s3csi.testkit.k8s;
