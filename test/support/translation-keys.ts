import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Views a workspace member or any signed-in person can see; the operators' console (admin, setup) is in English only. */
export const TRANSLATED_VIEW_SKIPS = [/^views\/api\//, /^views\/admin\//, /^views\/setup\//, /^views\/partials\/admin-nav\.ejs$/];

/** The product's source folders that hold text people read. */
const SOURCE_DIRS = ['core', 'tenant-runtime', 'control-plane', 'workspace', 'app'];

function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(rel, ext));
    else if (entry.name.endsWith(ext)) out.push(rel);
  }
  return out;
}

/** Every page template and partial, the console's too. */
export function allViews(): string[] {
  return filesUnder('views', '.ejs');
}

export function translatedViews(): string[] {
  return allViews().filter((f) => !TRANSLATED_VIEW_SKIPS.some((skip) => skip.test(f)));
}

export function sourceFiles(): string[] {
  return SOURCE_DIRS.flatMap((dir) => filesUnder(dir, '.ts'));
}

export function read(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8');
}

/** A quoted JavaScript string literal (single, double or back quotes without ${}), unescaped. */
const LITERAL = String.raw`'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|\x60((?:[^\x60\\$]|\\.)*)\x60`;

function unescape(raw: string): string {
  return raw.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

/** Every literal passed first to t(...) (views and sources) or msg(...) (sources): the catalogue's keys. */
export function keysUsed(): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  const add = (key: string, where: string) => keys.set(key, [...(keys.get(key) ?? []), where]);
  const call = new RegExp(String.raw`(?<![\w.$])(?:t|msg)\(\s*(?:${LITERAL})`, 'g');
  const ctxCall = new RegExp(String.raw`\.t\(\s*(?:${LITERAL})`, 'g');
  for (const file of [...translatedViews(), ...sourceFiles()]) {
    const text = read(file);
    for (const pattern of [call, ctxCall]) {
      for (const m of text.matchAll(pattern)) add(unescape(m[1] ?? m[2] ?? m[3] ?? ''), file);
    }
  }
  return keys;
}

/** The {{placeholders}} of a text, sorted. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]))].sort();
}
