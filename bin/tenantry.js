#!/usr/bin/env node
'use strict';

// Runs the TypeScript sources directly: tsx's CommonJS hook compiles them on load.
require('tsx/cjs');
require('../cli.ts');
