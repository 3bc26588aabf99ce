/**
 * The Kubernetes adapter, built on the official Java client: the workload pod's identity for {@code
 * authenticationSource: pod} ({@link io.s3csi.k8s.PodIdentityCredentialProvider}), the node's
 * topology ({@link io.s3csi.k8s.KubernetesNodeInfo}), the startup taint ({@link
 * io.s3csi.k8s.StartupTaintRemover}), events on workload pods ({@link
 * io.s3csi.k8s.KubernetesEvents}), and the API calls they make ({@link
 * io.s3csi.k8s.RequiredPermissions}), which the deployment's RBAC grants exactly.
 */
package io.s3csi.k8s;
