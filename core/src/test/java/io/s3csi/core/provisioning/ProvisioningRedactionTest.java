package io.s3csi.core.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** No provisioning request or connection prints a secret value. */
class ProvisioningRedactionTest {
  private static final String SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
  private static final String TOKEN = "session-token-value";
  private static final Map<String, Secret> SECRETS =
      Map.of("accessKeyId", Secret.of("AKIAEXAMPLE"), "secretAccessKey", Secret.of(SECRET));

  @Test
  void toString_ofEveryRequestAndConnection_showsNoSecretValue() {
    List<Object> values =
        List.of(
            new CreateVolumeRequest(
                "pvc-1", CapacityRange.UNSET, List.of(), Map.of(), SECRETS, false),
            new DeleteVolumeRequest("s3csi:1:retain:0123456789ab:b-1", SECRETS),
            new ValidateVolumeRequest("b-1", Map.of(), List.of(), Map.of(), SECRETS),
            new Connection(
                Optional.empty(),
                Optional.empty(),
                false,
                new StaticCredentials(
                    "AKIAEXAMPLE", Secret.of(SECRET), Optional.of(Secret.of(TOKEN)))));

    for (Object value : values) {
      assertThat(value.toString())
          .doesNotContain(SECRET)
          .doesNotContain(TOKEN)
          .doesNotContain("AKIAEXAMPLE");
    }
    assertThat(values.get(0).toString()).contains("secrets=[accessKeyId, secretAccessKey]");
  }
}
