package io.s3csi.core.credentials;

/**
 * No credentials are handed to the FUSE client: it uses the node's own identity (an EC2 instance
 * profile through the instance metadata service). This is what the driver falls back to when its
 * environment names no credentials.
 */
public record InstanceCredentials() implements Credentials {}
