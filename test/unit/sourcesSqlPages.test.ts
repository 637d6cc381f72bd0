import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqlPager, type SqlRequest } from '../../src/sources/sqlPages.js';

/**
 * Spark's retained SQL executions as the pager sees them (ids and statuses only: the pager reads no
 * other field), paged by position as SqlResource does; `evict` drops the oldest as
 * spark.sql.ui.retainedExecutions does.
 */
class Executions {
  rows: Array<{ id: number; status: string }> = [];
  private nextId = 0;
  add(n: number, status = 'COMPLETED') {
    for (let i = 0; i < n; i++) this.rows.push({ id: this.nextId++, status });
  }
  finish() {
    for (const r of this.rows) r.status = 'COMPLETED';
  }
  evict(max: number) {
    if (this.rows.length > max) this.rows.splice(0, this.rows.length - max);
  }
  answer(req: SqlRequest) {
    return req.kind === 'list' ? this.rows.map((r) => ({ ...r })) : this.rows.slice(req.offset, req.offset + req.length).map((r) => ({ ...r }));
  }
}

/** One round: the ids of the executions handed on, and the number of requests made. */
function round(pager: SqlPager, spark: Executions): { ids: number[]; requests: number } {
  pager.startRound('app-1');
  const ids: number[] = [];
  let requests = 0;
  for (let req = pager.next(); req; req = pager.next()) {
    requests++;
    const body = spark.answer(req);
    if (pager.onAnswer(req, body)) ids.push(...body.map((r) => r.id));
  }
  return { ids, requests };
}

describe('SQL executions paging', () => {
  it('first lists without details, then reads only the newest, then only what is new', () => {
    const spark = new Executions();
    spark.add(1000);
    const pager = new SqlPager(60, 30);
    const first = round(pager, spark);
    assert.deepEqual(first.ids, Array.from({ length: 31 }, (_, i) => 969 + i), 'the newest 30, and one before');
    assert.equal(first.requests, 2);
    spark.add(4);
    const second = round(pager, spark);
    assert.deepEqual(second.ids, [999, 1000, 1001, 1002, 1003], 'the last one read again (the overlap), then the new ones');
    assert.equal(second.requests, 1);
    assert.deepEqual(round(pager, spark).ids, [1003], 'nothing new');
  });

  it('reads a running execution again until it completes', () => {
    const spark = new Executions();
    spark.add(10);
    spark.add(2, 'RUNNING');
    const pager = new SqlPager(60, 30);
    round(pager, spark);
    spark.finish();
    spark.add(1);
    assert.deepEqual(round(pager, spark).ids, [9, 10, 11, 12]);
    assert.deepEqual(round(pager, spark).ids, [12]);
  });

  it('follows the list as Spark evicts the oldest executions (positions move down)', () => {
    const spark = new Executions();
    spark.add(1000);
    const pager = new SqlPager(60, 30);
    round(pager, spark);
    const requests: number[] = [];
    let next = 1000;
    for (let i = 0; i < 20; i++) {
      spark.add(3);
      spark.evict(1000);
      const r = round(pager, spark);
      assert.deepEqual(r.ids.filter((id) => id >= next), [next, next + 1, next + 2], `round ${i}`);
      next += 3;
      requests.push(r.requests);
    }
    // The first shifted round asks again; afterwards the shift is expected: one request a round.
    assert.equal(requests[0], 2);
    assert.ok(requests.slice(1).every((n) => n === 1), requests.join(','));
  });

  it('catches up a long backlog a few pages per round', () => {
    const spark = new Executions();
    spark.add(5);
    const pager = new SqlPager(10, 30, 3);
    round(pager, spark);
    spark.add(50);
    const a = round(pager, spark);
    assert.equal(a.requests, 3);
    const b = round(pager, spark);
    assert.deepEqual([...a.ids, ...b.ids].filter((id, i, all) => id >= 5 && all.indexOf(id) === i), Array.from({ length: 50 }, (_, i) => 5 + i));
  });
});
