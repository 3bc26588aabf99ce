package io.s3csi.core.credentials;

/**
 * Chooses the identity a FUSE client uses for one publish. Implementations: the driver's own
 * environment ({@link EnvironmentCredentialProvider}), the request's secrets ({@link
 * SecretCredentialProvider}), the workload pod's service account (the Kubernetes adapter), and
 * {@link RoutingCredentialProvider}, which picks one by the volume's authentication source.
 *
 * <p>Implementations have no side effects on the node: they read, they never write files.
 */
@FunctionalInterface
public interface CredentialProvider {

  /**
   * Returns the credentials for a publish.
   *
   * @param request the volume and the request's secrets
   * @return the credentials; never {@code null}
   * @throws io.s3csi.core.error.InvalidArgumentException when the request's secrets are missing or
   *     malformed (naming the key, never the value)
   * @throws io.s3csi.core.error.DriverException when a source cannot be reached
   */
  Credentials credentialsFor(CredentialRequest request);
}
