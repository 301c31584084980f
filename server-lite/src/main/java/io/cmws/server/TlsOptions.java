package io.cmws.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * {@code wss://}: the hub's certificate and key in a keystore (PKCS#12, or JKS), and its password.
 */
public record TlsOptions(Path keystore, String password) {

  public TlsOptions {
    if (keystore == null) {
      throw new IllegalArgumentException("TLS needs a keystore");
    }
    password = password == null ? "" : password;
  }

  /** Loads the keystore; a wrong password or a broken file is an IOException saying which. */
  SSLContext sslContext() throws IOException {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType()); // PKCS#12, reads JKS too
      store.load(in, password.toCharArray());
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (IOException e) {
      throw new IOException("cannot read TLS keystore " + keystore + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS keystore " + keystore + " is unusable: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "TlsOptions[" + keystore + "]"; // never the password
  }
}
