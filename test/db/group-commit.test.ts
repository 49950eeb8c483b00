import { GroupCommit, GroupCommitClosed } from '../../src/db/group-commit';

/** A commit we release by hand, to see what the batcher does while one is under way. */
function heldCommits() {
  const batches: number[][] = [];
  const releases: Array<() => void> = [];
  const commit = (items: number[]) =>
    new Promise<Array<number | Error>>((resolve) => {
      batches.push(items);
      releases.push(() => resolve(items.map((i) => (i < 0 ? new Error(`bad ${i}`) : i * 10))));
    });
  return { batches, commit, release: (n: number) => releases[n]!() };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('group commit', () => {
  it('commits a lone item in the same turn of the event loop, without waiting for batch-mates', async () => {
    const held = heldCommits();
    const batcher = new GroupCommit({ maxBatch: 100, maxWaitMs: 60_000, maxInFlight: 2, commit: held.commit });
    const answer = batcher.submit(1);
    await turn();
    expect(held.batches).toEqual([[1]]);
    held.release(0);
    await expect(answer).resolves.toBe(10);
  });

  it('commits together the items that arrived in one turn', async () => {
    const held = heldCommits();
    const batcher = new GroupCommit({ maxBatch: 100, maxWaitMs: 60_000, maxInFlight: 2, commit: held.commit });
    const answers = [1, 2, 3].map((i) => batcher.submit(i));
    await turn();
    expect(held.batches).toEqual([[1, 2, 3]]);
    held.release(0);
    await expect(Promise.all(answers)).resolves.toEqual([10, 20, 30]);
  });

  it('gathers items that arrive during a commit into the next one, sent as soon as that commit ends', async () => {
    const held = heldCommits();
    const batcher = new GroupCommit({ maxBatch: 100, maxWaitMs: 60_000, maxInFlight: 1, commit: held.commit });
    const first = batcher.submit(1);
    await turn();
    const later = [2, 3, 4].map((i) => batcher.submit(i));
    await turn();
    expect(held.batches).toEqual([[1]]);
    held.release(0);
    await first;
    await turn();
    expect(held.batches).toEqual([[1], [2, 3, 4]]);
    held.release(1);
    await expect(Promise.all(later)).resolves.toEqual([20, 30, 40]);
  });

  it('sends a second batch after the wait while the first is still committing', async () => {
    const held = heldCommits();
    const batcher = new GroupCommit({ maxBatch: 100, maxWaitMs: 5, maxInFlight: 2, commit: held.commit });
    void batcher.submit(1);
    await turn();
    void batcher.submit(2);
    void batcher.submit(3);
    await new Promise((r) => setTimeout(r, 30));
    expect(held.batches).toEqual([[1], [2, 3]]);
    held.release(0);
    held.release(1);
  });

  it('sends a full batch at once, without waiting', async () => {
    const held = heldCommits();
    const batcher = new GroupCommit({ maxBatch: 3, maxWaitMs: 60_000, maxInFlight: 2, commit: held.commit });
    void batcher.submit(0);
    await turn();
    [1, 2, 3, 4].forEach((i) => void batcher.submit(i));
    expect(held.batches).toEqual([[0], [1, 2, 3]]);
    held.release(0);
    held.release(1);
    await turn();
    expect(held.batches).toEqual([[0], [1, 2, 3], [4]]);
    held.release(2);
  });

  it('fails only the item whose outcome is an error, and every item when the commit throws', async () => {
    const held = heldCommits();
    const batcher = new GroupCommit({ maxBatch: 100, maxWaitMs: 1, maxInFlight: 2, commit: held.commit });
    const mixed = [1, -2, 3].map((i) => batcher.submit(i).catch((err: Error) => err.message));
    await turn();
    held.release(0);
    expect(await Promise.all(mixed)).toEqual([10, 'bad -2', 30]);

    const broken = new GroupCommit<number, number>({ maxBatch: 100, maxWaitMs: 1, maxInFlight: 2, commit: () => Promise.reject(new Error('down')) });
    const all = [1, 2].map((i) => broken.submit(i).catch((err: Error) => err.message));
    expect(await Promise.all(all)).toEqual(['down', 'down']);
  });

  it('on close, commits what is waiting, waits for commits under way, then refuses new items', async () => {
    const held = heldCommits();
    const batcher = new GroupCommit({ maxBatch: 100, maxWaitMs: 60_000, maxInFlight: 1, commit: held.commit });
    const first = batcher.submit(1);
    await turn();
    const waiting = batcher.submit(2);
    let closed = false;
    const closing = batcher.close().then(() => (closed = true));
    await turn();
    expect(held.batches).toEqual([[1], [2]]);
    held.release(0);
    held.release(1);
    await closing;
    expect(closed).toBe(true);
    await expect(Promise.all([first, waiting])).resolves.toEqual([10, 20]);
    await expect(batcher.submit(3)).rejects.toBeInstanceOf(GroupCommitClosed);
  });
});
