package io.s3csi.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.s3csi.core.error.DriverException;
import io.s3csi.core.error.ErrorKind;
import io.s3csi.core.error.InvalidArgumentException;
import io.s3csi.core.volume.AuthenticationSource;
import io.s3csi.core.volume.VolumeContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RoutingCredentialProviderTest {

  private static final Credentials DRIVER = new InstanceCredentials();
  private static final Credentials SECRET =
      new StaticCredentials("AKIASECRET", Secret.of("s"), Optional.empty());
  private static final Credentials POD =
      new WebIdentityCredentials(
          "arn:aws:iam::123456789012:role/pod", Secret.of("t"), Optional.empty());

  private final List<CredentialRequest> seen = new ArrayList<>();

  private CredentialProvider recording(Credentials answer) {
    return request -> {
      seen.add(request);
      return answer;
    };
  }

  private static CredentialRequest request(AuthenticationSource source) {
    return new CredentialRequest(
        VolumeContext.parse("pv", Map.of("bucketName", "b-1", "authenticationSource", source.id())),
        Map.of("accessKeyId", Secret.of("AKIA")));
  }

  @ParameterizedTest
  @EnumSource(AuthenticationSource.class)
  void credentialsFor_eachSource_asksItsProvider(AuthenticationSource source) {
    RoutingCredentialProvider router =
        new RoutingCredentialProvider(
            Map.of(
                AuthenticationSource.DRIVER, recording(DRIVER),
                AuthenticationSource.SECRET, recording(SECRET),
                AuthenticationSource.POD, recording(POD)));
    CredentialRequest request = request(source);

    Credentials credentials = router.credentialsFor(request);

    Credentials expected =
        switch (source) {
          case DRIVER -> DRIVER;
          case SECRET -> SECRET;
          case POD -> POD;
        };
    assertThat(credentials).isSameAs(expected);
    assertThat(seen).containsExactly(request);
  }

  @Test
  void credentialsFor_disabledSource_isRejectedListingTheEnabledOnes() {
    RoutingCredentialProvider router =
        new RoutingCredentialProvider(
            Map.of(
                AuthenticationSource.SECRET, recording(SECRET),
                AuthenticationSource.DRIVER, recording(DRIVER)));

    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(() -> router.credentialsFor(request(AuthenticationSource.POD)))
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("authenticationSource");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "authenticationSource: pod is not enabled on this driver; enabled: [driver,"
                          + " secret]");
            });
    assertThat(seen).isEmpty();
  }

  @Test
  void credentialsFor_providerFailure_propagates() {
    RoutingCredentialProvider router =
        new RoutingCredentialProvider(
            Map.of(
                AuthenticationSource.DRIVER,
                request -> {
                  throw DriverException.unavailable("sts down", null);
                }));

    assertThatExceptionOfType(DriverException.class)
        .isThrownBy(() -> router.credentialsFor(request(AuthenticationSource.DRIVER)))
        .satisfies(e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
  }

  @Test
  void constructor_copiesTheProviders() {
    Map<AuthenticationSource, CredentialProvider> providers = new HashMap<>();
    RoutingCredentialProvider router = new RoutingCredentialProvider(providers);
    providers.put(AuthenticationSource.DRIVER, recording(DRIVER));

    assertThatExceptionOfType(InvalidArgumentException.class)
        .isThrownBy(() -> router.credentialsFor(request(AuthenticationSource.DRIVER)))
        .withMessage("authenticationSource: driver is not enabled on this driver; enabled: []");
  }
}
