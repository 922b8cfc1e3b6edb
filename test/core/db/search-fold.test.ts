import BetterSqlite3 from 'better-sqlite3';
import { FOLDS_INTO_ASCII, foldForSearch, registerSearchFold, SEARCH_FOLD, searchCondition } from '../../../core/db/search-fold';

let folds: Array<{ char: string; folded: string }> | undefined;

/** Every code point but the surrogates (as a string of one character), with its fold (made once). */
function everyCharacterFolded(): Array<{ char: string; folded: string }> {
  if (folds) return folds;
  const all: Array<{ char: string; folded: string }> = [];
  for (let code = 0; code < 0x110000; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const char = String.fromCodePoint(code);
    all.push({ char, folded: foldForSearch(char) });
  }
  return (folds = all);
}

describe('foldForSearch', () => {
  it('folds case in full, in every script: "Straße", "STRAẞE" and "STRASSE" are one, as are "ÉCOLE" and "école"', () => {
    expect(['Straße', 'STRAẞE', 'STRASSE', 'strasse'].map(foldForSearch)).toEqual(['strasse', 'strasse', 'strasse', 'strasse']);
    expect(foldForSearch('ÉCOLE')).toBe('école');
    // An accent typed apart from its letter is the same letter.
    expect(foldForSearch('E\u0301COLE')).toBe('école');
    expect(foldForSearch('ﬁrma')).toBe('firma');
    // A word-final sigma is a sigma.
    expect(foldForSearch('ΟΔΟΣ')).toBe(foldForSearch('οδοσ'));
    expect(foldForSearch('οδος')).toBe('οδοσ');
  });

  it('gives ASCII text in lower case, as before', () => {
    expect(foldForSearch('Item 1 (DRAFT)')).toBe('item 1 (draft)');
  });

  it('is a fold: folding folded text changes nothing, for every character', () => {
    const changed = everyCharacterFolded().filter(({ folded }) => foldForSearch(folded) !== folded);
    expect(changed).toEqual([]);
  });

  it('lists in FOLDS_INTO_ASCII exactly the characters beyond ASCII whose fold has ASCII in it', () => {
    const found = everyCharacterFolded().filter(({ char, folded }) => char.codePointAt(0)! > 0x7f && /[\p{ASCII}]/u.test(folded));
    expect(found.map(({ char }) => char).join('')).toBe(FOLDS_INTO_ASCII);
  });
});

describe('searchCondition', () => {
  const db = new BetterSqlite3(':memory:');
  registerSearchFold(db);
  db.exec('create table t (id integer primary key, v text)');
  const texts = ['Hauptstraße 5', 'HAUPTSTRASSE 7', 'École Lumière', 'ecole', 'Die ﬁrma', '300 \u212a', null, '100% off_sale'];
  for (const v of texts) db.prepare('insert into t (v) values (?)').run(v);
  const found = (q: string) => {
    const { sql, bindings } = searchCondition('v', q);
    return db
      .prepare(`select v from t where ${sql} order by id`)
      .all(...bindings)
      .map((row) => (row as { v: string }).v);
  };

  it('finds the text in any case whichever side has the letters beyond ASCII', () => {
    expect(found('strasse')).toEqual(['Hauptstraße 5', 'HAUPTSTRASSE 7']);
    expect(found('STRASSE')).toEqual(['Hauptstraße 5', 'HAUPTSTRASSE 7']);
    expect(found('Straße')).toEqual(['Hauptstraße 5', 'HAUPTSTRASSE 7']);
    expect(found('ÉCOLE')).toEqual(['École Lumière']);
    expect(found('FIRMA')).toEqual(['Die ﬁrma']);
    // The Kelvin sign is a K.
    expect(found('300 k')).toEqual(['300 \u212a']);
  });

  it('matches % and _ literally', () => {
    expect(found('0% off_')).toEqual(['100% off_sale']);
    expect(found('%')).toEqual(['100% off_sale']);
  });

  it('reads an ASCII search whose letters no fold gives with like alone, calling no function per row', () => {
    expect(searchCondition('v', 'zz 9')).toEqual({ sql: "v like ? escape '\\'", bindings: ['%zz 9%'] });
    expect(searchCondition('v', 'strasse').sql).toContain(`${SEARCH_FOLD}(v)`);
    expect(searchCondition('v', 'école').sql).toBe(`${SEARCH_FOLD}(v) like ? escape '\\'`);
  });
});
