import { attachmentDisposition, extensionOf, sanitiseFileName } from '../../../workspace/files/file-name';

describe('file names', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\report.pdf', 'report.pdf'],
    ['.htaccess', 'htaccess'],
    ['a\u0000b\r\nc".txt', 'abc.txt'],
    ['  spaced   out .txt ', 'spaced out .txt'],
    ['', 'file'],
    ['../', 'file'],
    ['Cafe\u0301.txt', 'Café.txt'],
    ['report\u202Efdp.txt', 'reportfdp.txt'],
    ['\u2067evil\u2069\u200F\u200E\u061C.exe.txt', 'evil.exe.txt'],
  ])('sanitises %j to %j', (input, expected) => {
    expect(sanitiseFileName(input)).toBe(expected);
  });

  it('shortens a long name to 200 characters, keeping its extension', () => {
    const name = sanitiseFileName(`${'x'.repeat(300)}.pdf`);
    expect([...name]).toHaveLength(200);
    expect(name.endsWith('.pdf')).toBe(true);
  });

  it('reads extensions in lower case', () => {
    expect(extensionOf('Report.PDF')).toBe('pdf');
    expect(extensionOf('README')).toBe('');
  });

  it('writes Content-Disposition with an ASCII fallback and an RFC 5987 UTF-8 name', () => {
    expect(attachmentDisposition('report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(attachmentDisposition("Zoë's plan (v2)*.csv")).toBe(
      `attachment; filename="Zo_'s plan (v2)*.csv"; filename*=UTF-8''Zo%C3%AB%27s%20plan%20%28v2%29%2A.csv`,
    );
    expect(attachmentDisposition('日本語.txt')).toBe(`attachment; filename="___.txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E.txt`);
  });
});
