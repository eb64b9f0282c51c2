// The lead core was redesigned (rows into C structs, JSON written in C); the
// API's JSON must not change. Every demo lead's record, the lead list, notes,
// history and the call-log tabs are compared field by field with the copy
// taken from the code before the redesign (fixtures/demo-shapes.json).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startStack } from '../lib/stack.mjs';
import { captureShapes } from './lib_shapes.mjs';

let stack;
let now;
const was = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'demo-shapes.json'), 'utf8'));

before(async () => {
  stack = await startStack();
  now = await captureShapes(stack);
});
after(() => stack?.stop());

test('every_demo_lead_record_keeps_each_field', () => {
  assert.deepEqual(Object.keys(now.leads), Object.keys(was.leads));
  for (const id of Object.keys(was.leads)) {
    assert.deepEqual(Object.keys(now.leads[id]).sort(), Object.keys(was.leads[id]).sort(), `lead ${id} keys`);
    for (const key of Object.keys(was.leads[id])) {
      assert.deepEqual(now.leads[id][key], was.leads[id][key], `lead ${id} field ${key}`);
    }
  }
});

test('the_lead_list_keeps_each_row', () => {
  assert.deepEqual(now.list, was.list);
  assert.deepEqual(now.agent_list, was.agent_list);
});

test('notes_and_history_keep_their_shape', () => {
  assert.deepEqual(now.notes, was.notes);
  assert.deepEqual(now.history, was.history);
});

test('call_log_tabs_keep_their_rows_and_counts', () => {
  assert.deepEqual(now.call_log, was.call_log);
});
