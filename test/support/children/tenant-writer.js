'use strict';
/* global setImmediate */
// Writes to tenant files from another process, as a busy server would: one insert per
// transaction, round robin over the files, until told to stop; then reports what it committed.
const Database = require('better-sqlite3');

const files = JSON.parse(process.argv[2]);
const tenants = files.map((file) => {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return { db, insert: db.prepare("insert into items (title, body, created_at, updated_at) values (?, 'written during the migration', ?, ?)") };
});
const written = files.map(() => 0);
const errors = [];
let stopping = false;
let next = 0;

process.on('message', (message) => {
  if (message === 'stop') stopping = true;
});

function burst() {
  const until = Date.now() + 10;
  while (Date.now() < until) {
    const k = next++ % tenants.length;
    try {
      const now = Date.now();
      tenants[k].insert.run(`live-write-${written[k]}`, now, now);
      written[k]++;
    } catch (error) {
      errors.push(`${error.code}: ${error.message}`);
    }
  }
  if (!stopping) return setImmediate(burst);
  for (const t of tenants) t.db.close();
  process.send({ written, errors }, () => process.exit(0));
}

process.send('writing');
burst();
