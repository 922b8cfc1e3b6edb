'use strict';

// A worker thread starts without a TypeScript hook unless its parent was started by tsx
// (a parent under jest, for one, has its own): register tsx's CommonJS hook when missing.
if (!require.extensions['.ts']) require('tsx/cjs');
require('./export-worker.ts');
