import { attachmentContentType, logoContentType } from '../../../workspace/files/allowed-types';
import { sniffContentType } from '../../../workspace/files/sniff-content-type';
import { FIXTURES } from './file-fixtures';

describe('file types by magic bytes', () => {
  it.each([
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['gif', 'image/gif'],
    ['webp', 'image/webp'],
    ['pdf', 'application/pdf'],
    ['docx', 'zip'],
    ['xls', 'ole'],
    ['csv', 'text'],
    ['html', 'text'],
    ['svg', 'text'],
  ] as const)('recognises %s as %s', (fixture, expected) => {
    expect(sniffContentType(FIXTURES[fixture])).toBe(expected);
  });

  it('recognises neither a program nor invalid UTF-8 nor an empty file', () => {
    expect(sniffContentType(FIXTURES.exe)).toBeUndefined();
    expect(sniffContentType(Buffer.from([0xc3, 0x28, 0x41]))).toBeUndefined();
    expect(sniffContentType(Buffer.alloc(0))).toBeUndefined();
  });

  it('types an attachment by its bytes, whatever its name says', () => {
    expect(attachmentContentType(FIXTURES.png, 'photo.jpg')).toBe('image/png');
    expect(attachmentContentType(FIXTURES.pdf, 'notes.txt')).toBe('application/pdf');
  });

  it('uses the extension only to tell apart formats with the same bytes', () => {
    expect(attachmentContentType(FIXTURES.csv, 'plan.csv')).toBe('text/csv; charset=utf-8');
    expect(attachmentContentType(FIXTURES.csv, 'plan.txt')).toBe('text/plain; charset=utf-8');
    expect(attachmentContentType(FIXTURES.docx, 'deck.pptx')).toBe('application/vnd.openxmlformats-officedocument.presentationml.presentation');
    expect(attachmentContentType(FIXTURES.xls, 'old.doc')).toBe('application/msword');
  });

  it('refuses markup, archives and programs as attachments', () => {
    expect(attachmentContentType(FIXTURES.html, 'page.html')).toBeUndefined();
    expect(attachmentContentType(FIXTURES.svg, 'logo.svg')).toBeUndefined();
    expect(attachmentContentType(FIXTURES.docx, 'archive.zip')).toBeUndefined();
    expect(attachmentContentType(FIXTURES.exe, 'report.pdf')).toBeUndefined();
    expect(attachmentContentType(FIXTURES.text, 'noextension')).toBeUndefined();
  });

  it('accepts only PNG, JPEG and WebP as logos', () => {
    expect(logoContentType(FIXTURES.png)).toBe('image/png');
    expect(logoContentType(FIXTURES.jpeg)).toBe('image/jpeg');
    expect(logoContentType(FIXTURES.webp)).toBe('image/webp');
    for (const bad of [FIXTURES.svg, FIXTURES.html, FIXTURES.gif, FIXTURES.pdf]) expect(logoContentType(bad)).toBeUndefined();
  });
});
