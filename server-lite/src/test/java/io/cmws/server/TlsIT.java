package io.cmws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cmws.testing.RawClient;
import io.cmws.testing.TestHub;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code wss://} with a self-signed certificate made for the test by keytool. */
@Timeout(60)
class TlsIT {
  private static final String PASSWORD = "test-pass";

  private static Path selfSigned(Path dir) throws Exception {
    Path keystore = dir.resolve("hub.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process process =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "hub",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(
        process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, "keytool: " + output);
    return keystore;
  }

  private static SSLContext trusting(Path keystore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  @Test
  void clientsTalkOverWssAndBigFramesCrossTlsRecords(@TempDir Path dir) throws Exception {
    Path keystore = selfSigned(dir);
    SSLContext client = trusting(keystore);
    try (TestHub hub = TestHub.start(c -> c.withTls(new TlsOptions(keystore, PASSWORD)))) {
      URI url = hub.url();
      assertEquals("wss", url.getScheme());
      try (RawClient subscriber = RawClient.connect(url, client);
          RawClient publisher = RawClient.connect(url, client)) {
        subscriber.expect("connection:pending");
        publisher.expect("connection:pending");
        subscriber.send("{\"type\":\"auth\"}").expect("auth:success");
        publisher.send("{\"type\":\"auth\"}").expect("auth:success");
        subscriber
            .send("{\"type\":\"subscribe\",\"channels\":[\"secure:*\"]}")
            .expect("subscribed");
        String big = "x".repeat(100_000); // several TLS records per frame
        for (int i = 0; i < 50; i++) {
          publisher.send(
              "{\"type\":\"publish\",\"channel\":\"secure:x\",\"data\":{\"i\":"
                  + i
                  + ",\"pad\":\""
                  + big
                  + "\"}}");
        }
        for (int i = 0; i < 50; i++) {
          assertEquals(
              i,
              subscriber.expect("event").get("data").get("i").asInt(),
              "every event, whole and in order");
        }
        for (int i = 0; i < 50; i++) {
          publisher.expect("published");
        }
      }
      RawClient.Close plain =
          RawClient.refused(URI.create(url.toString().replace("wss://", "ws://")));
      assertTrue(plain.code() != 1000, "plain ws:// to a TLS port gets nowhere: " + plain);
    }
  }

  @Test
  void aWrongPasswordIsAClearStartupError(@TempDir Path dir) throws Exception {
    Path keystore = selfSigned(dir);
    IOException error =
        assertThrows(
            IOException.class,
            () -> TestHub.start(c -> c.withTls(new TlsOptions(keystore, "wrong"))).close());
    assertTrue(error.getMessage().contains("hub.p12"), error.getMessage());
    assertTrue(
        !error.getMessage().contains("wrong"), "the password is not shown: " + error.getMessage());
  }
}
