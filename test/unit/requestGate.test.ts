import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_BACKGROUND_WAIT_MS, RequestGate } from '../../server/src/lsp/requestGate';

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs `turn()` in a loop like a background job, counting the turns it was given, until `stop` is set. */
function background(gate: RequestGate): { readonly turns: () => number; stop: () => Promise<void> } {
  let turns = 0;
  let running = true;
  const loop = (async (): Promise<void> => {
    while (running) {
      await gate.turn();
      turns++;
    }
  })();
  return {
    turns: () => turns,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

describe('RequestGate: background work waits for requests', () => {
  it('gives background work no turn while a request is being answered, and resumes when it ends', async () => {
    const gate = new RequestGate();
    const job = background(gate);
    for (let i = 0; i < 5; i++) await turn();
    assert.ok(job.turns() > 0, 'runs while no request is in');
    const leave = gate.enter();
    await turn();
    const during = job.turns();
    for (let i = 0; i < 20; i++) await turn();
    assert.equal(job.turns(), during, 'no turn while the request is in');
    leave();
    leave(); // a second call does nothing
    for (let i = 0; i < 5; i++) await turn();
    assert.ok(job.turns() > during, 'runs again once it ended');
    assert.equal(gate.busy, false);
    await job.stop();
  });

  it('waits for every request, not only the first', async () => {
    const gate = new RequestGate();
    const first = gate.enter();
    const second = gate.enter();
    const job = background(gate);
    first();
    for (let i = 0; i < 10; i++) await turn();
    assert.equal(job.turns(), 0, 'one request still in');
    second();
    for (let i = 0; i < 5; i++) await turn();
    assert.ok(job.turns() > 0);
    await job.stop();
  });

  it('holds for a few turns after input arrives, so the message is dispatched before the next slice', async () => {
    const gate = new RequestGate();
    gate.holdForInput();
    assert.equal(gate.busy, true);
    for (let i = 0; i < 10; i++) await turn();
    assert.equal(gate.busy, false, 'released by itself');
  });

  it('does not wait for a request that never ends beyond the limit', async () => {
    const gate = new RequestGate();
    gate.enter();
    const started = Date.now();
    await gate.turn();
    const waited = Date.now() - started;
    assert.ok(waited >= MAX_BACKGROUND_WAIT_MS - 20, `waited ${waited} ms`);
  });
});
