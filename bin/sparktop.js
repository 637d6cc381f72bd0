#!/usr/bin/env -S node --max-semi-space-size=4 --heap-growing-percent=30
// React's development build costs about 2.5× the CPU per frame; a monitor should not pay for it.
process.env.NODE_ENV ??= 'production';
await import('../dist/cli.js');
