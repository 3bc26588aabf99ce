/**
 * Secrets, the credential model and the {@link io.s3csi.core.credentials.CredentialProvider} port.
 */
package io.s3csi.core.credentials;
