package io.cmws.cli.option.serve;

import io.cmws.server.TlsOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code cmws serve}: the certificate for {@code wss://}. */
public final class TlsKeystoreOptions {
  @Option(
      names = "--tls-keystore",
      paramLabel = "FILE",
      defaultValue = "${env:CMWS_TLS_KEYSTORE}",
      description =
          "Serve wss:// with the certificate and key in this keystore (PKCS#12 or JKS; env"
              + " CMWS_TLS_KEYSTORE).")
  Path keystore;

  @Option(
      names = "--tls-password",
      paramLabel = "PASSWORD",
      defaultValue = "${env:CMWS_TLS_PASSWORD}",
      description =
          "The keystore's password (env CMWS_TLS_PASSWORD, which keeps it out of the process"
              + " list).")
  String password;

  /** The TLS settings; null for plain {@code ws://}. */
  public TlsOptions tls() {
    return keystore == null ? null : new TlsOptions(keystore, password);
  }
}
