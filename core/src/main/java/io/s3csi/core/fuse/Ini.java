package io.s3csi.core.fuse;

import io.s3csi.core.credentials.Secret;
import io.s3csi.core.credentials.StaticCredentials;

/** Renders the credential files the clients read. Values are checked for newlines upstream. */
final class Ini {
  private Ini() {}

  /** An AWS shared credentials file with a {@code default} profile. */
  static Secret awsCredentials(StaticCredentials keys) {
    StringBuilder out = new StringBuilder("[default]\n");
    out.append("aws_access_key_id = ").append(keys.accessKeyId()).append('\n');
    out.append("aws_secret_access_key = ").append(keys.secretAccessKey().reveal()).append('\n');
    keys.sessionToken()
        .ifPresent(t -> out.append("aws_session_token = ").append(t.reveal()).append('\n'));
    return Secret.of(out.toString());
  }
}
