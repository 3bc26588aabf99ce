package io.s3csi.core.credentials;

/**
 * The identity a FUSE client uses to reach S3. The {@link CredentialProvider} chooses one per
 * publish; the FUSE command builders turn it into files the client reads.
 */
public sealed interface Credentials
    permits StaticCredentials, WebIdentityCredentials, InstanceCredentials {}
