#!/usr/bin/env node
// React's development build costs about 2.5× the CPU per frame; a monitor should not pay for it.
process.env.NODE_ENV ??= 'production';
await import('../dist/cli.js');
