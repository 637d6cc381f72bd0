/** `targetBatch` → `target-batch`: a flag's name as written on the command line. */
export const kebab = (camel: string) => camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
