import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { printSortedSchema } from './schema.ts';

const target = fileURLToPath(new URL('../../schema.graphql', import.meta.url));
await writeFile(target, printSortedSchema());
console.log(`Wrote ${target}`);
