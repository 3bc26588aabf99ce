package io.s3csi.core.credentials;

import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.volume.AuthenticationSource;
import java.util.EnumMap;
import java.util.Map;

/** Picks a provider by the volume's {@code authenticationSource}. */
public final class RoutingCredentialProvider implements CredentialProvider {
  private final Map<AuthenticationSource, CredentialProvider> providers;

  /**
   * Creates the router.
   *
   * @param providers a provider for each source this driver serves; a volume asking for another
   *     source is rejected
   */
  public RoutingCredentialProvider(Map<AuthenticationSource, CredentialProvider> providers) {
    this.providers = new EnumMap<>(AuthenticationSource.class);
    this.providers.putAll(providers);
  }

  @Override
  public Credentials credentialsFor(CredentialRequest request) {
    AuthenticationSource source = request.volume().authenticationSource();
    CredentialProvider provider = providers.get(source);
    if (provider == null) {
      throw new InvalidArgumentException(
          "authenticationSource",
          source.id() + " is not enabled on this driver; enabled: " + providers.keySet());
    }
    return provider.credentialsFor(request);
  }
}
