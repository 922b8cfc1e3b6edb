/**
 * Multi-line text as it is stored: every line end an LF. A browser sends a text box's line ends back
 * as CRLF (the item form, and the CSV import's file as it travels from step to step), an API client
 * on Windows may send CRLF, an old Mac file lone CRs: the same text must be the same text whichever
 * sent it, or an unchanged body reads as a change (a new revision, approvals reset).
 */
export function withLfLineEnds(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}
