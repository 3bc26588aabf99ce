package io.s3csi.systemd;

import io.s3csi.core.credentials.Credentials;
import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;
import io.s3csi.core.credentials.WebIdentityCredentials;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Replaces every occurrence of a mount's secret values in text a FUSE client printed, before the
 * text is kept, logged or quoted in an error. Each secret is also matched URL-encoded (with upper-
 * and lower-case hex digits), the form it takes in a logged request.
 */
final class SecretRedactor {
  /** What a secret is replaced with. */
  static final String MASK = "***";

  private final List<String> needles;

  private SecretRedactor(List<String> needles) {
    this.needles = needles;
  }

  /**
   * Returns a redactor for the secret parts of credentials: a secret access key and session token,
   * or a web-identity token.
   *
   * @param credentials the mount's credentials
   * @return the redactor
   */
  static SecretRedactor forCredentials(Credentials credentials) {
    List<Secret> secrets = new ArrayList<>();
    if (credentials instanceof StaticCredentials keys) {
      secrets.add(keys.secretAccessKey());
      keys.sessionToken().ifPresent(secrets::add);
    } else if (credentials instanceof WebIdentityCredentials web) {
      secrets.add(web.token());
    }
    return of(secrets);
  }

  /**
   * Returns a redactor for the given secrets.
   *
   * @param secrets the values to hide; blank ones are ignored
   * @return the redactor
   */
  static SecretRedactor of(List<Secret> secrets) {
    Set<String> needles = new LinkedHashSet<>();
    for (Secret secret : secrets) {
      String value = secret.reveal();
      if (value.isBlank()) {
        continue;
      }
      needles.add(value);
      String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
      needles.add(encoded);
      needles.add(lowerCaseEscapes(encoded));
      needles.add(encoded.replace("+", "%20"));
    }
    List<String> sorted = new ArrayList<>(needles);
    // longest first, so that a secret that contains another one is masked whole
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return new SecretRedactor(List.copyOf(sorted));
  }

  /**
   * Masks every secret in a text.
   *
   * @param text the text
   * @return the text with each secret replaced by {@value #MASK}
   */
  String redact(String text) {
    String out = text;
    for (String needle : needles) {
      out = out.replace(needle, MASK);
    }
    return out;
  }

  /**
   * Returns the length of the longest form of a secret, 0 without secrets. Text cut at an arbitrary
   * point may end with the first {@code longest() - 1} characters of a secret.
   */
  int longest() {
    return needles.isEmpty() ? 0 : needles.get(0).length();
  }

  private static String lowerCaseEscapes(String encoded) {
    StringBuilder out = new StringBuilder(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < encoded.length()) {
        out.append(c).append(encoded.substring(i + 1, i + 3).toLowerCase(Locale.ROOT));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
