// Writes fixtures/demo-shapes.json from a fresh stack (run by hand when the
// API's shape changes on purpose): node tests/api/tools_capture_shapes.mjs
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack } from '../lib/stack.mjs';
import { captureShapes } from './lib_shapes.mjs';

const stack = await startStack();
try {
  const shapes = await captureShapes(stack);
  writeFileSync(join(import.meta.dirname, 'fixtures', 'demo-shapes.json'), `${JSON.stringify(shapes, null, 1)}\n`);
  console.log(`captured ${Object.keys(shapes.leads).length} leads`);
} finally {
  await stack.stop();
}
