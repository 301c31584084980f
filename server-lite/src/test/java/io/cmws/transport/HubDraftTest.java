package io.cmws.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HubDraftTest {

  @Test
  void theAcceptKeyIsTheOneRfc6455Shows() {
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", HubDraft.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", HubDraft.acceptKey(" dGhlIHNhbXBsZSBub25jZQ== "));
  }

  @Test
  void theDateIsAnHttpDateInGmtWithATwoDigitDay() {
    assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", HubDraft.httpDate(999));
    assertEquals("Mon, 30 Nov 2026 01:20:05 GMT", HubDraft.httpDate(1796001605_000L));
    assertEquals("Mon, 30 Nov 2026 01:20:06 GMT", HubDraft.httpDate(1796001606_001L));
  }
}
